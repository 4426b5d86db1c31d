"""Reading documents back as a person would: the text pdftotext finds in a PDF."""

import io
import shutil
import subprocess

from pypdf import PdfReader

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


def pages_of(data: bytes) -> list:
    return PdfReader(io.BytesIO(data)).pages


def forms_of(page) -> dict:
    """The form XObjects the page draws, by name: the parts shared with other pages."""
    xobjects = page.get("/Resources", {}).get("/XObject", {})
    return {name: xobjects[name] for name in xobjects if xobjects[name]["/Subtype"] == "/Form"}


def drawing_of(page) -> bytes:
    """What the page paints: its own content stream and those of the forms it draws."""
    forms = forms_of(page)
    return page.get_contents().get_data() + b"".join(f.get_data() for f in forms.values())


def download(client, headers, number):
    response = client.get(f"/certificates/{number}.pdf", headers=headers)
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    return response.data
