"""Reading and validating time-to-event data."""
from .survival_data import SurvivalData, coerce_event
from .units import conversion_factor, normalize_unit

__all__ = ["SurvivalData", "coerce_event", "conversion_factor", "normalize_unit"]
