"""Read a figure into an RGB pixel array: PNG, JPEG (any format Pillow reads) or a PDF page.

A PDF page is read by :mod:`.pdf` (vector paths, exact coordinates); this module handles
raster images.  The pixel count is checked against ``limits.MAX_FIGURE_PIXELS`` from the
file's header, before any pixel is decoded (a decompression bomb is refused, not read).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import DataError, OptionError
from ...limits import MAX_FIGURE_PIXELS, WHERE

#: the smallest plot worth reading: below this a tick label is a few pixels high
MIN_SIDE = 100


def is_pdf(path) -> bool:
    if not Path(path).is_file():
        raise DataError(f"figure file not found: {path}")
    try:
        with open(path, "rb") as f:
            return f.read(5) == b"%PDF-"
    except OSError as e:
        raise DataError(f"cannot read the figure {path}: {e.strerror}") from None


def read_raster(path) -> np.ndarray:
    """(H, W, 3) uint8 RGB; transparency is composed over white."""
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    if not p.is_file():
        raise DataError(f"figure file not found: {path}")
    try:
        im = Image.open(p)
    except UnidentifiedImageError:
        raise DataError(f"cannot read the figure {path}: not a PNG, JPEG or PDF file") from None
    except OSError as e:
        raise DataError(f"cannot read the figure {path}: {e}") from None
    with im:
        w, h = im.size
        check_pixels(w, h)
        try:
            im.load()
        except (OSError, SyntaxError, ValueError) as e:  # truncated or corrupt pixel data
            raise DataError(f"cannot read the figure {path}: {e}") from None
        if im.mode in ("RGBA", "LA", "P", "PA"):
            im = im.convert("RGBA")
            bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
            im = Image.alpha_composite(bg, im)
        return np.asarray(im.convert("RGB"), dtype=np.uint8).copy()


def check_pixels(w: int, h: int) -> None:
    if w * h > MAX_FIGURE_PIXELS:
        raise OptionError(f"FIGURE is {w} x {h} = {w * h / 1e6:.0f} megapixels: at most "
                          f"{MAX_FIGURE_PIXELS / 1e6:.0f} {WHERE}")
    if min(w, h) < MIN_SIDE:
        raise DataError(f"FIGURE is {w} x {h} pixels: too small to read a plot (at least "
                        f"{MIN_SIDE} pixels each way)")
