"""Static figures for publication (PNG, SVG, PDF) with matplotlib, imported lazily.

Every function takes :class:`~remission.data.SurvivalData` (analysed group by group when it
has a group) and returns a :class:`matplotlib.figure.Figure`; :func:`save` writes it in the
format named by the file extension.  No pyplot: figures are built on the object API, so
nothing touches the user's interactive backend.

>>> fig = km_plot(data)               # doctest: +SKIP
>>> save(fig, "km.pdf")               # doctest: +SKIP
"""
from __future__ import annotations

import numpy as np

from .style import PALETTE, axis_title, step, unit_ticks

FORMATS = ("png", "svg", "pdf")


def _figure(width, height):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig


def _style(ax, unit, ylabel="Survival probability"):
    from matplotlib.ticker import PercentFormatter

    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel(ylabel)
    ax.set_xlabel(axis_title(unit))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(True, color="#e6e6e6", linewidth=0.6)
    ax.set_axisbelow(True)


def _cohorts(data):
    if data.group_levels():
        return list(data.by_group())
    return [("all", data)]


def _label(lab):
    return "All patients" if lab == "all" else str(lab)


def _finish_panels(fig, axes, title):
    """The shared ending of a figure of stacked panels (one per group): the x label on the
    bottom panel only, one legend beside the top panel, the title above."""
    for ax in axes[:-1]:
        ax.set_xlabel("")
    axes[0].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    if title:
        fig.suptitle(title)
    return fig


def _name(data, lab):
    """"All patients", or "<group column> = <label>"."""
    col = (data.meta or {}).get("group_column")
    return _label(lab) if lab == "all" or not col else f"{col} = {lab}"


def _km_step(ax, k, color, label, ci=True):
    t, s = step(k.time, k.survival)
    ax.step(t, s, where="post", color=color, linewidth=1.6, label=label)
    if ci:
        lo, hi = step(k.time, k.lower)[1], step(k.time, k.upper)[1]
        ok = np.isfinite(lo) & np.isfinite(hi)
        ax.fill_between(t[ok], lo[ok], hi[ok], step="post", color=color, alpha=0.12,
                        linewidth=0)
    cens = k.n_censor > 0
    ax.plot(k.time[cens], k.survival[cens], linestyle="none", marker="|", color=color,
            markersize=6, markeredgewidth=1)


def km_plot(data, *, ci: bool = True, conf_level: float = 0.95, ticks=None,
            risk_table: bool = True, title: str | None = None, width: float = 7.0,
            height: float | None = None):
    """Kaplan-Meier curves per group with a KMunicate-style numbers-at-risk table (at risk,
    with cumulative censored and events in brackets) aligned under the time axis."""
    from ..nonparametric import kaplan_meier

    cohorts = _cohorts(data)
    kms = [(lab, kaplan_meier(sub, conf_level=conf_level)) for lab, sub in cohorts]
    tmax = float(np.max(data.time))
    ticks = list(ticks) if ticks else unit_ticks(tmax, data.time_unit)
    n_lines = 2 * len(kms) if risk_table else 0
    line_in = 0.2  # inches per line of the risk table
    height = height or (4.2 + line_in * (n_lines + 1.5))
    fig = _figure(width, height)
    if risk_table:
        gs = fig.add_gridspec(2, 1, height_ratios=[height - line_in * (n_lines + 1.5),
                                                   line_in * (n_lines + 1.5)])
        ax = fig.add_subplot(gs[0])
        rt = fig.add_subplot(gs[1], sharex=ax)
    else:
        ax = fig.add_subplot(1, 1, 1)
    names = [_name(data, lab) for lab, _ in kms]
    for i, ((lab, k), name) in enumerate(zip(kms, names)):
        _km_step(ax, k, PALETTE[i % len(PALETTE)], name, ci)
    _style(ax, data.time_unit)
    ax.set_xlim(0, (max(ticks[-1], tmax) or 1.0) * 1.02)  # every time 0: a unit-wide axis
    ax.set_xticks(ticks)
    if len(kms) > 1:
        ax.legend(frameon=False, loc="lower left")
    if title:
        ax.set_title(title)
    if risk_table:
        # KMunicate-style: per group a label line, then at risk (censored, events) per tick
        rt.set_ylim(n_lines - 0.5, -1.5)
        rt.axis("off")
        rt.text(0, -1.2, "Number at risk (censored, events)", transform=rt.get_yaxis_transform(),
                ha="left", va="center", fontsize=8.5, fontweight="bold")
        for i, ((lab, k), name) in enumerate(zip(kms, names)):
            color = PALETTE[i % len(PALETTE)]
            rt.text(0, 2 * i, name, transform=rt.get_yaxis_transform(), ha="left",
                    va="center", fontsize=8.5, color=color, fontweight="bold")
            for t in ticks:
                nr = int(k.n if t == 0 else k.n_risk_at([t])[0])
                c = int(k.n_censor[k.time <= t].sum())
                e = int(k.n_event[k.time <= t].sum())
                rt.text(t, 2 * i + 1, f"{nr} ({c}, {e})", ha="center", va="center",
                        fontsize=7.5, color=color)
        ax.tick_params(labelbottom=True)
    return fig


def _background(data, age, sex, year, lifetable):
    if age is None or sex is None or year is None or data.time_unit is None:
        return None
    from ..models.background import background_for

    # one patient of that age, sex and calendar year (the one builder of background mortality)
    return background_for(data, lifetable, float(age), sex, float(year))


def _fit(sub, dist, cure, conf_level):
    from ..models import ModelSpec

    f = ModelSpec(dist=dist, cure=cure, conf_level=conf_level).fit(sub)
    if not f.converged:
        from ..errors import ConvergenceError

        raise ConvergenceError(f"the {dist} {cure} cure model did not converge")
    return f


