"""How large the slow statistical checks (``@pytest.mark.slow``) are.

By default they run in a reduced form (fewer simulated data sets, bands widened to match), so
that the README's test command and CI take a few minutes on two cores.  ``REMISSION_FULL=1``
runs them at full size (about ten more minutes), as recorded in ``benchmarks/README.md``.
"""
import os

FULL = os.environ.get("REMISSION_FULL") == "1"
REDUCED = not FULL
