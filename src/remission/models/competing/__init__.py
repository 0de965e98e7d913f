"""Parametric competing risks (issue 18, part 3): cause-specific hazards of any family, the
cumulative incidences they imply extrapolated to a horizon, and death without relapse bounded
by general-population mortality.  :func:`fit_competing` returns a :class:`CompetingFit`;
:func:`fit_mixture` the Larson-Dinse mixture model, cure on the cumulative-incidence scale."""
from __future__ import annotations

from .document import best_families, competing_document, competing_text
from .fit import EVENT_FREE, RULE, CompetingFit, fit_competing, parse_dists
from .mixture import MixtureCompetingFit, fit_mixture

__all__ = ["CompetingFit", "fit_competing", "parse_dists", "best_families",
           "competing_document", "competing_text", "EVENT_FREE", "RULE",
           "MixtureCompetingFit", "fit_mixture"]
