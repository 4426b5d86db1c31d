"""Plumbing every blueprint shares: error answers, the API base, database commands."""
