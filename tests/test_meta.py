"""Learning to learn: the unrolled steps against the course's update rules, the hypergradient
against finite differences and by hand, and the learned hyperparameters against closed forms,
scipy and a brute-force grid search."""

import functools

import numpy as np
import pytest
import scipy.optimize

import course_opt
from course_opt import meta

NUM_META_STEPS = 200


def meta_adam():
    """The meta-optimizer of every run here: Adam with a cosine decay from 0.2 to 0."""
    return course_opt.optimizer("adam", lr=functools.partial(course_opt.cosine_lr, lr0=0.2, num_steps=NUM_META_STEPS))


@pytest.fixture(scope="module")
def family():
    """20 two-dimensional quadratics with curvatures in [0.1, 1] (condition number up to 10)."""
    return meta.random_quadratics(20, 2, np.random.default_rng(0))


def test_random_quadratics_have_the_stated_shapes_and_ranges():
    curvatures, theta0 = meta.random_quadratics(1000, 3, np.random.default_rng(1), curvature_range=(0.5, 2.0))
    assert curvatures.shape == theta0.shape == (1000, 3)
    assert curvatures.min() >= 0.5 and curvatures.max() < 2.0
    assert curvatures.mean() == pytest.approx(1.25, abs=0.02) and theta0.std() == pytest.approx(1.0, abs=0.03)
    again = meta.random_quadratics(1000, 3, np.random.default_rng(1), curvature_range=(0.5, 2.0))
    np.testing.assert_array_equal(curvatures, again[0])


@pytest.mark.parametrize("momentum", [0.0, 0.6])
def test_unrolled_steps_are_those_of_the_course_momentum_rule(family, momentum):
    curvatures, theta0 = family
    final_losses = []
    for k, theta in zip(curvatures, theta0):
        state = course_opt.momentum_init(theta)
        for _ in range(7):
            theta, state = course_opt.momentum_step(theta, state, lambda th, k=k: k * th, lr=0.8, momentum=momentum)
        final_losses.append(0.5 * np.sum(k * theta**2))
    assert meta.unrolled_loss(0.8, momentum, curvatures, theta0, 7) == pytest.approx(np.mean(final_losses), rel=1e-13)


def test_hypergradient_of_one_step_by_hand():
    # C = k theta^2 / 2, one step: L(lr) = k (1 - lr k)^2 theta0^2 / 2, dL/dlr = -k^2 (1 - lr k) theta0^2.
    k, theta0, lr = 3.0, 2.0, 0.1
    assert meta.unrolled_loss(lr, 0.0, [[k]], [[theta0]], 1) == pytest.approx(0.5 * k * (1 - lr * k) ** 2 * theta0**2,
                                                                            rel=1e-15)
    assert meta.hypergradient(lr, 0.0, [[k]], [[theta0]], 1)[0] == pytest.approx(-(k**2) * (1 - lr * k) * theta0**2,
                                                                               rel=1e-14)


@pytest.mark.parametrize("summed", [False, True])
@pytest.mark.parametrize("lr, momentum", [(0.5, 0.05), (1.2, 0.7)])
def test_hypergradient_matches_finite_differences_of_the_unrolled_loss(family, summed, lr, momentum):
    curvatures, theta0 = family
    h = 1e-6

    def loss(a, b):
        return meta.unrolled_loss(a, b, curvatures, theta0, 12, summed)

    expected = [(loss(lr + h, momentum) - loss(lr - h, momentum)) / (2 * h),
                (loss(lr, momentum + h) - loss(lr, momentum - h)) / (2 * h)]
    np.testing.assert_allclose(meta.hypergradient(lr, momentum, curvatures, theta0, 12, summed), expected, rtol=1e-6)


@pytest.mark.parametrize("num_steps, summed", [(1, False), (5, True)])
def test_learned_rate_for_one_quadratic_is_one_over_its_curvature(num_steps, summed):
    # lr = 1/k lands on the minimizer in one step, so every step's loss is 0 there.
    k = 4.0
    result = meta.meta_train([[k]], [[1.0]], num_steps, meta_adam(), NUM_META_STEPS, summed=summed)
    assert result.lr == pytest.approx(1 / k, rel=1e-3)  # measured within 1.2e-4
    assert result.losses[-1] < 1e-6 * result.losses[0]


def test_learned_rate_for_one_step_on_a_family_is_the_closed_form():
    # Minimizing the mean of k (1 - lr k)^2 theta0^2 / 2 over lr: lr* = sum k^2 theta0^2 / sum k^3 theta0^2.
    curvatures, theta0 = meta.random_quadratics(50, 3, np.random.default_rng(2))
    best = np.sum(curvatures**2 * theta0**2) / np.sum(curvatures**3 * theta0**2)
    result = meta.meta_train(curvatures, theta0, 1, meta_adam(), NUM_META_STEPS)
    assert result.lr == pytest.approx(best, rel=1e-3)  # measured 2.2e-5 off
    assert result.momentum == 0.0


