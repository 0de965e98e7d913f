"""Bundled example datasets.

>>> [e.name for e in list_examples()][:3]
['alloauto', 'bmt', 'bmt-cr']
>>> load_example("lung")
SurvivalData(n=228, events=165, unit=days, groups=['1', '2'])

Every dataset is a gzipped CSV in this folder.  ``load_example(name)`` reads it with the
dataset's own column defaults (which any :func:`remission.data.from_dataframe` option
overrides); ``read_example(name)`` returns the raw table; ``example_path(name)`` its file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from ..errors import OptionError


@dataclass(frozen=True)
class Example:
    name: str
    description: str
    source: str
    file: str
    defaults: dict = field(default_factory=dict)  # from_dataframe options; None = not survival
    #: competing risks: the cause of interest (``--cause`` of ``analyze``) unless one is given
    cause: str | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "description": self.description, "source": self.source,
                "file": self.file, "survival_data": self.defaults is not None,
                "options": self.defaults, **({"cause": self.cause} if self.cause else {})}


_CARTITUDE_SOURCE = ("Reconstructed by scripts/build_cartitude1.py from Berdeja et "
                     "al. Lancet 2021; Martin et al. JCO 2023; Lin et al. ASCO 2023; Jagannath "
                     "et al. JCO 2025; see cartitude1_provenance.json")

#: competing-risks examples: cause name -> label in the event_type column (0 = censored),
#: the cause of interest first
_CR_BMT = {"relapse": "relapse", "death": "death"}
_CR_CARTITUDE = {"progression": "progression", "death": "death"}
_CR_MGUS2 = {"progression": "1", "death": "2"}

_EXAMPLES = [
    Example("alloauto",
            "Allogeneic (type 1) vs autologous (type 2) bone-marrow transplant for leukemia, "
            "101 patients, leukemia-free survival in months (time, delta)",
            "Klein & Moeschberger, Survival Analysis (2003), via R package KMsurv (alloauto)",
            "alloauto.csv.gz",
            {"time": "time", "event": "delta", "group": "type", "time_unit": "months"}),
    Example("bmt",
            "Bone-marrow transplant for acute leukemia, 137 patients in 3 risk groups; "
            "disease-free survival in days (t2, d3)",
            "Klein & Moeschberger, Survival Analysis (2003), via R package KMsurv (bmt)",
            "bmt.csv.gz",
            {"time": "t2", "event": "d3", "group": "group", "time_unit": "days"}),
    Example("bmt-cr",
            "Bone-marrow transplant for acute leukemia, 137 patients in 3 risk groups; "
            "competing risks in days (t2): relapse (d2) vs death in remission (d1 without "
            "d2), in the event_type column",
            "Klein & Moeschberger, Survival Analysis (2003), via R package KMsurv (bmt); "
            "event_type added by scripts/build_competing_examples.py",
            "bmt-cr.csv.gz",
            {"time": "t2", "event_type": "event_type", "causes": _CR_BMT, "group": "group",
             "time_unit": "days"}, cause="relapse"),
    Example("cartitude1-os-approx",
            "CARTITUDE-1 (cilta-cel, 97 patients, relapsed/refractory myeloma) overall "
            "survival, APPROXIMATE reconstruction from published landmarks, not trial data",
            _CARTITUDE_SOURCE, "cartitude1-os-approx.csv.gz",
            {"time": "time", "event": "event", "time_unit": "months"}),
    Example("cartitude1-pfs-approx",
            "CARTITUDE-1 (cilta-cel, 97 patients, relapsed/refractory myeloma) "
            "progression-free survival, APPROXIMATE reconstruction from published landmarks, "
            "not trial data",
            _CARTITUDE_SOURCE, "cartitude1-pfs-approx.csv.gz",
            {"time": "time", "event": "event", "time_unit": "months"}),
    Example("cartitude1-pfs-cr-approx",
            "CARTITUDE-1 progression-free survival (the cartitude1-pfs-approx "
            "reconstruction) with each event labelled progression or death without "
            "progression: an APPROXIMATE split matching published counts and days of death "
            "(18 of 35 deaths not from progression by 33.4 months; 46 progressed within 5 "
            "years), not trial data",
            _CARTITUDE_SOURCE.replace("scripts/build_cartitude1.py",
                                      "scripts/build_cartitude1.py and "
                                      "scripts/build_competing_examples.py")
            + " (competing_split); Janssen Medical Information, CARTITUDE-1 deaths",
            "cartitude1-pfs-cr-approx.csv.gz",
            {"time": "time", "event_type": "event_type", "causes": _CR_CARTITUDE,
             "time_unit": "months"}, cause="progression"),
    Example("lung",
            "Advanced lung cancer (NCCTG), 228 patients, survival in days; status 1/2 "
            "(2 = dead)",
            "Loprinzi et al. J Clin Oncol 1994, via R package survival (lung)",
            "lung.csv.gz",
            {"time": "time", "event": "status", "group": "sex", "time_unit": "days"}),
    Example("mgus2-cr",
            "Monoclonal gammopathy of undetermined significance, 1,384 patients at the Mayo "
            "Clinic; competing risks in months (etime): progression to a plasma-cell "
            "malignancy (etype 1) vs death without it (etype 2), by sex",
            "Kyle et al. N Engl J Med 2002, via R package survival (mgus2); etime and etype "
            "as in the package's competing-risks vignette, written by "
            "tests/fixtures/competing/competing.R",
            "mgus2-cr.csv.gz",
            {"time": "etime", "event_type": "etype", "causes": _CR_MGUS2, "group": "sex",
             "time_unit": "months"}, cause="progression"),
    Example("myeloma",
            "Multiple myeloma at the Mayo Clinic 1947-1996, 3,882 patients, survival in days "
            "(futime, death)",
            "Kyle et al., via R package survival (myeloma)",
            "myeloma.csv.gz",
            {"time": "futime", "event": "death", "time_unit": "days"}),
    Example("ovarian",
            "Ovarian cancer trial, 26 patients, cyclophosphamide alone (rx 1) or with "
            "adriamycin (rx 2), survival in days (futime, fustat)",
            "Edmonson et al. Cancer Treat Rep 1979, via R package survival (ovarian)",
            "ovarian.csv.gz",
            {"time": "futime", "event": "fustat", "group": "rx", "time_unit": "days"}),
    Example("us-lifetable",
            "US population mortality by age (0-109), sex and calendar year 1940-2014, as the "
            "daily hazard (a life table, not survival data)",
            "US national life tables via R package survival (survexp.us)",
            "us_lifetable.csv.gz", None),
    Example("veteran",
            "Veterans' Administration lung cancer trial, 137 patients, standard (trt 1) vs "
            "test (trt 2) chemotherapy, survival in days",
            "Kalbfleisch & Prentice (1980), via R package survival (veteran)",
            "veteran.csv.gz",
            {"time": "time", "event": "status", "group": "trt", "time_unit": "days"}),
]
_BY_NAME = {e.name: e for e in _EXAMPLES}


def list_examples() -> list[Example]:
    """Every bundled dataset: records with ``name``, ``description``, ``source``."""
    return list(_EXAMPLES)


def get_example(name: str) -> Example:
    key = str(name).strip().lower().replace("_", "-")
    if key not in _BY_NAME:
        raise OptionError(f"unknown example '{name}' (choose from {', '.join(_BY_NAME)})")
    return _BY_NAME[key]


def example_path(name: str):
    """Path (a Traversable; ``str()`` it for a file name) of the dataset's csv.gz file."""
    return resources.files(__name__).joinpath(get_example(name).file)


