"""Shared figures: drawn once per module into a temporary folder."""
import shutil

import pytest


def require_tesseract():
    """OCR tests fail, never skip, without tesseract: the CI installs it (.ci/run)."""
    if shutil.which("tesseract") is None:
        pytest.fail("tesseract is not installed: install Debian's tesseract-ocr "
                    "(apt-get install tesseract-ocr) to run the OCR tests; "
                    "test_ranges_without_ocr covers digitising without it")
