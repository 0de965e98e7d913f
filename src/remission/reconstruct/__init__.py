"""Individual patient data from published survival curves.

* :func:`reconstruct_curve`: from a digitised Kaplan-Meier curve and, where published, the
  numbers at risk and total events (Guyot et al. 2012).
* :func:`reconstruct_landmarks`: an approximate dataset consistent with published landmark
  estimates, a median and the follow-up, when no curve is available.

Both return a :class:`Reconstruction` with a quality report.  Reconstructed data are
approximations of the trial's data, never the data themselves.
"""
from __future__ import annotations

from .clean import CleanCurve, RiskTable, clean_curve, clean_risk_table
from .from_curve import reconstruct_curve
from .landmarks import Landmark, reconstruct_landmarks
from .quality import Quality, assess
from .result import Reconstruction

__all__ = ["CleanCurve", "RiskTable", "clean_curve", "clean_risk_table", "reconstruct_curve",
           "Landmark", "reconstruct_landmarks", "Quality", "assess", "Reconstruction"]
