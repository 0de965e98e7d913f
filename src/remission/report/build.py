"""``analyze``: everything the package can say about one dataset, as JSON results and as one
self-contained interactive HTML report."""
from __future__ import annotations

import datetime as _dt
import json
import os
import time as _time
from dataclasses import dataclass, field, replace

from .context import Context, Options


@dataclass
class Report:
    """The result of :func:`analyze`: ``sections`` in order, ``to_dict()`` (JSON results)
    and ``to_html()`` (the self-contained report)."""

    sections: list
    context: Context = field(repr=False)
    generated: str = ""
    seconds: float = 0.0

    def section(self, id_: str):
        return next((s for s in self.sections if s.id == id_), None)

    @property
    def section_ids(self) -> list[str]:
        return [s.id for s in self.sections]

    def to_dict(self) -> dict:
        from .. import __version__
        from .format import clean

        ctx = self.context
        doc = {"remission_version": __version__, "generated": self.generated,
               "options": ctx.options.to_dict(), "time_unit": ctx.unit,
               "sections": self.section_ids,
               "not_included": dict(ctx.unavailable), "notes": list(ctx.notes),
               "timings": {k: round(v, 3) for k, v in ctx.timings.items()},
               "seconds": round(self.seconds, 3)}
        for s in self.sections:
            doc[s.id] = s.data
        return clean(doc)

    def to_json(self, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    def to_html(self) -> str:
        from .html import render

        return render(self)

    def write_html(self, path) -> None:
        """Write the report to ``path`` atomically (a temporary file renamed into place)."""
        from ..safe_io import write_text

        write_text(path, self.to_html())


def _load(data, columns=()):
    """SurvivalData from a SurvivalData, a path, or a pandas DataFrame (with ``columns``
    attached as covariates)."""
    from ..data import SurvivalData

    if isinstance(data, SurvivalData):
        return data
    cov = list(columns) or None
    if isinstance(data, (str, os.PathLike)):
        from ..data import read_survival

        return read_survival(data, covariates=cov)
    from ..data import from_dataframe

    return from_dataframe(data, covariates=cov)


def _columns(age, sex, year) -> list:
    """Which of the background options name columns (rather than values)."""
    from .compute import _is_number

    cols = [v for v in (age, year) if v is not None and not _is_number(v)]
    if (sex is not None and not _is_number(sex)
            and str(sex).strip().lower() not in ("male", "female", "m", "f")):
        cols.append(sex)
    return cols


def bundled_provenance(source) -> dict | None:
    """Provenance and reconstruction quality of a bundled reconstructed dataset, recognised by
    its file name (``cartitude1-pfs-approx.csv`` as written by ``remission example``)."""
    if not source:
        return None
    from importlib import resources

    stem = os.path.basename(str(source))
    for ext in (".gz", ".csv", ".tsv", ".parquet"):
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
    prov = {}
    for name in ("cartitude1_provenance.json", "cartitude1_pfs_cr_provenance.json"):
        try:  # the reconstructions' file, then the competing-risks split's, merged
            with resources.files("remission.datasets").joinpath(name).open(
                    "r", encoding="utf-8") as f:
                part = json.load(f)
        except (FileNotFoundError, ModuleNotFoundError):
            continue
        for key in ("datasets", "checks"):
            prov.setdefault(key, {}).update(part.pop(key, {}))
        for key, value in part.items():
            prov.setdefault(key, value)
    if stem not in prov.get("datasets", {}):
        return None
    ds = prov["datasets"][stem]
    checks = prov.get("checks", {}).get(stem, {})
    lms = []
    for r in checks.get("landmarks", []):
        rec = r.get("reconstructed_km", r.get("reconstructed_median"))
        lms.append({"time": r.get("time"), "kind": r.get("kind"), "published": r.get("published"),
                    "reconstructed": rec, "gap": r.get("gap"), "source": r.get("source")})
    method = prov.get("method", {})
    warning, split = prov.get("warning"), prov.get("competing_split") or {}
    if split.get("dataset") == stem and split.get("warning"):  # the cause split's own caveat
        warning = f"{warning} {split['warning']}"
    return {"dataset": stem, "endpoint": ds.get("endpoint"), "warning": warning,
            "trial": prov.get("trial"), "time_unit": prov.get("time_unit"),
            "method": method.get("algorithm") if isinstance(method, dict) else method,
            "landmarks": lms, "columns": ds.get("columns")}


def reconstruction_provenance(path, data_path=None) -> dict:
    """Provenance from a ``remission reconstruct --format json`` document, or the sidecar
    ``reconstruct --figure`` writes (``OUTPUT.provenance.json``: checked against
    ``data_path``, the patients file, by :func:`remission.reconstruct.provenance.check`), or a
    dict already in the report's shape."""
    from ..errors import DataError
    from ..reconstruct.provenance import is_sidecar

    try:
        with open(path, encoding="utf-8-sig") as f:
            doc = json.load(f)
    except OSError as e:
        raise DataError(f"--provenance: cannot read {path}: {e.strerror or e}") from None
    except (ValueError, UnicodeDecodeError) as e:  # JSONDecodeError is a ValueError
        raise DataError(f"--provenance {path}: not a JSON document ({' '.join(str(e).split())}"
                        "); give the output of `remission reconstruct --format json`") from None
    if not isinstance(doc, dict):
        raise DataError(f"--provenance {path}: a JSON object is expected (the output of "
                        "`remission reconstruct --format json`)")
    if "arms" in doc or is_sidecar(doc):  # a sidecar is always checked, arms or not
        arms = doc.get("arms")
        try:
            lms = [{"time": r["time"], "kind": "landmark", "published": r.get("target"),
                    "reconstructed": r.get("reconstructed"), "gap": r.get("gap"), "source": ""}
                   for a in arms for r in (a.get("quality") or {}).get("landmarks", [])]
        except (TypeError, KeyError, AttributeError):
            raise DataError(f"--provenance {path}: its 'arms' are not those of `remission "
                            "reconstruct --format json`") from None
        out = {"warning": "Reconstructed with `remission reconstruct` from a published "
                          "Kaplan-Meier curve or landmarks: approximate individual patient "
                          "data, not the trial's data.",
               "method": ", ".join(sorted({str(a.get("method")) for a in arms})),
               "arms": [{"arm": a.get("arm"), "n": a.get("n"), "events": a.get("events"),
                         "quality": a.get("quality") or {}} for a in arms],
               "landmarks": lms}
        fig = doc.get("figure")
        if is_sidecar(doc):  # the digitised curves and the overlay, for the origin section
            from ..reconstruct.provenance import check

            out["digitised"] = check(doc, path, data_path)
        if isinstance(fig, dict):  # `reconstruct --figure`: the curves were read off a picture
            out["figure"] = {k: fig.get(k) for k in ("file", "source", "curves_found",
                                                     "gaps_bridged", "y_scale", "at_risk_rows",
                                                     "sha256")}
            out["figure"]["pixels_per_unit"] = {
                ax: (fig.get(f"{ax}_axis") if isinstance(fig.get(f"{ax}_axis"), dict)
                     else {}).get("pixels_per_unit") for ax in ("x", "y")}
            out["warning"] = (f"Reconstructed from the figure {fig.get('file')} (its curves "
                              "digitised by `remission digitize`, then patients rebuilt by "
                              "`remission reconstruct`): approximate individual patient data, "
                              "not the trial's data.")
        return out
    return doc


def _check_nrm(d, cause, nrm_cause, nrm_from, smr, ages, prov) -> None:
    """--nrm-cause/--nrm-from before any work (one error line): competing risks, general-
    population mortality (age, sex and year, or a reconstruction's published cohort) and the
    check `fit --competing` makes of the cause and the time."""
    from ..errors import OptionError
    from ..models.competing.fit import _nrm

    opt = "--nrm-cause" if nrm_cause is not None else "--nrm-from"
    if d.cause is None:
        raise OptionError(f"{opt} needs --event-type (competing risks)")
    base = (prov or {}).get("cohort") or {}
    if not (None not in ages or (ages == (None, None, None) and None not in (
            base.get("age"), base.get("male_fraction"), base.get("year")))) \
            or d.time_unit is None:
        raise OptionError(f"{opt} needs general-population mortality: --age, --sex and "
                          "--year (and the data's --time-unit)")
    _nrm(d.cause_levels(), cause, nrm_cause, nrm_from, float(smr), None)


def analyze(data, *, horizon=None, dists=None, cure_dists=None, cures=("mixture", "non-mixture"),
            reps=500, sims=200, null_reps=500, extra_followup=None, dropout=0.0, seed=1,
            conf_level=0.95,
            landmarks=None, age=None, sex=None, year=None, lifetable="us", progress=False,
            source=None, provenance=None, smr=1.0, discount=0.035, cause=None, nrm_cause=None,
            nrm_from=None) -> Report:
    """Analyse one dataset end to end and return a :class:`Report`.

    ``data``: :class:`~remission.data.SurvivalData` (its group, if any, is analysed group by
    group), a file path or a pandas DataFrame.  ``horizon``: extrapolation horizon in the
    data's time unit (default 10 years when the unit is known).  ``dists``/``cure_dists``:
    families fitted without and with cure; ``cures``: cure kinds.  ``reps``: replicates of the
    cure-evidence tests; ``sims``: simulated trials per extra follow-up in the planning
    (modest by default; raise for final numbers) and ``dropout`` the yearly fraction lost to
    follow-up during the extra follow-up; ``seed`` makes everything reproducible.
    ``age``/``sex``/``year`` (numbers/values, or column names of ``data.covariates``) switch
    on general-population mortality from ``lifetable`` (``"us"`` or a CSV path); ``smr``
    multiplies its hazard where applied and ``discount`` is the annual discount rate of
    life-years (as ``fit --smr/--discount``).
    ``provenance``: a dict or a JSON file (``remission reconstruct --format json``) describing
    reconstructed data; bundled reconstructed datasets are recognised by name.
    Competing risks (``data`` with causes, ``--event-type``): the report is of the composite
    endpoint (any cause) and gains a competing-risks section; ``cause`` (e.g. relapse) names
    the cause of interest, whose cure fraction ("cured of the disease") is shown beside the
    endpoint's.  ``nrm_cause``/``nrm_from``: as ``fit --competing``, the cause bounded below
    by general-population mortality (needs ``age``/``sex``/``year``) and from when.

    >>> import remission as rm                                # doctest: +SKIP
    >>> rep = rm.analyze("cartitude1-pfs-approx.csv")         # doctest: +SKIP
    >>> open("report.html", "w").write(rep.to_html())         # doctest: +SKIP
    """
    from .context import DEFAULT_CURE_DISTS, DEFAULT_DISTS
    from .sections import builders, overview

    from ..models.spec import check_hta

    check_hta(smr, discount)  # an OptionError naming --smr/--discount, as `fit`
    t0 = _time.perf_counter()
    src = source if source is not None else (str(data) if isinstance(data, (str, os.PathLike))
                                             else None)
    d = _load(data, _columns(age, sex, year))
    if cause is None and d.cause is not None:  # a bundled competing-risks example's own
        cause = (d.meta or {}).get("cause_of_interest")
    src = src or (d.meta or {}).get("source")
    prov = provenance
    if isinstance(prov, (str, os.PathLike)):
        prov = reconstruction_provenance(prov, src)  # src: the patients file, when a file
    if prov is None:
        prov = bundled_provenance(src)
    if prov and d.time_unit is None and prov.get("time_unit"):
        d = replace(d, time_unit=prov["time_unit"])
    if dropout:
        from ..evidence.plan import dropout_hazard

        dropout_hazard(dropout, d.time_unit)  # an OptionError now, not a note in the report
    if nrm_cause is not None or nrm_from is not None:
        _check_nrm(d, cause, nrm_cause, nrm_from, smr, (age, sex, year), prov)
    opts = Options(horizon=horizon, dists=tuple(dists or DEFAULT_DISTS),
                   cure_dists=tuple(cure_dists or DEFAULT_CURE_DISTS), cures=tuple(cures),
                   reps=int(reps), sims=int(sims), null_reps=int(null_reps),
                   extra_followup=tuple(extra_followup) if extra_followup else None,
                   dropout=float(dropout), seed=int(seed), conf_level=float(conf_level),
                   landmarks=tuple(landmarks) if landmarks else None, age=age, sex=sex,
                   year=year, lifetable=lifetable, progress=bool(progress), source=src,
                   provenance=prov, smr=float(smr), discount=float(discount),
                   cause=None if cause is None else str(cause),
                   nrm_cause=None if nrm_cause is None else str(nrm_cause),
                   nrm_from=None if nrm_from is None else float(nrm_from))
    ctx = Context(d, opts)
    arms = [a.get("arm") for a in (prov or {}).get("arms") or [] if isinstance(a, dict)]
    if len(arms) > 1 and not ctx.grouped:  # reconstructed arms analysed as one population
        ctx.notes.append(f"the reconstructed data hold {len(arms)} arms, analysed here as one "
                         "population: give --group arm to analyse and compare them")
    if (prov or {}).get("figure") and not prov.get("digitised"):  # stdout JSON, not the sidecar
        ctx.notes.append("for the figure with its digitised curves drawn over it and the round "
                         "trip, give --provenance the OUTPUT.provenance.json that `reconstruct "
                         "--figure` wrote beside the patients")
    sections = []
    for _, build in builders():
        s = build(ctx)
        if s is not None:
            sections.append(s)
    sections.insert(0, overview.build(ctx, sections))
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return Report(sections, ctx, now, _time.perf_counter() - t0)
