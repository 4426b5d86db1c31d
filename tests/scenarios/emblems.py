"""Shared by several test modules; first written for tests/test_emblems.py."""

import io

from PIL import Image


def png_bytes(size=(64, 64), colour=(20, 60, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()
