"""Shared figures: drawn once per module into a temporary folder."""
import shutil

import pytest


def require_tesseract():
    """OCR tests fail, never skip, without tesseract: the CI installs it (.ci/run)."""
    if shutil.which("tesseract") is None:
        pytest.fail("tesseract is not installed: install Debian's tesseract-ocr "
                    "(apt-get install tesseract-ocr) to run the OCR tests; "
                    "test_ranges_without_ocr covers digitising without it")


_DIGITIZED = {}


def digitized(path):
    """``digitize(path)`` read once per test session (a figure costs 2-4 s of OCR and
    tracing): tests that look at the same committed figure share one result, which they
    only read."""
    from remission.reconstruct.digitize import digitize

    require_tesseract()
    key = str(path)
    if key not in _DIGITIZED:
        _DIGITIZED[key] = digitize(path)
    return _DIGITIZED[key]
