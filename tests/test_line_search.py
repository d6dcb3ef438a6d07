"""Line searches: hand-worked backtracking, the Armijo and strong Wolfe inequalities, the
same steps as scipy's ``line_search_wolfe2``, honest counts, failures and bad input."""

import warnings

import numpy as np
import pytest
import scipy.optimize

import course_opt
from course_opt import line_search
from course_opt.line_search import backtracking, wolfe


class Counted:
    """A function that counts its calls, so that a test can check the reported counts."""

    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, theta):
        self.calls += 1
        return self.fn(theta)


def random_rays(rng, objective, num):
    """Points with two directions each: steepest descent and a damped Newton direction."""
    for _ in range(num):
        theta = rng.uniform(-2.0, 2.0, objective.dim)
        grad = objective.grad(theta)
        yield theta, grad, -grad
        yield theta, grad, -np.linalg.solve(objective.hess(theta) + 10.0 * np.eye(objective.dim), grad)


# --- backtracking -------------------------------------------------------------------------


def test_backtracking_by_hand_on_a_parabola():
    # C = 5 theta^2 at theta = 1: g = 10, d = -g, phi(a) = 5 (1 - 10 a)^2, phi(0) = 5, phi'(0) = -100.
    # Armijo: phi(a) <= 5 - 0.01 a. a = 1: 405, a = 1/2: 80, a = 1/4: 11.25 fail; a = 1/8: 0.3125 holds.
    f = course_opt.quadratic([[10.0]])
    result = backtracking(f.value, [1.0], 5.0, [10.0], [-10.0])
    assert result.step == 0.125 and result.value == pytest.approx(0.3125, rel=1e-15)
    assert (result.nfev, result.ngev, result.grad, result.success) == (4, 0, None, True)


def test_backtracking_accepts_the_newton_step_at_once():
    f = course_opt.quadratic([[10.0]])
    result = backtracking(f.value, [1.0], 5.0, [10.0], [-1.0])
    assert (result.step, result.value, result.nfev) == (1.0, 0.0, 1)


def test_backtracking_shrink_and_lr0_set_the_trial_steps():
    # phi(a) = 5 (1 - 10 a)^2 with a = 0.3, 0.03: 20 fails, 2.45 <= 5 - 0.003 holds.
    f = course_opt.quadratic([[10.0]])
    result = backtracking(f.value, [1.0], 5.0, [10.0], [-10.0], lr0=0.3, shrink=0.1)
    assert result.step == pytest.approx(0.03, rel=1e-15) and result.nfev == 2


def test_backtracking_returns_the_first_step_that_satisfies_armijo(rng):
    f = course_opt.rosenbrock(2)
    for theta, grad, direction in random_rays(rng, f, 30):
        value, slope = f.value(theta), grad @ direction
        result = backtracking(f.value, theta, value, grad, direction, c1=0.3)
        assert result.success
        assert f.value(theta + result.step * direction) <= value + 0.3 * result.step * slope
        assert result.step == 0.5 ** (result.nfev - 1)
        if result.nfev > 1:  # the step before was rejected
            longer = 2.0 * result.step
            assert f.value(theta + longer * direction) > value + 0.3 * longer * slope


def test_backtracking_counts_every_evaluation(rng):
    f = course_opt.rosenbrock(2)
    for theta, grad, direction in random_rays(rng, f, 10):
        value_fn = Counted(f.value)
        result = backtracking(value_fn, theta, f.value(theta), grad, direction)
        assert result.nfev == value_fn.calls


def test_backtracking_backs_off_from_an_overflow_without_warnings():
    # C = exp(theta) - theta at theta = 0 with a huge direction: exp overflows at first.
    f = course_opt.Objective(lambda t: np.exp(t[0]) - t[0] + np.exp(-t[0]), 1)
    theta = np.array([1.0])
    grad = f.grad(theta)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = backtracking(f.value, theta, f.value(theta), grad, -1e4 * grad)
    assert result.success and result.nfev > 10


