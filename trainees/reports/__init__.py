"""Reports by organisation: figures counted by the database, pages, API, XLSX and PDF."""
