"""Nonparametric estimation: Kaplan-Meier, Nelson-Aalen, quantiles, RMST, follow-up,
log-rank and Cox regression for group comparisons.  Pure functions with thin results."""
from .cox import CoxPH, cox_ph
from .followup import median_followup
from .kaplan_meier import KaplanMeier, kaplan_meier
from .logrank import LogRank, logrank_test
from .nelson_aalen import NelsonAalen, nelson_aalen
from .quantiles import Estimate, curve_quantile
from .rmst import RMST, restricted_mean
from .summary import GroupSummary, Summary, summarize

__all__ = ["CoxPH", "cox_ph", "median_followup", "KaplanMeier", "kaplan_meier", "LogRank",
           "logrank_test", "NelsonAalen", "nelson_aalen", "Estimate", "curve_quantile", "RMST",
           "restricted_mean", "GroupSummary", "Summary", "summarize"]
