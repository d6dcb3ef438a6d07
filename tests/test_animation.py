"""course_opt.animation: a self-contained player whose frames grow the paths step by step."""

import base64
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.display import HTML
from matplotlib.colors import to_hex

from course_opt.animation import animate_paths, path_animation
from course_opt.first_order import run
from course_opt.objectives import quadratic, rosenbrock
from course_opt.plotting import LINESTYLES, PALETTE
from course_opt.updates import optimizer

VALLEY = quadratic(np.diag([1.0, 10.0]))


def valley_paths(num_steps=12):
    start = [-2.0, 1.0]
    return {
        "GD": run(VALLEY, optimizer("sgd", lr=0.15), start, num_steps),
        "momentum": run(VALLEY, optimizer("momentum", lr=0.05, momentum=0.8), start, num_steps),
    }


def frames(html):
    """The PNG frames embedded in the player, decoded, in order."""
    encoded = re.findall(r'frames\[\d+\] = "data:image/png;base64,([^"]*)"', html)
    # The player splits each string over lines ending in a backslash.
    return [base64.b64decode(frame.replace("\\\n", "")) for frame in encoded]


@pytest.fixture(scope="module")
def player():
    return animate_paths(VALLEY, (-2.5, 1.0), (-1.5, 1.5), valley_paths(), interval=80, levels=8)


def test_animate_paths_returns_html_with_one_frame_per_step(player):
    assert isinstance(player, HTML)
    shown = frames(player.data)
    assert len(shown) == 13, "steps 0 .. 12"
    assert all(frame.startswith(b"\x89PNG") for frame in shown)
    assert len(set(shown)) == len(shown), "every frame differs from the others"


def test_frames_are_stored_with_a_palette_to_keep_the_page_small(player):
    # Byte 25 of a PNG is the colour type of its IHDR chunk: 3 means a palette.
    assert all(frame[25] == 3 for frame in frames(player.data))
    assert len(player.data) < 30_000 * len(frames(player.data)), "about 30 kB per frame at most"


def test_player_needs_no_network_and_no_icon_font(player):
    assert "://" not in player.data, "no stylesheet or script from a CDN"
    assert 'class="fa' not in player.data, "Font Awesome icons are replaced by inline SVG"
    for control in ("Play", "Pause", "Next frame", "Previous frame", "First frame", "Last frame"):
        button = re.search(rf'<button title="{control}"[^>]*>\s*(.*?)</button>', player.data, flags=re.S)
        assert button and button.group(1).startswith("<svg"), control


def test_player_image_has_alt_text(player):
    alt = re.search(r'<img id="_anim_img\w+" alt="([^"]+)">', player.data)
    assert alt and "GD, momentum" in alt.group(1)
    custom = animate_paths(VALLEY, (-2.5, 1.0), (-1.5, 1.5), valley_paths(2), levels=4,
                           description='Two "quoted" paths & more')
    assert 'alt="Two &quot;quoted&quot; paths &amp; more"' in custom.data


def test_player_plays_at_the_given_interval(player):
    assert re.search(r"new Animation\(frames, img_id, slider_id, 80(\.0)?,", player.data)


def test_animate_paths_leaves_no_figure_open():
    before = plt.get_fignums()
    animate_paths(VALLEY, (-2.5, 1.0), (-1.5, 1.5), valley_paths(3), levels=4)
    assert plt.get_fignums() == before


def test_long_paths_are_spread_over_max_frames_ending_on_the_last_step():
    trace = run(rosenbrock(), optimizer("sgd", lr=1e-3), [-1.2, 1.0], 200)
    html = animate_paths(rosenbrock(), (-1.6, 1.6), (-0.6, 1.8), {"GD": trace}, max_frames=10, levels=6).data
    assert len(frames(html)) == 10
    animation = path_animation(rosenbrock(), (-1.6, 1.6), (-0.6, 1.8), {"GD": trace}, max_frames=10, levels=6)
    animation.to_jshtml()  # draws every frame; the figure then shows the last one
    (line,) = animation._fig.axes[0].get_lines()[1:]
    np.testing.assert_array_equal(np.column_stack(line.get_data()), trace.thetas)
    assert line.get_markevery() == 201 // 25, "about 25 markers on a long path, as in the static figures"
    plt.close(animation._fig)


def test_paths_keep_the_colours_and_line_styles_of_the_static_figures():
    paths = {**valley_paths(4), "array": np.array([[-2.0, 1.0], [-1.0, 0.5], [0.0, 0.0]])}
    animation = path_animation(VALLEY, (-2.5, 1.0), (-1.5, 1.5), paths, levels=4)
    animation.to_jshtml()
    ax = animation._fig.axes[0]
    lines = [line for line in ax.get_lines() if line.get_label() in paths]
    assert [line.get_label() for line in lines] == list(paths)
    assert [to_hex(line.get_color()).upper() for line in lines] == [c.upper() for c in PALETTE[:3]]
    assert [line.get_linestyle() for line in lines] == list(LINESTYLES[:3]), "line styles tell the paths apart in grey"
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["minimizer", *paths]
    assert ax.get_title() == "step $t = 4$", "the last frame shows the longest path's last step"
    np.testing.assert_array_equal(np.column_stack(lines[2].get_data()), paths["array"])
    plt.close(animation._fig)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"paths": {}}, "at least one path"),
        ({"paths": {"bad": np.zeros((3, 3))}}, "shape"),
        ({"paths": {"bad": np.zeros((0, 2))}}, "shape"),
        ({"interval": 0}, "interval"),
        ({"max_frames": 1}, "max_frames"),
        ({"max_frames": 2.5}, "max_frames"),
    ],
)
def test_invalid_arguments_are_rejected_with_their_name(kwargs, message):
    arguments = {"paths": valley_paths(2), **kwargs}
    before = plt.get_fignums()
    with pytest.raises(ValueError, match=message):
        path_animation(VALLEY, (-2.5, 1.0), (-1.5, 1.5), **arguments)
    assert plt.get_fignums() == before, "no figure is left behind"


def test_objective_must_be_two_dimensional():
    before = plt.get_fignums()
    with pytest.raises(ValueError, match="2-D objective, got dim = 3"):
        animate_paths(quadratic(np.eye(3)), (-1, 1), (-1, 1), {"x": np.zeros((2, 2))})
    assert plt.get_fignums() == before