def test_learned_rate_for_ten_steps_matches_scipy(family):
    # No closed form after several steps: scipy's bounded scalar minimizer is the reference.
    curvatures, theta0 = family
    reference = scipy.optimize.minimize_scalar(lambda lr: meta.unrolled_loss(lr, 0.0, curvatures, theta0, 10),
                                               bounds=(0.01, 3.0), method="bounded", options={"xatol": 1e-10})
    result = meta.meta_train(curvatures, theta0, 10, meta_adam(), NUM_META_STEPS, log_loss=True)
    assert result.lr == pytest.approx(reference.x, rel=1e-3)  # measured 1.3e-5 off
    assert result.losses[-1] == pytest.approx(reference.fun, rel=1e-6)
    # Below the stability limit 2 / k_max of the stiffest problem, as it must be after 10 steps.
    assert result.lr < 2 / curvatures.max()


def test_learned_momentum_beats_a_grid_search_and_the_best_gradient_descent(family):
    curvatures, theta0 = family

    def loss(lr, momentum):
        return meta.unrolled_loss(lr, momentum, curvatures, theta0, 15)

    result = meta.meta_train(curvatures, theta0, 15, meta_adam(), NUM_META_STEPS, momentum=0.5, log_loss=True)
    grid = [(loss(lr, momentum), lr, momentum)
            for lr in np.linspace(0.2, 6.0, 59) for momentum in np.linspace(0.0, 0.9, 19)]
    best_on_grid = min(grid)
    best_gd = scipy.optimize.minimize_scalar(lambda lr: loss(lr, 0.0), bounds=(0.01, 3.0), method="bounded",
                                             options={"xatol": 1e-10})
    # Measured: 3.9e-9 at (lr 2.24, momentum 0.27); grid 7.7e-9 at (2.2, 0.3); GD 1.9e-5.
    assert result.losses[-1] <= best_on_grid[0]
    assert abs(result.lr - best_on_grid[1]) < 0.2 and abs(result.momentum - best_on_grid[2]) < 0.1
    assert result.losses[-1] < 1e-3 * best_gd.fun


def test_meta_training_curve_records_every_meta_step(family):
    curvatures, theta0 = family
    result = meta.meta_train(curvatures, theta0, 5, course_opt.optimizer("sgd", lr=0.1), 30, lr=0.05)
    assert result.losses.shape == result.lrs.shape == result.momenta.shape == (31,)
    assert result.lrs[0] == pytest.approx(0.05, rel=1e-15) and result.lr == result.lrs[-1]
    assert result.losses[0] == pytest.approx(meta.unrolled_loss(0.05, 0.0, curvatures, theta0, 5), rel=1e-14)
    assert np.all(np.diff(result.losses) < 0)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: meta.unrolled_loss(-0.1, 0.0, [[1.0]], [[1.0]], 3), ValueError, "lr must be >= 0"),
        (lambda: meta.unrolled_loss(0.1, 1.0, [[1.0]], [[1.0]], 3), ValueError, "momentum must be < 1"),
        (lambda: meta.unrolled_loss(0.1, 0.0, [[1.0]], [[1.0, 2.0]], 3), ValueError,
         r"theta0 must have the shape of curvatures \(1, 1\)"),
        (lambda: meta.hypergradient(0.1, 0.0, [1.0], [1.0], 3), ValueError, "curvatures must be a 2-D matrix"),
        (lambda: meta.unrolled_loss(0.1, 0.0, [[1.0]], [[1.0]], 0), ValueError, "num_steps must be an integer >= 1"),
        (lambda: meta.meta_train([[1.0]], [[1.0]], 1, meta_adam(), 10, lr=0.0), ValueError, "lr must be > 0"),
        (lambda: meta.meta_train([[1.0]], [[1.0]], 1, meta_adam(), 10, momentum=0.0), ValueError,
         "momentum must be > 0"),
        (lambda: meta.random_quadratics(5, 2, 0), TypeError, "rng must be a numpy.random.Generator"),
        (lambda: meta.random_quadratics(5, 2, np.random.default_rng(0), (0.0, 1.0)), ValueError,
         r"curvature_range\[0\] must be > 0"),
        (lambda: meta.random_quadratics(5, 2, np.random.default_rng(0), 1.0), ValueError,
         r"curvature_range must be a pair"),
    ],
)
def test_bad_arguments_are_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()
