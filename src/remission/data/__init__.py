"""Reading and validating time-to-event data."""
from .frame import from_dataframe, read_survival
from .readers import read_table
from .survival_data import SurvivalData, coerce_event
from .units import conversion_factor, normalize_unit

__all__ = ["SurvivalData", "coerce_event", "conversion_factor", "normalize_unit", "read_table",
           "read_survival", "from_dataframe"]