def test_backtracking_that_fails_says_so_and_does_not_move():
    # A gradient that claims descent along d where the cost rises: no step is acceptable.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = backtracking(lambda t: -float(t[0]), [0.0], 0.0, [1.0], [-1.0], max_iter=5)
    assert result == (0.0, 0.0, None, 5, 0, False)


# --- strong Wolfe -------------------------------------------------------------------------


@pytest.mark.parametrize("lr0", [1e-6, 1.0, 1e3])
def test_wolfe_step_satisfies_both_strong_wolfe_inequalities(rng, lr0):
    f = course_opt.rosenbrock(2)
    for theta, grad, direction in random_rays(rng, f, 30):
        value, slope = f.value(theta), grad @ direction
        result = wolfe(f.value, f.grad, theta, value, grad, direction, lr0=lr0, c1=1e-4, c2=0.5, max_iter=40)
        assert result.success
        new_theta = theta + result.step * direction
        assert result.value == f.value(new_theta)
        np.testing.assert_allclose(result.grad, f.grad(new_theta), rtol=1e-15)
        assert result.value <= value + 1e-4 * result.step * slope
        assert abs(result.grad @ direction) <= 0.5 * abs(slope)


@pytest.mark.parametrize("objective", [course_opt.rosenbrock(2), course_opt.beale()], ids=lambda f: f.name)
def test_wolfe_takes_the_steps_of_scipy_line_search_wolfe2(rng, objective):
    # Bracketing, zoom and the interpolation rules follow scipy's scalar_search_wolfe2, so
    # the step and the evaluations are the same, except where scipy's zoom meets an
    # interval with a_hi < a_lo: its margin 0.2 (a_hi - a_lo) is then negative and widens
    # the interval instead of keeping the trial away from its ends, which ours does.
    same = total = 0
    for theta, grad, direction in random_rays(rng, objective, 100):
        value = objective.value(theta)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # scipy's LineSearchWarning on a failure
            step, nfev, ngev, *_ = scipy.optimize.line_search(objective.value, objective.grad, theta, direction,
                                                              grad, value)
        if step is None:
            continue
        result = wolfe(objective.value, objective.grad, theta, value, grad, direction)
        total += 1
        same += result.step == pytest.approx(step, rel=1e-12) and (result.nfev, result.ngev) == (nfev, ngev)
    assert total >= 190 and same >= 0.9 * total


def test_wolfe_counts_every_evaluation(rng):
    f = course_opt.rosenbrock(2)
    for theta, grad, direction in random_rays(rng, f, 10):
        value_fn, grad_fn = Counted(f.value), Counted(f.grad)
        result = wolfe(value_fn, grad_fn, theta, f.value(theta), grad, direction, lr0=100.0)
        assert (result.nfev, result.ngev) == (value_fn.calls, grad_fn.calls)


def test_wolfe_on_a_parabola_accepts_the_exact_minimizer():
    # phi(a) = 5 (1 - 10 a)^2: the first trial a = 1/2 fails Armijo; the quadratic through
    # phi(0), phi'(0) and phi(1/2) is phi itself, so the zoom tries its minimizer a = 0.1.
    f = course_opt.quadratic([[10.0]])
    result = wolfe(f.value, f.grad, [1.0], 5.0, [10.0], [-10.0], lr0=0.5)
    assert result.step == pytest.approx(0.1, rel=1e-14) and result.value == pytest.approx(0.0, abs=1e-28)
    assert (result.nfev, result.ngev, result.success) == (2, 1, True)


def test_wolfe_on_a_ray_without_minimum_reports_failure_without_warnings():
    # C = -theta: phi'(a) = -1 never flattens; the search doubles the step and gives up.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = wolfe(lambda t: -float(t[0]), lambda t: np.array([-1.0]), [0.0], 0.0, [-1.0], [1.0], max_iter=6)
    assert not result.success
    # The best step satisfying Armijo that the search has seen is the last doubling.
    assert (result.step, result.value, result.nfev, result.ngev) == (32.0, -32.0, 6, 6)
    np.testing.assert_array_equal(result.grad, [-1.0])


