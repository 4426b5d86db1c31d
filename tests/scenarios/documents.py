"""Reading documents back as a person would: the text pdftotext finds in a PDF."""

import shutil
import subprocess

from tests.conftest import unavailable


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} is not installed")
    return path


def text_of(data: bytes, page: int | None = None) -> str:
    """pdftotext's reading of the PDF (or of one page of it)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    command = [tool("pdftotext"), "-layout", *pages, "-", "-"]
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()
