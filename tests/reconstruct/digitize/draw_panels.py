"""Draw multi-panel Kaplan-Meier figures (PFS and OS side by side, as journals publish them)
with matplotlib from known data, for the ``--panel`` tests."""
from __future__ import annotations

import numpy as np

from .draw import true_at, truth


def draw_panels(path, panels, *, grid=(1, 2), size=(11, 4.4), dpi=100, xmax=40,
                colours=("tab:blue", "tab:orange"), titles=None, labels=None,
                risk_table=False):
    """Write a figure of ``panels`` [[(time, event), ...] per panel] laid out ``grid`` (rows,
    columns), numbered left to right then top to bottom, to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axs = plt.subplots(*grid, figsize=size, dpi=dpi, squeeze=False)
    for p, (ax, arms) in enumerate(zip(axs.ravel(), panels)):
        for k, (time, event) in enumerate(arms):
            t, s, _ = truth(time, event)
            ax.step(np.r_[0.0, t], np.r_[1.0, s], where="post", color=colours[k], lw=1.5,
                    label=labels[p][k] if labels else f"Arm {k + 1}")
            ct = np.sort(time[~event])
            ax.plot(ct, true_at(t, s, ct), ls="none", marker="|", ms=6, color=colours[k])
        ax.set_xlim(0, xmax)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("Time (months)")
        ax.set_ylabel("Survival")
        if titles:
            ax.set_title(titles[p])
        ax.legend(loc="upper right")
        if risk_table:
            for k, (time, _e) in enumerate(arms):
                for g in ax.get_xticks():
                    if 0 <= g <= xmax:
                        ax.text(g, -0.22 - 0.06 * k, str(int((time >= g).sum())),
                                transform=ax.get_xaxis_transform(), ha="center", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
