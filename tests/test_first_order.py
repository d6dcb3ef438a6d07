"""Gradient descent: hand-worked steps, the learning-rate regimes of a quadratic, stopping."""

import functools

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


@pytest.fixture
def noisy_regression():
    X, y = course_opt.linear_regression_data(2000, [2.0, -1.0, 0.5], 1.0, np.random.default_rng(1))
    return course_opt.least_squares(X, y)


def distance_by_epoch(objective, lr, num_epochs, batch_size=10):
    trace = course_opt.run(objective, course_opt.optimizer("sgd", lr=lr), np.zeros(3), batch_size=batch_size,
                           num_epochs=num_epochs, rng=np.random.default_rng(2))
    steps_per_epoch = objective.num_samples // batch_size
    return np.linalg.norm(trace.thetas[::steps_per_epoch] - objective.minimizer, axis=1)


def test_sgd_with_a_constant_rate_stalls_at_a_noise_floor(noisy_regression):
    distance = distance_by_epoch(noisy_regression, 0.05, 40)
    early, late = np.mean(distance[10:20]), np.mean(distance[30:40])
    assert late > 0.5 * early, "no further progress: the floor is set by the gradient noise"
    assert early > 1e-2


def test_sgd_with_a_decaying_rate_keeps_improving(noisy_regression):
    steps_per_epoch = 200
    schedule = lambda t: 0.05 / (1 + t / steps_per_epoch)  # noqa: E731  (a 1/t decay)
    constant = distance_by_epoch(noisy_regression, 0.05, 40)
    decaying = distance_by_epoch(noisy_regression, schedule, 40)
    assert np.mean(decaying[30:40]) < 0.5 * np.mean(constant[30:40])
    assert np.mean(decaying[30:40]) < 0.7 * np.mean(decaying[10:20])


def test_minibatch_run_takes_one_step_per_batch(noisy_regression):
    trace = course_opt.run(noisy_regression, course_opt.optimizer("sgd", lr=0.01), np.zeros(3), batch_size=300,
                           num_epochs=2, rng=np.random.default_rng(0))
    assert trace.num_steps == 2 * 7 and trace.message == "finished 14 steps"


def test_the_same_seed_gives_the_same_run(noisy_regression):
    runs = [course_opt.run(noisy_regression, course_opt.optimizer("adam", lr=0.01), np.zeros(3), batch_size=64,
                           num_epochs=2, rng=np.random.default_rng(9)) for _ in range(2)]
    np.testing.assert_array_equal(runs[0].thetas, runs[1].thetas)


def test_clipping_bounds_every_step():
    f = course_opt.quadratic(np.diag([100.0, 1.0]))
    opt = course_opt.optimizer("sgd", lr=0.001)
    clip = functools.partial(course_opt.clip_by_norm, max_norm=0.5)
    trace = course_opt.run(f, opt, [10.0, 10.0], 20, grad_transform=clip)
    steps = np.linalg.norm(np.diff(trace.thetas, axis=0), axis=1)
    assert np.all(steps <= 0.001 * 0.5 * (1 + 1e-9))
    assert steps[0] == pytest.approx(0.0005)


def test_preconditioning_with_the_hessian_is_one_newton_step():
    A = np.array([[50.0, 3.0], [3.0, 1.0]])
    f = course_opt.quadratic(A, [1.0, 1.0])
    trace = course_opt.preconditioned_gradient_descent(f, [5.0, -5.0], lr=1.0, precond=A, num_steps=5, tol=1e-10)
    np.testing.assert_allclose(trace.thetas[1], f.minimizer, rtol=1e-12)
    assert trace.num_steps == 1


def test_identity_preconditioner_is_gradient_descent():
    f = course_opt.quadratic(np.diag([1.0, 4.0]))
    plain = course_opt.gradient_descent(f, [1.0, 1.0], lr=0.2, num_steps=10)
    identity = course_opt.preconditioned_gradient_descent(f, [1.0, 1.0], lr=0.2, precond=np.eye(2), num_steps=10)
    np.testing.assert_allclose(identity.thetas, plain.thetas, rtol=1e-15)


def test_run_rejects_mixed_modes(noisy_regression, parabola):
    opt = course_opt.optimizer("sgd", lr=0.1)
    with pytest.raises(ValueError, match="either num_steps"):
        course_opt.run(noisy_regression, opt, np.zeros(3), 10, batch_size=5, num_epochs=1, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="not a mean over samples"):
        course_opt.run(parabola, opt, [1.0], batch_size=5, num_epochs=1, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="need num_epochs and a seeded rng"):
        course_opt.run(noisy_regression, opt, np.zeros(3), batch_size=5)
    with pytest.raises(ValueError, match="go with batch_size"):
        course_opt.run(noisy_regression, opt, np.zeros(3), 10, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="positive definite"):
        course_opt.preconditioned_gradient_descent(parabola, [1.0], 0.1, [[-1.0]], 3)
