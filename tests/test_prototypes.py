"""Prototypes: derivatives against finite differences, the oracle's mean (or median) against
them by seeded Monte Carlo, the documented noise scales, known minima, closed forms for the
noise floor and the drift lag, and the suite's determinism and known failures."""

import functools

import numpy as np
import pytest
from conftest import finite_difference_grad

import course_opt
from course_opt import prototypes
from course_opt.prototypes import Prototype

# Points away from every kink (u = 0 and, for the plateau, |u| = 1).
POINTS = [-2.5, -0.7, 0.4, 1.6]


@pytest.mark.parametrize("shape", sorted(prototypes.SHAPES))
def test_exact_gradient_matches_finite_differences_of_the_value(shape):
    p = Prototype(shape, noise_scale=0.0)
    for point in POINTS:
        theta = np.array([point])
        np.testing.assert_allclose(p.exact_grad(theta), finite_difference_grad(p.value, theta), rtol=1e-7, atol=1e-9)
        np.testing.assert_array_equal(p.grad(theta, 0, np.random.default_rng(0)), p.exact_grad(theta))


def test_two_dimensional_gradient_matches_finite_differences_with_rotation_scales_and_drift():
    p = Prototype(("exponential", "laplace"), scales=(0.5, 3.0), angle=0.4, drift=(0.02, -0.01))
    theta, t = np.array([0.3, -0.8]), 7
    value_now = functools.partial(p.value, t=t)
    np.testing.assert_allclose(p.exact_grad(theta, t), finite_difference_grad(value_now, theta), rtol=1e-7)
    # By hand: u = R (theta - drift t), C = s_1(0.5 u_1) + s_2(3 u_2).
    cos, sin = np.cos(0.4), np.sin(0.4)
    u = np.array([[cos, sin], [-sin, cos]]) @ (theta - 7 * np.array([0.02, -0.01]))
    assert p.value(theta, t) == pytest.approx(np.expm1(0.5 * u[0]) - 0.5 * u[0] + 1 - np.exp(-3 * abs(u[1])),
                                              rel=1e-14)


@pytest.mark.parametrize("shape", sorted(prototypes.SHAPES))
@pytest.mark.parametrize("noise", ["gaussian", "multiplicative"])
def test_oracle_is_unbiased(shape, noise):
    # 2000 seeded draws: the sample mean lies within 5 standard errors of the exact gradient.
    p = Prototype(shape, noise=noise, noise_scale=0.5)
    rng = np.random.default_rng(1)
    for point in (-0.7, 1.6):
        theta = np.array([point])
        draws = np.array([p.grad(theta, 0, rng)[0] for _ in range(2000)])
        assert abs(draws.mean() - p.exact_grad(theta)[0]) < 5 * draws.std() / np.sqrt(draws.size), point


@pytest.mark.parametrize("shape", ["quadratic", "cliff", "exponential"])
def test_cauchy_oracle_has_no_mean_but_its_median_is_the_gradient(shape):
    # The standard error of a Cauchy sample median is pi sigma / (2 sqrt(n)).
    p = Prototype(shape, noise="cauchy", noise_scale=0.5)
    rng = np.random.default_rng(2)
    theta = np.array([-0.7])
    draws = np.array([p.grad(theta, 0, rng)[0] for _ in range(4000)])
    assert abs(np.median(draws) - p.exact_grad(theta)[0]) < 5 * np.pi * 0.5 / (2 * np.sqrt(draws.size))
    assert np.abs(draws - p.exact_grad(theta)[0]).max() > 100 * 0.5  # heavy tails: far outliers


def noise_draws(p, theta, num_draws=10_000, seed=3):
    rng = np.random.default_rng(seed)
    return np.array([p.grad(theta, 0, rng) for _ in range(num_draws)])


def test_noise_scales_are_as_documented():
    theta = np.array([1.6])  # quadratic: exact gradient 1.6
    gaussian = noise_draws(Prototype("quadratic", noise_scale=0.3), theta)[:, 0] - 1.6
    assert gaussian.std() == pytest.approx(0.3, rel=0.03)
    ratio = noise_draws(Prototype("quadratic", noise="multiplicative", noise_scale=0.3), theta)[:, 0] / 1.6
    assert ratio.std() == pytest.approx(np.sqrt(np.expm1(0.09)), rel=0.03)
    assert ratio.min() > 0  # the multiplicative noise never flips the gradient
    cauchy = noise_draws(Prototype("quadratic", noise="cauchy", noise_scale=0.3), theta, 20_000)[:, 0] - 1.6
    q1, q3 = np.percentile(cauchy, [25, 75])
    assert q3 - q1 == pytest.approx(2 * 0.3, rel=0.05)