def test_wolfe_does_not_modify_its_arguments():
    f = course_opt.rosenbrock(2)
    theta = np.array([-1.2, 1.0])
    grad = f.grad(theta)
    direction = -grad
    copies = theta.copy(), grad.copy(), direction.copy()
    wolfe(f.value, f.grad, theta, f.value(theta), grad, direction)
    for array, copy in zip((theta, grad, direction), copies):
        np.testing.assert_array_equal(array, copy)


# --- the conditions and bad input ---------------------------------------------------------


def test_conditions_by_hand():
    # phi(0) = 1, phi'(0) = -2, a = 0.5, c1 = 0.1: Armijo bound 1 - 0.1 = 0.9.
    assert line_search.armijo_condition(0.9, 1.0, -2.0, 0.5, c1=0.1)
    assert not line_search.armijo_condition(0.91, 1.0, -2.0, 0.5, c1=0.1)
    assert not line_search.armijo_condition(np.nan, 1.0, -2.0, 0.5)
    # |phi'(a)| <= c2 |phi'(0)| = 1.8 with c2 = 0.9
    assert line_search.strong_wolfe_conditions(0.5, 1.8, 1.0, -2.0, 0.5, c1=0.1, c2=0.9)
    assert not line_search.strong_wolfe_conditions(0.5, -1.9, 1.0, -2.0, 0.5, c1=0.1, c2=0.9)


@pytest.mark.parametrize("search", ["backtracking", "wolfe"])
def test_a_direction_that_is_not_descent_is_refused(search):
    f = course_opt.quadratic(np.eye(2))
    theta = np.array([1.0, 0.0])
    for direction in ([1.0, 0.0], [0.0, 1.0]):  # uphill, orthogonal
        with pytest.raises(ValueError, match="direction must be a descent direction"):
            _search(search, f, theta, f.value(theta), f.grad(theta), direction)


@pytest.mark.parametrize("search", ["backtracking", "wolfe"])
def test_non_finite_input_is_refused(search):
    f = course_opt.quadratic(np.eye(2))
    good = dict(theta=np.array([1.0, 0.0]), value=0.5, grad=np.array([1.0, 0.0]), direction=np.array([-1.0, 0.0]))
    bad_values = [("theta", [np.nan, 0.0]), ("value", np.inf), ("grad", [np.inf, 0.0]), ("direction", [-1.0, np.nan])]
    for name, bad in bad_values:
        args = {**good, name: bad}
        with pytest.raises(ValueError, match=name):
            _search(search, f, **args)


def test_wolfe_constants_must_satisfy_zero_lt_c1_lt_c2_lt_one():
    f = course_opt.quadratic(np.eye(1))
    for c1, c2 in [(0.9, 0.1), (0.5, 0.5), (0.0, 0.9), (1e-4, 1.0)]:
        with pytest.raises(ValueError, match="c1|c2"):
            wolfe(f.value, f.grad, [1.0], 0.5, [1.0], [-1.0], c1=c1, c2=c2)


def test_backtracking_parameters_are_checked():
    f = course_opt.quadratic(np.eye(1))
    for kwargs, name in [(dict(c1=1.0), "c1"), (dict(shrink=1.0), "shrink"), (dict(shrink=0.0), "shrink"),
                         (dict(lr0=0.0), "lr0"), (dict(max_iter=0), "max_iter")]:
        with pytest.raises(ValueError, match=name):
            backtracking(f.value, [1.0], 0.5, [1.0], [-1.0], **kwargs)


def test_direction_must_match_theta():
    f = course_opt.quadratic(np.eye(2))
    with pytest.raises(ValueError, match="direction must have length 2"):
        backtracking(f.value, [1.0, 0.0], 0.5, [1.0, 0.0], [-1.0])


def _search(kind, f, theta, value, grad, direction):
    if kind == "backtracking":
        return backtracking(f.value, theta, value, grad, direction)
    return wolfe(f.value, f.grad, theta, value, grad, direction)
