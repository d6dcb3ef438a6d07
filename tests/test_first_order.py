"""Gradient descent: hand-worked steps, the learning-rate regimes of a quadratic, stopping."""

import numpy as np
import pytest

import course_opt

# C(theta) = k theta^2 / 2 with k = 3: theta_{t+1} = (1 - 3 lr) theta_t.
CURVATURE = 3.0


@pytest.fixture
def parabola():
    return course_opt.quadratic([[CURVATURE]])


def test_three_hand_worked_steps(parabola):
    trace = course_opt.gradient_descent(parabola, [2.0], lr=0.1, num_steps=3)
    # g = 3 theta: 2 -> 2 - 0.1 * 6 = 1.4 -> 1.4 - 0.1 * 4.2 = 0.98 -> 0.98 - 0.1 * 2.94 = 0.686
    np.testing.assert_allclose(trace.thetas[:, 0], [2.0, 1.4, 0.98, 0.686], rtol=1e-14)
    np.testing.assert_allclose(trace.values, [6.0, 2.94, 1.4406, 0.705894], rtol=1e-13)
    np.testing.assert_allclose(trace.grad_norms, [6.0, 4.2, 2.94, 2.058], rtol=1e-13)
    assert trace.num_steps == 3 and trace.message == "finished 3 steps"
    assert trace.theta[0] == pytest.approx(0.686)


def test_one_hand_worked_step_on_rosenbrock():
    trace = course_opt.gradient_descent(course_opt.rosenbrock(), [0.0, 0.0], lr=1e-3, num_steps=1)
    np.testing.assert_allclose(trace.thetas, [[0.0, 0.0], [0.002, 0.0]], atol=1e-15)


def test_small_learning_rate_approaches_monotonically(parabola):
    thetas = course_opt.gradient_descent(parabola, [1.0], lr=0.2 / CURVATURE, num_steps=30).thetas[:, 0]
    assert np.all(thetas > 0) and np.all(np.diff(thetas) < 0)
    np.testing.assert_allclose(thetas[1:] / thetas[:-1], 0.8, rtol=1e-12)


def test_learning_rate_between_one_and_two_over_k_oscillates_but_converges(parabola):
    thetas = course_opt.gradient_descent(parabola, [1.0], lr=1.8 / CURVATURE, num_steps=30).thetas[:, 0]
    assert np.all(np.sign(thetas[1:]) == -np.sign(thetas[:-1]))
    np.testing.assert_allclose(thetas[1:] / thetas[:-1], -0.8, rtol=1e-12)


def test_learning_rate_one_over_k_is_the_newton_step(parabola):
    trace = course_opt.gradient_descent(parabola, [5.0], lr=1.0 / CURVATURE, num_steps=3, tol=1e-12)
    assert trace.num_steps == 1 and trace.theta[0] == 0.0
    assert trace.message.startswith("converged")


def test_learning_rate_above_two_over_k_diverges_without_warnings(parabola):
    trace = course_opt.gradient_descent(parabola, [1.0], lr=2.2 / CURVATURE, num_steps=10_000)
    assert trace.message == "diverged"
    assert np.all(np.isfinite(trace.values)) and trace.values[-1] > 1e90
    assert len(trace.thetas) == len(trace.values) == len(trace.grad_norms)


def test_stops_when_the_gradient_is_small():
    f = course_opt.quadratic(np.diag([1.0, 10.0]), [1.0, 1.0])
    trace = course_opt.gradient_descent(f, [0.0, 0.0], lr=0.1, num_steps=10_000, tol=1e-8)
    assert trace.message.startswith("converged")
    assert trace.grad_norms[-1] <= 1e-8 < trace.grad_norms[-2]
    np.testing.assert_allclose(trace.theta, f.minimizer, atol=1e-7)


def test_schedule_gives_the_learning_rate_of_each_step(parabola):
    # lr_t = 0.1 / (t + 1): theta_1 = 2 (1 - 0.3), theta_2 = theta_1 (1 - 0.15)
    trace = course_opt.gradient_descent(parabola, [2.0], lr=lambda t: 0.1 / (t + 1), num_steps=2)
    np.testing.assert_allclose(trace.thetas[:, 0], [2.0, 1.4, 1.19], rtol=1e-14)


def test_zero_steps_returns_the_start(parabola):
    trace = course_opt.gradient_descent(parabola, [2.0], lr=0.1, num_steps=0)
    assert trace.num_steps == 0 and trace.values.tolist() == [6.0]


def test_start_point_is_not_modified(parabola):
    theta0 = np.array([2.0])
    course_opt.gradient_descent(parabola, theta0, lr=0.1, num_steps=3)
    assert theta0[0] == 2.0


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"lr": -0.1}, ValueError, "lr must be >= 0"),
        ({"lr": np.nan}, ValueError, "lr must be finite"),
        ({"lr": lambda t: -1.0}, ValueError, "lr at step 0"),
        ({"lr": "fast"}, TypeError, "lr must be a real number"),
        ({"theta0": [1.0, 2.0]}, ValueError, "theta0 must have length 1"),
        ({"theta0": [np.inf]}, ValueError, "theta0 contains NaN or infinite"),
        ({"num_steps": -1}, ValueError, "num_steps must be an integer >= 0"),
        ({"num_steps": 2.5}, ValueError, "num_steps"),
        ({"tol": -1.0}, ValueError, "tol must be >= 0"),
    ],
)
def test_bad_arguments_are_rejected_with_a_clear_message(parabola, kwargs, error, message):
    arguments = {"theta0": [1.0], "lr": 0.1, "num_steps": 5} | kwargs
    with pytest.raises(error, match=message):
        course_opt.gradient_descent(parabola, **arguments)
