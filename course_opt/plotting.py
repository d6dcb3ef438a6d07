"""Plotting helpers for the book: contour maps with optimizer paths, and loss curves.

Colours come from the Okabe-Ito palette, which stays distinguishable under the common
colour-vision deficiencies, and each series also gets its own line style, so that the
figures read in grey scale too.
"""

import matplotlib.pyplot as plt
import numpy as np

from course_opt.trace import Trace

#: Okabe & Ito (2008), "Color universal design", without yellow (too pale on white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 2)), (0, (8, 2)))


def series_style(i):
    """Colour, line style and marker of the ``i``-th series of a figure."""
    markers = "osD^vP*"
    return {
        "color": PALETTE[i % len(PALETTE)],
        "linestyle": LINESTYLES[i % len(LINESTYLES)],
        "marker": markers[i % len(markers)],
    }


def plot_contours(objective, xlim, ylim, paths=None, ax=None, levels=25, resolution=160):
    """Contour map of a 2-D objective with optimizer paths drawn on top.

    ``paths`` maps a label to a :class:`Trace` or to an array of iterates of shape
    ``(k + 1, 2)``. Contour levels sit at quantiles of the plotted values, so that both
    a steep wall and a flat valley get lines. Returns the axes.
    """
    if objective.dim != 2:
        raise ValueError(f"plot_contours needs a 2-D objective, got dim = {objective.dim}")
    ax = plt.gca() if ax is None else ax
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    grid = np.array([[objective.value([x, y]) for x in xs] for y in ys])
    quantiles = np.linspace(0.0, 1.0, levels + 2)[1:-1] ** 2
    ax.contour(xs, ys, grid, levels=np.unique(np.quantile(grid, quantiles)), cmap="Greys_r", linewidths=0.8)
    if objective.minimizer is not None:
        ax.plot(*objective.minimizer, marker="*", markersize=14, color="black", linestyle="none",
                label="minimizer")
    for i, (label, path) in enumerate((paths or {}).items()):
        thetas = path.thetas if isinstance(path, Trace) else np.asarray(path, dtype=float)
        style = series_style(i)
        ax.plot(thetas[:, 0], thetas[:, 1], label=label, linewidth=1.6, markersize=3,
                markevery=max(1, len(thetas) // 25), **style)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    if paths:
        ax.legend(loc="best", fontsize="small")
    return ax


def plot_losses(traces, ax=None, min_value=0.0, ylabel=r"$C(\theta_t) - C^*$"):
    """Loss curves ``C(theta_t) - min_value`` against the step ``t`` on a log scale.

    ``traces`` maps a label to a :class:`Trace`. Returns the axes.
    """
    ax = plt.gca() if ax is None else ax
    for i, (label, trace) in enumerate(traces.items()):
        gap = np.asarray(trace.values, dtype=float) - min_value
        style = series_style(i)
        ax.semilogy(np.arange(len(gap)), gap, label=label, linewidth=1.6, markersize=3,
                    markevery=max(1, len(gap) // 15), **style)
    ax.set_xlabel("step $t$")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")
    return ax
