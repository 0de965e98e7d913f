"""Read a table from CSV/TSV/TXT (optionally gzipped), Parquet, SAS (.sas7bdat, .xpt) or Excel.

:func:`read_table` returns a pandas DataFrame whose row ``i`` (0-based) is data row ``i + 1``
of the file (the header is not a row; blank lines in text files are skipped).  Every failure
(missing or unreadable file, unknown extension, content that does not match the extension) is
a one-line :class:`~remission.errors.DataError` naming the file.
"""
from __future__ import annotations

import csv
import gzip
from pathlib import Path

from ..errors import DataError

TEXT = (".csv", ".tsv", ".tab", ".txt", ".dat")
FORMATS = {
    **{ext: "text" for ext in TEXT},
    ".parquet": "parquet", ".pq": "parquet",
    ".sas7bdat": "sas7bdat", ".xpt": "xport",
    ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel",
}
# File signatures, checked before parsing so that a renamed file gets a clear message.
_MAGIC = {
    "parquet": [b"PAR1"],
    "excel": [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
    "xport": [b"HEADER RECORD*******LIBRARY HEADER RECORD", b"HEADER RECORD*******LIBV8"],
    "sas7bdat": [bytes.fromhex("000000000000000000000000c2ea8160b31411cfbd92080009c7318c181f1011"),
                 bytes.fromhex("00" * 28 + "181f1011")],  # ReadStat's two known magic numbers
}
NA_VALUES = ["", "NA", "N/A", "NaN", "nan", "NULL", "null", ".", "#N/A"]


def _kind(path: Path) -> tuple[str, bool]:
    """(format, gzipped) from the file name."""
    name = path.name.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    ext = Path(name).suffix
    if ext not in FORMATS:
        known = ", ".join(sorted(set(FORMATS)))
        raise DataError(f"cannot read {path.name}: unknown file type '{ext or '(none)'}' "
                        f"(known: {known}; gzipped text as .csv.gz)")
    kind = FORMATS[ext]
    if gz and kind != "text":
        raise DataError(f"cannot read {path.name}: only text tables (.csv.gz, .tsv.gz) may "
                        "be gzipped")
    return kind, gz


def read_table(path, *, sheet=None):
    """Read ``path`` into a pandas DataFrame, choosing the reader from the extension.

    ``sheet`` (name or 0-based index) selects the Excel sheet (default: the first).
    Text files are decoded as UTF-8 (with or without BOM), falling back to Latin-1; the
    delimiter (comma, tab, semicolon or pipe) is sniffed from the first lines.
    ``NA``, empty cells and SAS's ``.`` are missing values.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> _ = open(p, "w").write("time;event\\n5;1\\n3;0\\n")
    >>> read_table(p).shape
    (2, 2)
    """
    p = Path(path)
    kind, gz = _kind(p)
    if not p.exists():
        raise DataError(f"cannot read {p}: no such file")
    if p.is_dir():
        raise DataError(f"cannot read {p}: it is a directory")
    try:
        with open(p, "rb") as f:
            head = f.read(64)
    except OSError as e:
        raise DataError(f"cannot read {p}: {e.strerror or e}") from None
    if kind in _MAGIC and not any(head.startswith(m) for m in _MAGIC[kind]):
        raise DataError(f"cannot read {p.name}: the content is not {_LABEL[kind]} file "
                        f"(does its extension match its content?)")
    if kind == "excel" and sheet is None:
        sheet = 0
    try:
        if kind == "text":
            df = _read_text(p, gz)
        elif kind == "parquet":
            import pandas as pd

            df = pd.read_parquet(p)
        elif kind in ("sas7bdat", "xport"):
            df = _read_sas(p, kind)
        else:
            df = _read_excel(p, sheet)
    except DataError:
        raise
    except ImportError as e:
        need = e.name or ("xlrd" if p.suffix.lower() == ".xls" else "an optional")
        raise DataError(f"cannot read {p.name}: reading this format needs the '{need}' "
                        "package (or save the sheet as .xlsx or .csv)"
                        if kind == "excel" else
                        f"cannot read {p.name}: reading this format needs the '{need}' "
                        "package") from None
    except Exception as e:  # noqa: BLE001 - every reader failure becomes one line
        msg = " ".join(str(e).split())[:200] or type(e).__name__
        raise DataError(f"cannot read {p.name} as {_LABEL[kind]}: {msg}") from None
    df.columns = [str(c).strip() for c in df.columns]
    _check_unique(df.columns, p.name, df.attrs.pop("header", None))
    return df.reset_index(drop=True)


def _check_unique(columns, name: str, header=None) -> None:
    """Refuse duplicate column names: which one is meant would be a guess.  ``header`` is the
    raw header of a text file (pandas renames a repeated ``time`` to ``time.1``)."""
    seen: dict[str, int] = {}
    for i, c in enumerate(header if header is not None else columns):
        c = str(c).strip()
        if c in ("", "nan", "None"):  # unnamed columns are not names
            continue
        if c in seen:
            raise DataError(f"cannot read {name}: the column name '{c}' appears twice "
                            f"(columns {seen[c] + 1} and {i + 1}); rename one", column=c)
        seen[c] = i


_LABEL = {"text": "a delimited text", "parquet": "a Parquet", "sas7bdat": "a SAS (sas7bdat)",
          "xport": "a SAS transport (xpt)", "excel": "an Excel"}


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:65536]:
        raise DataError(f"cannot read {name}: it is binary, not a delimited text table "
                        "(does its extension match its content?)")
    for enc in ("utf-8-sig", "latin-1"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\r\n\f"
                  or 127 <= ord(ch) < 160)
    if control > 0.01 * max(len(text[:65536]), 1):
        raise DataError(f"cannot read {name}: it is binary, not a delimited text table "
                        "(does its extension match its content?)")
    return text