def fit_plot(data, dists=("weibull",), *, cure=None, horizon=None, conf_level=0.95, ci=True,
             age=None, sex=None, year=None, lifetable="us", title=None, width=7.0,
             height=4.6):
    """Kaplan-Meier with fitted curves, extrapolated to ``horizon`` (dashed beyond the
    longest follow-up); with ``age``/``sex``/``year`` the extrapolation includes
    general-population mortality (US life tables unless ``lifetable`` is a CSV)."""
    from ..nonparametric import kaplan_meier

    dists = [dists] if isinstance(dists, str) else list(dists)
    tmax = float(np.max(data.time))
    h = float(horizon or tmax * 2)
    fig = _figure(width, height)
    ax = fig.add_subplot(1, 1, 1)
    grid = np.linspace(0, h, 400)
    bg = _background(data, age, sex, year, lifetable)
    styles = ["-", "--", "-.", ":"]
    cohorts = _cohorts(data)
    for i, (lab, sub) in enumerate(cohorts):
        color = PALETTE[i % len(PALETTE)] if len(cohorts) > 1 else "#222222"
        _km_step(ax, kaplan_meier(sub, conf_level=conf_level), color,
                 f"Kaplan-Meier{'' if lab == 'all' else ': ' + _name(data, lab)}", ci=False)
        sub_max = float(np.max(sub.time))
        for j, dist in enumerate(dists):
            f = _fit(sub, dist, cure, conf_level)
            mc = color if len(cohorts) > 1 else PALETTE[(j + 1) % len(PALETTE)]
            p = f.survival(grid)
            est, lo, hi = p.estimate[0], p.lower[0], p.upper[0]
            name = dist + ("" if cure in (None, "none") else f" {cure} cure")
            if len(cohorts) > 1:
                name = f"{_name(data, lab)}: {name}"
            if bg is not None:
                from ..models.extrapolate import extrapolate

                ex = extrapolate(f if cure in (None, "none") else f.fit, bg, h, n_grid=400)
                est = np.interp(grid, ex.time, ex.survival)
                name += " + population mortality"
            obs = grid <= sub_max
            # with groups a model shares its group's colour, so it never draws solid like the KM
            ls = styles[(j + (len(cohorts) > 1)) % len(styles)]
            ax.plot(grid[obs], est[obs], color=mc, linestyle=ls,
                    linewidth=1.6, label=name)
            ax.plot(grid[~obs], est[~obs], color=mc, linestyle=":", linewidth=1.6)
            if ci and bg is None and len(dists) == 1:
                ok = np.isfinite(lo) & np.isfinite(hi)
                ax.fill_between(grid[ok], lo[ok], hi[ok], color=mc, alpha=0.10, linewidth=0)
    if bg is not None:
        ax.plot(grid, bg.expected_survival(grid), color="#888", linestyle=":",
                linewidth=1.2, label="general population")
    _finish_extrapolation(ax, data.time_unit, tmax, h, title, "Survival probability",
                          legend_size=8.5, legend_loc="upper right")
    return fig


def cure_plot(data, dist="weibull", *, cure="mixture", horizon=None, conf_level=0.95,
              title=None, width=7.0, height=4.2):
    """P(cured | event-free at t) = pi / S(t) from a cure model, with its confidence band."""
    tmax = float(np.max(data.time))
    h = float(horizon or tmax * 2)
    grid = np.linspace(0, h, 161)  # each point costs a small optimisation (projection CI)
    fig = _figure(width, height)
    ax = fig.add_subplot(1, 1, 1)
    for i, (lab, sub) in enumerate(_cohorts(data)):
        f = _fit(sub, dist, cure, conf_level)
        p = f.probability_cured(grid)
        color = PALETTE[i % len(PALETTE)]
        est, lo, hi = p.estimate[0], p.lower[0], p.upper[0]
        ax.plot(grid, est, color=color, linewidth=1.8,
                label=f"{'' if lab == 'all' else _name(data, lab) + ': '}{dist} {cure} cure")
        ok = np.isfinite(lo) & np.isfinite(hi)
        ax.fill_between(grid[ok], lo[ok], hi[ok], color=color, alpha=0.12, linewidth=0)
    _finish_extrapolation(ax, data.time_unit, tmax, h, title, "P(cured | event-free at t)",
                          legend_size=9, legend_loc="lower right")
    return fig


def _finish_extrapolation(ax, unit, tmax, h, title, ylabel, *, legend_size, legend_loc):
    """Axes of a curve drawn beyond the data: a dashed line at the end of follow-up."""
    ax.axvline(tmax, color="#999", linewidth=0.8, linestyle="--")
    _style(ax, unit, ylabel)
    ax.set_xlim(0, h)
    ax.set_xticks(unit_ticks(h, unit))
    ax.legend(frameon=False, fontsize=legend_size, loc=legend_loc)
    if title:
        ax.set_title(title)


def save(fig, path, dpi: int = 300) -> str:
    """Write ``fig``; the format comes from the extension (png, svg or pdf)."""
    import os

    from ..errors import OptionError

    ext = os.path.splitext(str(path))[1].lower().lstrip(".")
    if ext not in FORMATS:
        raise OptionError(f"-o {path}: the file must end in .png, .svg or .pdf")
    meta = {"png": {"Software": "remission"}, "svg": {"Creator": "remission"},
            "pdf": {"Creator": "remission"}}[ext]
    from ..safe_io import atomic_path

    with atomic_path(path, "-o") as tmp:  # never a partial figure (SPEC: outputs are safe)
        fig.savefig(tmp, format=ext, dpi=dpi, metadata=meta)
    return ext
