"""The cure of the disease when death without relapse competes (issue 18, part 4).

Model: a fraction pi is cured of the disease and never relapses; the others relapse with
latency density f_u (any family).  Every subject, cured or not, dies without relapse with the
same cause-specific hazard h_D (non-relapse mortality does not depend on cure status: the
assumption of this model, to be judged clinically).  The likelihood of a subject is

* relapse at t:        (1 - pi) f_u(t) S_D(t)
* death without relapse at t: h_D(t) S_D(t) [pi + (1 - pi) S_u(t)]
* censored at t:       S_D(t) [pi + (1 - pi) S_u(t)]

so it factorises: the terms of pi and f_u are exactly the mixture cure likelihood (Farewell
1982) of the cause-specific data, relapse the event and death without relapse censored, and
h_D is estimated apart.  The cure fraction of the disease is therefore the mixture cure fit of
``data.for_cause(relapse)`` (what ``remission fit --event-type COL --cause relapse --cure
mixture`` reports), next to the endpoint's (PFS) cure fraction, in which a cured patient who
dies of another cause counts as "not cured".  It is a net (latent) quantity: the fraction who
would never relapse if they did not die first; the chance of ever relapsing in the presence of
the competing deaths is lower: ``never_crude`` of :meth:`DiseaseCure.as_dict` gives the
fraction who never relapse on that (cumulative-incidence) scale, from the Larson-Dinse model
(:mod:`remission.models.competing.mixture`).  Checked by simulation with known truth
(tests/nonparametric/test_competing_cure.py: bias and coverage of pi).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class DiseaseCure:
    cause: str
    disease: object      # the mixture cure fit of the cause (others censored)
    endpoint: object     # the mixture cure fit of any event (e.g. PFS)
    #: the Larson-Dinse mixture fit (cumulative-incidence scale) or None when it failed
    crude: object = None

    def as_dict(self) -> dict:
        """Net cure fraction of the disease, the endpoint's, and ``never_crude``: 1 - pi of
        the cause in the Larson-Dinse model, the fraction who never have it with the other
        causes competing (:mod:`remission.models.competing.mixture`), or None."""
        def pi(fit):
            p = fit.cure_fraction()
            return {"estimate": float(p.estimate[0, 0]), "lower": float(p.lower[0, 0]),
                    "upper": float(p.upper[0, 0])}

        crude = None if self.crude is None else self.crude.never(self.cause).triple()
        return {"cause": self.cause, "cure_fraction_disease": pi(self.disease),
                "cure_fraction_endpoint": pi(self.endpoint), "never_crude": crude,
                "assumption": "death without relapse does not depend on cure status"}


def fit_disease_cure(data, cause, dist="weibull", *, link="logistic",
                     conf_level: float = 0.95) -> DiseaseCure:
    """Mixture cure fraction of the disease (``cause``, e.g. relapse) with the other causes
    competing (module docstring), and the composite endpoint's cure fraction beside it;
    ``crude``: the fraction never having the cause on the cumulative-incidence scale
    (Larson-Dinse, same family; None when that fit fails)."""
    from ...errors import RemissionError
    from ..competing.mixture import fit_mixture
    from .fit import fit_cure_model

    disease = fit_cure_model(data.for_cause(cause), dist, "mixture", link,
                             conf_level=conf_level)
    endpoint = fit_cure_model(data, dist, "mixture", link, conf_level=conf_level)
    try:
        crude = fit_mixture(data, dist, cause=cause, conf_level=conf_level)
    except RemissionError:
        crude = None
    return DiseaseCure(str(cause), disease, endpoint, crude)