def _read_text(p: Path, gz: bool):
    """Sniff from the first 64 KiB, then let pandas' C parser stream the whole file."""
    import pandas as pd

    try:
        if gz:
            with gzip.open(p, "rb") as f:
                head = f.read(65536)
        else:
            with open(p, "rb") as f:
                head = f.read(65536)
    except (OSError, EOFError) as e:
        raise DataError(f"cannot read {p.name}: not a valid gzip file ({e})") from None
    text = _decode(head, p.name)
    if not text.strip():
        raise DataError(f"cannot read {p.name}: the file is empty")
    if len(head) == 65536:  # drop a possibly cut last line before sniffing
        text = text[: text.rfind("\n") + 1] or text
    sep = _sniff(text, p)
    kw = dict(sep=sep, na_values=NA_VALUES, keep_default_na=False, skipinitialspace=True,
              compression="gzip" if gz else None)
    try:
        df = pd.read_csv(p, encoding="utf-8-sig", **kw)
    except UnicodeDecodeError:
        df = pd.read_csv(p, encoding="latin-1", **kw)
    except (OSError, EOFError) as e:
        raise DataError(f"cannot read {p.name}: {' '.join(str(e).split())}") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    df.attrs["header"] = next(csv.reader([first], delimiter=sep), [])  # before pandas' renames
    return df


def _sniff(text: str, p: Path) -> str:
    name = p.name.lower().removesuffix(".gz")
    sample = "\n".join(text.splitlines()[:50])
    first = sample.splitlines()[0] if sample else ""
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
        if sniffed in first:  # the header must contain the delimiter (else: a 1-column table)
            return sniffed
    except csv.Error:
        pass
    counts = {d: first.count(d) for d in ",\t;|"}
    best = max(counts, key=counts.get)
    if counts[best]:
        return best
    return "\t" if name.endswith((".tsv", ".tab")) else ","


def _read_sas(p: Path, kind: str):
    import pyreadstat

    if kind == "sas7bdat":
        df, _ = pyreadstat.read_sas7bdat(str(p))
    else:
        df, _ = pyreadstat.read_xport(str(p))
    return df


def _read_excel(p: Path, sheet):
    import pandas as pd

    engine = "openpyxl" if p.suffix.lower() in (".xlsx", ".xlsm") else None
    try:
        df = pd.read_excel(p, sheet_name=sheet, engine=engine, na_values=NA_VALUES)
        head = pd.read_excel(p, sheet_name=sheet, engine=engine, header=None, nrows=1)
        df.attrs["header"] = [str(c) for c in head.iloc[0].tolist()] if len(head) else None
        return df
    except (ValueError, KeyError, IndexError) as e:
        if "not found" in str(e) or "index" in str(e).lower():
            raise DataError(f"cannot read {p.name}: no sheet {sheet!r}") from None
        raise