def read_example(name: str):
    """The dataset as a pandas DataFrame, exactly as stored."""
    import pandas as pd

    with example_path(name).open("rb") as f:
        return pd.read_csv(f, compression="gzip")


def load_example(name: str, **options):
    """The dataset as :class:`~remission.data.SurvivalData` with its own column defaults
    (time, event, group, time unit); any ``from_dataframe`` option overrides them, and
    ``group=None`` drops the default grouping.  A competing-risks example (``bmt-cr``) is
    read with its cause column (``event_type``, ``causes``) and records its cause of interest
    in ``meta["cause_of_interest"]``; ``event=COL`` reads it as plain survival data.

    >>> load_example("ovarian", group=None).meta["group_column"] is None
    True
    """
    from ..data import from_dataframe

    ex = get_example(name)
    if ex.defaults is None:
        raise OptionError(f"'{ex.name}' is not time-to-event data; use read_example('{ex.name}')")
    opts = {**ex.defaults, **options}
    if "cnsr" in options and "event" not in options:
        opts.pop("event", None)
    if options.get("event") is not None and "event_type" not in options:
        opts.pop("event_type", None)  # an event column given: not competing risks
        opts.pop("causes", None)
    elif "event_type" in options and "causes" not in options \
            and options["event_type"] != ex.defaults.get("event_type"):
        opts.pop("causes", None)  # the example's labels belong to its own column
    opts.setdefault("source", ex.name)
    data = from_dataframe(read_example(ex.name), **opts)
    if ex.cause is not None and data.cause is not None and ex.cause in data.cause_levels():
        data.meta["cause_of_interest"] = ex.cause
    return data


__all__ = ["Example", "list_examples", "get_example", "example_path", "read_example",
           "load_example"]