def test_two_dimensional_noise_covariance_is_rotated_and_scaled():
    # Noise sigma xi_i on each shape's derivative, times c_i, rotated back: R^T diag(c^2) R sigma^2.
    angle, scales, sigma = np.pi / 6, np.array([1.0, 4.0]), 0.2
    p = Prototype(("quadratic", "quadratic"), noise_scale=sigma, scales=scales, angle=angle)
    theta = np.array([0.5, -0.2])
    noise = noise_draws(p, theta) - p.exact_grad(theta)
    R = p.rotation
    np.testing.assert_allclose(np.cov(noise.T), R.T @ np.diag(scales**2 * sigma**2) @ R, rtol=0.05, atol=0.005)


def test_every_standard_prototype_has_its_known_minimum():
    for p in prototypes.standard_prototypes():
        for t in (0, 50):
            assert p.value(p.minimizer(t), t) == 0.0 == p.min_value
            np.testing.assert_array_equal(p.exact_grad(p.minimizer(t), t), 0.0)
        assert p.value(p.theta0) > 0.5, p.name


@pytest.mark.parametrize("shape", sorted(prototypes.SHAPES))
def test_each_shape_is_smallest_at_zero_on_a_grid(shape):
    p = Prototype(shape)
    grid = np.linspace(-6, 6, 1201)
    values = np.array([p.value([u]) for u in grid])
    assert values.min() == 0.0 and grid[values.argmin()] == 0.0
    assert np.all(values[grid != 0.0] > 0.0)


def test_sgd_makes_progress_on_the_bowl_down_to_its_noise_floor():
    # theta_{t+1} = (1 - lr) theta_t - lr sigma xi is an AR(1) process with stationary variance
    # lr sigma^2 / (2 - lr), so the expected excess loss settles at lr sigma^2 / (2 (2 - lr)).
    bowl = Prototype("quadratic", noise_scale=0.1)
    trace = prototypes.run_prototype(bowl, course_opt.optimizer("sgd", lr=0.5), 3000, np.random.default_rng(4))
    assert trace.values[0] == 2.0 and trace.values[20] < 1e-2
    floor = 0.5 * 0.1**2 / (2 * (2 - 0.5))
    assert np.mean(trace.values[100:]) == pytest.approx(floor, rel=0.15)  # measured within 5%


def test_a_drifting_minimum_is_tracked_with_a_lag_of_drift_over_lr():
    # Noiseless: e_t = theta_t - drift t obeys e_{t+1} = (1 - lr) e_t - drift, so e -> -drift / lr
    # and the excess loss -> (drift / lr)^2 / 2.
    p = Prototype("quadratic", noise_scale=0.0, drift=0.01)
    trace = prototypes.run_prototype(p, course_opt.optimizer("sgd", lr=0.2), 300, np.random.default_rng(0))
    assert trace.values[-1] == pytest.approx(0.5 * (0.01 / 0.2) ** 2, rel=1e-9)
    assert trace.theta[0] == pytest.approx(p.minimizer(300)[0] - 0.01 / 0.2, rel=1e-9)


def test_the_cliff_throws_sgd_far_but_not_clipped_sgd():
    cliff = Prototype("cliff")
    sgd = course_opt.optimizer("sgd", lr=0.1)
    clip = functools.partial(course_opt.clip_by_norm, max_norm=1.0)
    plain = prototypes.run_prototype(cliff, sgd, 200, np.random.default_rng(0)).thetas[:, 0]
    clipped = prototypes.run_prototype(cliff, sgd, 200, np.random.default_rng(0), grad_transform=clip).thetas[:, 0]
    # Both walk down the slope of 1 at 0.1 per step and reach the wall after about 20 steps.
    arrival = np.argmax(plain < 0.1)
    assert arrival == np.argmax(clipped < 0.1) == 20
    # The wall's gradient of -100 sends SGD 10 units back (measured 9.9); clipped SGD stays
    # within one step of the minimum (measured 0.099).
    assert plain[arrival:].max() > 5.0
    assert np.abs(clipped[arrival:]).max() < 0.2


def test_adaptive_steps_cross_the_plateau_where_sgd_crawls():
    # On the plateau the gradient is 0.01 under noise 0.1: SGD moves 0.001 per step on
    # average, Adam about lr * 0.1. Median over five seeds after 300 steps (measured 1.00 vs 0.014).
    plateau = Prototype("plateau")
    result = prototypes.run_suite({"SGD": course_opt.optimizer("sgd", lr=0.1),
                                   "Adam": course_opt.optimizer("adam", lr=0.05)}, [plateau], 300, range(5))
    sgd, adam = result.median[0]
    assert sgd > 1.0 and adam < 0.05


