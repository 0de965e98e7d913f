"""Time units and conversion between them (a month is 365.25/12 days, a year 365.25 days)."""
from __future__ import annotations

from ..errors import OptionError

DAYS_PER_UNIT = {
    "days": 1.0,
    "weeks": 7.0,
    "months": 365.25 / 12.0,
    "years": 365.25,
}
_ALIASES = {"day": "days", "d": "days", "week": "weeks", "w": "weeks", "month": "months",
            "m": "months", "year": "years", "y": "years"}


def normalize_unit(unit: str | None) -> str | None:
    """Return the canonical unit name, or None; raise OptionError for an unknown unit."""
    if unit is None:
        return None
    u = str(unit).strip().lower()
    u = _ALIASES.get(u, u)
    if u not in DAYS_PER_UNIT:
        raise OptionError(f"unknown time unit '{unit}' (choose from {', '.join(DAYS_PER_UNIT)})")
    return u


def conversion_factor(from_unit: str | None, to_unit: str | None) -> float:
    """Factor f such that t_in_to_unit = f * t_in_from_unit.  1.0 when either is None."""
    f, t = normalize_unit(from_unit), normalize_unit(to_unit)
    if f is None or t is None:
        return 1.0
    return DAYS_PER_UNIT[f] / DAYS_PER_UNIT[t]
