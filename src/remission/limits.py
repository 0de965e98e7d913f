"""The limits on the work one run may ask for, in one place (listed in docs/cli.md, "Limits").

Each is checked before anything is allocated, by the command line (the error names the
option) and by the public functions that would allocate (a backstop for Python callers).
They are far above any real analysis and far below what would exhaust a laptop.

>>> check_count(1000, "--reps", MAX_REPLICATES)
1000
>>> try:
...     check_count(10**9, "--reps", MAX_REPLICATES)
... except OptionError as e:
...     print(e)
--reps 1000000000: at most 100000 (a limit of remission; see "Limits" in docs/cli.md)
"""
from __future__ import annotations

import math

from .errors import OptionError

#: bootstrap replicates (``fit --ci bootstrap --reps``) and cure-test / analyze ``--reps``:
#: 100,000 batched refits take a few minutes; percentile intervals need about 2,000.
MAX_REPLICATES = 100_000
#: simulated trials per extra follow-up (``plan --sims``, ``analyze --sims``) and null
#: replicates (``plan --null-reps``)
MAX_SIMULATIONS = 100_000
#: groups for which ``summary`` computes the k-sample log-rank test (its variance matrix is
#: groups x groups; above this the per-group summaries are still given, with a note)
MAX_LOGRANK_GROUPS = 200
#: groups (``--group``) of the commands that fit models, test or draw per group (every
#: command but ``summary``, whose per-group work is a Kaplan-Meier curve)
MAX_MODEL_GROUPS = 50
#: figure size (``plot --width/--height``, inches) and resolution (``--dpi``), and the pixel
#: count width x height x dpi^2 (100 megapixels, e.g. 33 x 33 inches at 300 dpi)
MAX_FIGURE_INCHES = 200.0
MAX_DPI = 2400
MAX_FIGURE_PIXELS = 100_000_000
#: the largest time (data times, --horizon, --times, --landmarks, --extra-followup, in any
#: unit: 1e9 days is 2.7 million years); larger values overflow the arithmetic of the models
MAX_TIME = 1e9
#: patients of one reconstructed arm (``reconstruct --n``, ``--events``)
MAX_PATIENTS = 1_000_000

#: how every message about a limit ends
WHERE = '(a limit of remission; see "Limits" in docs/cli.md)'


def check_count(value, option: str, maximum: int, minimum: int = 0) -> int:
    """``value`` as an int in ``[minimum, maximum]``; else an OptionError naming ``option``."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise OptionError(f"{option} {value!r}: not a whole number") from None
    if not math.isfinite(f) or not f.is_integer():
        raise OptionError(f"{option} {value!r}: not a whole number")
    n = int(value) if isinstance(value, int) else int(f)
    if n < minimum:
        raise OptionError(f"{option} {n}: at least {minimum}")
    if n > maximum:
        raise OptionError(f"{option} {n}: at most {maximum} {WHERE}")
    return n


def check_figure(width: float, height: float, dpi: float) -> None:
    """Refuse a figure whose size or pixel count is above the limits."""
    for opt, v in (("--width", width), ("--height", height), ("--dpi", dpi)):
        if v is not None and not math.isfinite(v):
            raise OptionError(f"{opt} {v:g}: not a finite number")
    for opt, v in (("--width", width), ("--height", height)):
        if v is not None and v > MAX_FIGURE_INCHES:
            raise OptionError(f"{opt} {v:g}: at most {MAX_FIGURE_INCHES:g} inches {WHERE}")
    if dpi is not None and dpi > MAX_DPI:
        raise OptionError(f"--dpi {dpi:g}: at most {MAX_DPI} {WHERE}")
    pixels = width * (height if height is not None else width) * dpi ** 2
    if pixels > MAX_FIGURE_PIXELS:
        raise OptionError(f"--width {width:g} x --height {height or width:g} at --dpi {dpi:g} "
                          f"is {pixels / 1e6:.0f} megapixels: at most "
                          f"{MAX_FIGURE_PIXELS / 1e6:.0f} {WHERE}")
