"""Readable text of ``remission fit --group`` and ``compare --group`` documents."""
from __future__ import annotations

from .table import SummaryTable


def _f(v, fmt=".4g"):
    return "-" if v is None else format(v, fmt)


def groups_text(doc: dict) -> str:
    """Each group's model (as ``fit`` prints it), then the contrasts against the reference."""
    from .text import document_text

    col = doc.get("group_column") or "group"
    out = [f"One model per group of {col} (each group fitted alone)", ""]
    for g in doc["groups"]:
        body = {k: v for k, v in g.items() if k != "group"}
        out += [f"== {col} = {g['group']} ==", document_text(body), ""]
    out.append(comparison_text(doc["comparison"]))
    return "\n".join(out).rstrip()


def comparison_text(comp: dict) -> str:
    col = comp.get("group_column") or "group"
    if not comp.get("contrasts"):
        return f"Contrasts against {col} = {comp['reference']}: " + (
            comp.get("note") or "none (a single group)")
    pct = f"{100 * comp.get('conf_level', 0.95):g}%"
    rows = []
    for c in comp["contrasts"]:
        d, o = c["cure_fraction_difference"], c["cure_fraction_odds_ratio"]
        rows.append((f"{c['group']} vs {comp['reference']}", _f(c.get("cure_fraction")),
                     _f(c.get("cure_fraction_reference")), _f(d["estimate"]),
                     f"{_f(d['lower'])} to {_f(d['upper'])}", _f(o["estimate"]),
                     f"{_f(o['lower'])} to {_f(o['upper'])}", _f(c["p_equal_cure"])))
    foot = [f"difference interval: {comp.get('difference_scale')}",
            f"odds-ratio interval: {comp.get('odds_ratio_scale')}",
            f"p(equal): {comp.get('test')}"]
    for c in comp["contrasts"]:
        if c.get("note"):
            foot.append(f"{c['group']} vs {comp['reference']}: {c['note']}")
        u = c.get("uncured_median_ratio")
        if u:
            foot.append(f"{c['group']} vs {comp['reference']}, latency: ratio of the uncured's "
                        f"median times {_f(u['estimate'])} ({pct} CI {_f(u['lower'])} to "
                        f"{_f(u['upper'])})")
        b = c.get("bootstrap")
        if b:
            d, o = b["difference"], b["odds_ratio"]
            foot.append(f"{c['group']} vs {comp['reference']}, bootstrap percentile ({b['reps']} "
                        f"replicates): difference {_f(d['lower'])} to {_f(d['upper'])}, odds "
                        f"ratio {_f(o['lower'])} to {_f(o['upper'])}")
    lr = comp.get("lr_test")
    if lr:
        foot.append(f"{lr['test']}: " + (f"chisq = {lr['statistic']:.4g} on {lr['df']} df, "
                                         f"p = {lr['p']:.4g}" if lr.get("p") is not None
                                         else lr.get("note", "not computed")))
    return SummaryTable(f"Cure fractions compared ({col}; reference {comp['reference']})",
                        ("contrast", "cure", "cure (ref)", "difference", f"{pct} CI",
                         "odds ratio", f"{pct} CI", "p(equal)"), tuple(rows),
                        tuple(foot)).to_text()


def compare_groups_text(doc: dict, table_text) -> str:
    col = doc.get("group_column") or "group"
    out = []
    for g in doc["groups"]:
        out += [f"== {col} = {g['group']} ==", table_text(g), ""]
    return "\n".join(out).rstrip()
