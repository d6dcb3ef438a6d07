"""Animated optimizer paths that play in a static web page, with no kernel and no network.

``animate_paths`` draws the contour map of :func:`course_opt.plotting.plot_contours` and
lets the paths grow one step per frame. The result is self-contained HTML: matplotlib's
``to_jshtml`` player with every frame embedded as a PNG, its Font Awesome stylesheet (from
a CDN) removed and its button icons replaced by inline SVG, so the page needs nothing but
itself. Each path keeps the colour and line style it has in the book's static figures
(:func:`course_opt.plotting.series_style`).
"""

import base64
import re
from io import BytesIO

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from PIL import Image

from course_opt.plotting import plot_contours, series_style
from course_opt.trace import Trace


def animate_paths(objective, xlim, ylim, paths, interval=100, max_frames=40, levels=25,
                  figsize=(4.4, 3.4), dpi=100, description=None):
    """The paths of several optimizers on a contour map, as a self-contained HTML player.

    ``paths`` maps a label to a :class:`Trace` or to an array of iterates of shape
    ``(k + 1, 2)``, as in :func:`course_opt.plotting.plot_contours`. Frame ``j`` shows
    every path up to step ``t_j``; the steps ``t_j`` run from 0 to the longest path's
    last step in at most ``max_frames`` frames, ``interval`` milliseconds apart.
    ``description`` is the alt text of the player's image (a default names the paths).

    Returns an ``IPython.display.HTML`` object, shown as the player in a notebook and in
    the built book.
    """
    from IPython.display import HTML  # only needed here; the rest of course_opt works without IPython

    animation = path_animation(objective, xlim, ylim, paths, interval=interval, max_frames=max_frames,
                               levels=levels, figsize=figsize, dpi=dpi)
    try:
        html = animation.to_jshtml(default_mode="once")
    finally:
        # Close the figure, or a notebook would show its last frame a second time, as a
        # still image. (FuncAnimation keeps its figure in _fig and offers no public name.)
        plt.close(animation._fig)
    if description is None:
        description = (f"Animation of the paths of {', '.join(paths)} on a contour map, "
                       "growing by one step per frame.")
    return HTML(self_contained(html, description))


def path_animation(objective, xlim, ylim, paths, interval=100, max_frames=40, levels=25,
                   figsize=(4.4, 3.4), dpi=100):
    """The ``matplotlib.animation.FuncAnimation`` behind :func:`animate_paths`.

    Its figure holds one line per path, labelled and styled by
    :func:`course_opt.plotting.series_style`, and a title with the step shown.
    """
    if objective.dim != 2:
        raise ValueError(f"path_animation needs a 2-D objective, got dim = {objective.dim}")
    thetas = {label: _iterates(label, path) for label, path in dict(paths).items()}
    if not thetas:
        raise ValueError("paths must name at least one path")
    if not interval > 0:
        raise ValueError(f"interval must be a positive number of milliseconds, got {interval!r}")
    if int(max_frames) != max_frames or max_frames < 2:
        raise ValueError(f"max_frames must be an integer of at least 2, got {max_frames!r}")
    steps = _frame_steps(max(len(path) for path in thetas.values()) - 1, int(max_frames))

    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
    plot_contours(objective, xlim, ylim, ax=ax, levels=levels)
    lines = []
    for i, (label, path) in enumerate(thetas.items()):
        style = series_style(i)
        # About 25 markers per path, as in plot_contours: a marker on each of 10^4 iterates
        # would hide the line and slow every frame down.
        (line,) = ax.plot([], [], label=label, linewidth=1.6, markersize=3,
                          markevery=max(1, len(path) // 25), **style)
        lines.append(line)
    ax.legend(loc="best", fontsize="small")
    title = ax.set_title("", fontsize="medium")
    fig.tight_layout()

    def draw(frame):
        step = steps[frame]
        for line, path in zip(lines, thetas.values()):
            shown = path[: step + 1]
            line.set_data(shown[:, 0], shown[:, 1])
        title.set_text(f"step $t = {step}$")
        return (*lines, title)

    return FuncAnimation(fig, draw, frames=len(steps), interval=interval, blit=False)


def self_contained(html, description, colors=96):
    """matplotlib's ``to_jshtml`` output without its CDN stylesheet, with inline icons,
    alt text, and frames stored as PNGs of at most ``colors`` colours (a third of the size)."""
    html = re.sub(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">', "", html)
    html = re.sub(r'"data:image/png;base64,([^"]*)"', lambda frame: _palette_png(frame.group(1), colors), html)
    for icon, svg in _ICONS.items():
        html = html.replace(f'<i class="fa {icon}"></i>', svg)
    description = description.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    html = re.sub(r'<img id="(_anim_img\w+)">', rf'<img id="\1" alt="{description}">', html)
    return html


# ----------------------------------------------------------------------------- helpers


def _iterates(label, path):
    thetas = path.thetas if isinstance(path, Trace) else np.asarray(path, dtype=float)
    if thetas.ndim != 2 or thetas.shape[1] != 2 or len(thetas) == 0:
        raise ValueError(f"path {label!r} must hold iterates of shape (k + 1, 2), got shape {thetas.shape}")
    return thetas


def _frame_steps(last_step, max_frames):
    """The step shown in each frame: all of 0 .. last_step, or max_frames of them evenly spread."""
    if last_step + 1 <= max_frames:
        return list(range(last_step + 1))
    return sorted({int(round(s)) for s in np.linspace(0, last_step, max_frames)})


def _palette_png(encoded, colors):
    """A base64 PNG frame of the player (split over lines ending in a backslash), re-encoded
    with a palette of ``colors`` colours, as a JavaScript string literal."""
    png = base64.b64decode(encoded.replace("\\\n", ""))
    image = Image.open(BytesIO(png)).convert("RGB").quantize(colors)
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return f'"data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode("ascii")}"'


def _svg(body, flip=False):
    transform = ' transform="scale(-1 1) translate(-16 0)"' if flip else ""
    return (f'<svg viewBox="0 0 16 16" width="1em" height="1em" fill="currentColor" aria-hidden="true">'
            f'<g{transform}>{body}</g></svg>')


_PLAY = '<path d="M4 2l10 6-10 6z"/>'
_STEP = '<path d="M3 2l8 6-8 6z"/><rect x="11" y="2" width="2" height="12"/>'
_JUMP = '<path d="M1 2l6 6-6 6z"/><path d="M7 2l6 6-6 6z"/><rect x="13" y="2" width="2" height="12"/>'

#: Inline SVG replacements of the Font Awesome icons of matplotlib's player.
_ICONS = {
    "fa-minus": _svg('<rect x="2" y="7" width="12" height="2"/>'),
    "fa-plus": _svg('<rect x="2" y="7" width="12" height="2"/><rect x="7" y="2" width="2" height="12"/>'),
    "fa-play": _svg(_PLAY),
    "fa-play fa-flip-horizontal": _svg(_PLAY, flip=True),
    "fa-pause": _svg('<rect x="3" y="2" width="3.5" height="12"/><rect x="9.5" y="2" width="3.5" height="12"/>'),
    "fa-step-forward": _svg(_STEP),
    "fa-step-backward": _svg(_STEP, flip=True),
    "fa-fast-forward": _svg(_JUMP),
    "fa-fast-backward": _svg(_JUMP, flip=True),
}
