"""Certificates: issuing (through the one eligibility rule), numbering, PDF, verification."""
