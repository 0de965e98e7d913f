"""The value every reconstruction returns: patients, what was cleaned, and how well it fits."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .quality import Quality


@dataclass(frozen=True, eq=False)
class Reconstruction:
    """Reconstructed individual patient data (``time``, ``event``) for one arm.

    ``method`` is ``"guyot"`` (from a digitised curve) or ``"landmarks"``; ``approximate`` is
    always True: these are reconstructions, not trial data.  ``changes`` lists what was done
    to the input, ``notes`` anything the algorithm could not honour, ``quality`` the fit.
    """

    time: np.ndarray
    event: np.ndarray
    method: str
    quality: Quality
    arm: str | None = None
    changes: tuple = field(default_factory=tuple)
    notes: tuple = field(default_factory=tuple)
    approximate: bool = True
    meta: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.time.size)

    @property
    def n_events(self) -> int:
        return int(np.sum(self.event))

    def to_frame(self):
        import pandas as pd
        df = pd.DataFrame({"time": self.time, "event": self.event.astype(int)})
        if self.arm is not None:
            df["arm"] = self.arm
        return df

    def to_survival_data(self):
        from ..data.survival_data import SurvivalData
        return SurvivalData.from_arrays(self.time, self.event,
                                        meta={"reconstructed": self.method})

    def kaplan_meier(self, **kw):
        from ..nonparametric.kaplan_meier import kaplan_meier
        return kaplan_meier(self.time, self.event, **kw)

    def as_dict(self) -> dict:
        med = self.kaplan_meier().median().estimate
        return {"arm": self.arm, "method": self.method, "approximate": self.approximate,
                "n": self.n, "events": self.n_events, "censored": self.n - self.n_events,
                "median": None if med is None else float(med),
                "changes": list(self.changes), "notes": list(self.notes),
                "quality": self.quality.as_dict(), **({"meta": self.meta} if self.meta else {})}