@pytest.fixture(scope="module")
def every_rule():
    lrs = {"sgd": 0.1, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.5, "rmsprop": 0.01,
           "rmsprop_nesterov": 0.005, "adadelta": 1.0, "adam": 0.05, "adamw": 0.05}
    return {rule: course_opt.optimizer(rule, lr=lr) for rule, lr in lrs.items()}


def test_suite_of_every_rule_on_every_prototype_is_deterministic_under_its_seeds(every_rule):
    # Each seed's runs depend on that seed alone, not on the other seeds run beside it.
    suite = prototypes.standard_prototypes()
    first = prototypes.run_suite(every_rule, suite, 50, [0, 1])
    again = prototypes.run_suite(every_rule, suite, 50, [1])
    other = prototypes.run_suite(every_rule, suite[:2], 50, [2])
    assert first.final_excess.shape == (12, 9, 2) and first.median.shape == (12, 9)
    np.testing.assert_array_equal(first.final_excess[:, :, 1], again.final_excess[:, :, 0])
    assert np.all(first.final_excess[:2, :, 0] != other.final_excess[:, :, 0])
    assert first.optimizers == tuple(every_rule) and first.prototypes == tuple(p.name for p in suite)
    assert len(str(first).splitlines()) == 13


def test_a_diverged_run_scores_infinity_without_warnings(every_rule):
    # Curvature 100 along one axis: SGD with lr 0.1 > 2/100 diverges; Adam does not.
    stiff = Prototype(("quadratic", "quadratic"), scales=(1.0, 10.0), angle=np.pi / 6)
    trace = prototypes.run_prototype(stiff, every_rule["sgd"], 1000, np.random.default_rng(0))
    assert trace.message == "diverged" and np.all(np.isfinite(trace.values))
    result = prototypes.run_suite({"SGD": every_rule["sgd"], "Adam": every_rule["adam"]}, [stiff], 200, [0])
    assert result.median[0, 0] == np.inf and result.median[0, 1] < 1e-2


def test_names_say_what_the_prototype_is():
    assert Prototype("cliff").name == "cliff, gaussian 0.1"
    p = Prototype(("quadratic", "quadratic"), scales=(1.0, 10.0), angle=np.pi / 6, noise="cauchy", drift=0.01)
    assert p.name == "quadratic + quadratic (scales 1, 10; 30 deg), cauchy 0.1, drift 0.01, 0.01"


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: Prototype("saddle"), ValueError, "unknown shape 'saddle'"),
        (lambda: Prototype(("quadratic",) * 3), ValueError, "one shape name or two"),
        (lambda: Prototype("quadratic", noise="uniform"), ValueError, "unknown noise 'uniform'"),
        (lambda: Prototype("quadratic", noise_scale=-1.0), ValueError, "noise_scale must be >= 0"),
        (lambda: Prototype(("quadratic", "cliff"), scales=(1.0, 0.0)), ValueError, "scales must be positive"),
        (lambda: Prototype("quadratic", angle=0.3), ValueError, "angle rotates the axes of a 2-D prototype"),
        (lambda: Prototype("quadratic").grad([1.0], 0, 42), TypeError, "rng must be a numpy.random.Generator"),
        (lambda: Prototype("quadratic").value([1.0, 2.0]), ValueError, "theta must have length 1"),
        (lambda: prototypes.run_suite([], [Prototype("cliff")], 10, [0]), TypeError, "optimizers must be"),
        (lambda: prototypes.run_suite({"sgd": course_opt.optimizer("sgd", lr=0.1)}, ["cliff"], 10, [0]), TypeError,
         "prototypes must be"),
        (lambda: prototypes.run_suite({"sgd": course_opt.optimizer("sgd", lr=0.1)}, [Prototype("cliff")], 10, []),
         ValueError, "seeds must hold at least one seed"),
    ],
)
def test_bad_arguments_are_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_rule_that_never_moves_fails_every_standard_prototype():
    # The tests need tests: a minimum that drifted onto the start would pass a rule that never
    # moves (the suite's bowl drifts away from theta0 = 2 for that reason).
    result = prototypes.run_suite({"no step": course_opt.optimizer("sgd", lr=0.0)},
                                  prototypes.standard_prototypes(), 200, [0, 1])
    passed = [name for name, excess in zip(result.prototypes, result.median[:, 0]) if excess <= 0.1]
    assert not passed, f"a rule that never moves passes {passed}"
    towards = prototypes.Prototype("quadratic", drift=0.01)
    assert prototypes.run_suite({"no step": course_opt.optimizer("sgd", lr=0.0)}, [towards], 200, [0]).median[0, 0] == 0.0
