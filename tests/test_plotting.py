"""Plotting helpers: what they draw, checked on the matplotlib objects."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import course_opt
from course_opt.plotting import PALETTE, plot_contours, plot_losses, series_style


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_series_styles_differ_in_colour_and_line_style():
    styles = [series_style(i) for i in range(len(PALETTE))]
    assert len({s["color"] for s in styles}) == len(PALETTE)
    assert len({str(s["linestyle"]) for s in styles}) == len(PALETTE)


def test_contour_plot_draws_each_path_and_the_minimizer():
    f = course_opt.rosenbrock()
    traces = {f"lr={lr}": course_opt.gradient_descent(f, [-1.0, 1.0], lr=lr, num_steps=50) for lr in (1e-3, 2e-3)}
    ax = plot_contours(f, (-1.5, 1.5), (-0.5, 1.5), paths=traces, resolution=40)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"minimizer", "lr=0.001", "lr=0.002"}
    np.testing.assert_array_equal(lines["lr=0.001"].get_xdata(), traces["lr=0.001"].thetas[:, 0])
    assert lines["lr=0.001"].get_color() != lines["lr=0.002"].get_color()
    assert ax.get_legend() is not None and ax.get_xlim() == (-1.5, 1.5)


def test_contour_plot_accepts_raw_arrays_and_rejects_other_dimensions():
    ax = plot_contours(course_opt.saddle(), (-1, 1), (-1, 1), paths={"path": [[0.5, 0.1], [0.4, 0.2]]}, resolution=20)
    assert [line.get_label() for line in ax.get_lines()] == ["path"]
    with pytest.raises(ValueError, match="2-D objective"):
        plot_contours(course_opt.rosenbrock(3), (-1, 1), (-1, 1))


def test_loss_plot_shows_the_gap_on_a_log_scale():
    f = course_opt.quadratic(np.diag([1.0, 5.0]), [1.0, 1.0])
    trace = course_opt.gradient_descent(f, [0.0, 0.0], lr=0.1, num_steps=20)
    ax = plot_losses({"GD": trace}, min_value=f.min_value)
    assert ax.get_yscale() == "log"
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_ydata(), trace.values - f.min_value)
