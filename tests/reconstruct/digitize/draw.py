"""Draw Kaplan-Meier figures with matplotlib from known data, for digitising tests.

Each arm is simulated (exponential event times, uniform censoring, fixed seed), its exact
Kaplan-Meier step function computed by remission, and drawn the way journals draw them.
"""
from __future__ import annotations

import numpy as np

import remission as rm


def arm(n, rate, seed, follow=40.0):
    rng = np.random.default_rng(seed)
    t = rng.exponential(1 / rate, n)
    c = rng.uniform(follow / 4, follow, n)
    return np.minimum(t, c), t <= c


def truth(time, event):
    km = rm.kaplan_meier(time, event)
    return np.asarray(km.time, float), np.asarray(km.survival, float), km


def true_at(times, surv, t):
    i = np.searchsorted(times, np.asarray(t, float), side="right") - 1
    return np.where(i >= 0, surv[np.clip(i, 0, None)], 1.0)


def draw(path, arms, *, colours=("tab:blue", "tab:orange", "tab:green"), styles=None,
         percent=False, band=False, grid=False, legend=True, censor=True, dpi=100,
         size=(6.4, 4.4), xmax=40, xticks=None, yticks=None, risk_table=False, lw=1.5,
         marker="|", rotate_y=False, labels=None):
    """Write a figure of ``arms`` [(time, event)] to ``path`` (format from its suffix);
    ``labels``: the legend's (default "Arm 1", "Arm 2", ...)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size, dpi=dpi)
    scale = 100.0 if percent else 1.0
    for k, (time, event) in enumerate(arms):
        t, s, km = truth(time, event)
        x = np.r_[0.0, t]
        y = np.r_[1.0, s] * scale
        ls = styles[k] if styles else "-"
        ax.step(x, y, where="post", color=colours[k], lw=lw, ls=ls,
                label=labels[k] if labels else f"Arm {k + 1}")
        if band:
            lo = np.r_[1.0, np.asarray(km.lower, float)] * scale
            hi = np.r_[1.0, np.asarray(km.upper, float)] * scale
            ax.fill_between(x, np.nan_to_num(lo), np.nan_to_num(hi, nan=scale), step="post",
                            color=colours[k], alpha=0.2, lw=0)
        if censor:
            ct = np.sort(time[~event])
            ax.plot(ct, true_at(t, s, ct) * scale, ls="none", marker=marker, ms=6,
                    color=colours[k])
    ax.set_xlim(0, xmax)
    ax.set_ylim(0, 1.02 * scale)
    if xticks is not None:
        ax.set_xticks(xticks)
    if yticks is not None:
        ax.set_yticks([v * scale for v in yticks])
    if grid:
        ax.grid(True, color="#b0b0b0", lw=0.8)
    if rotate_y:  # y labels written upwards along the axis, as R's default (las = 0)
        ax.tick_params(axis="y", labelrotation=90)
    if legend:
        ax.legend(loc="upper right")
    ax.set_xlabel("Time (months)")
    ax.set_ylabel("Overall survival (%)" if percent else "Overall survival")
    if risk_table:
        grid_t = ax.get_xticks()
        for k, (time, _e) in enumerate(arms):
            for g in grid_t:
                if 0 <= g <= xmax:
                    ax.text(g, -0.22 - 0.06 * k, str(int((time >= g).sum())),
                            transform=ax.get_xaxis_transform(), ha="center", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
