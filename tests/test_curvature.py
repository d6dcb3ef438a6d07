"""Curvature: against numpy/scipy linear algebra, closed forms and measured contraction."""

import decimal
import math

import numpy as np
import pytest
import scipy.linalg
import scipy.optimize
from conftest import random_symmetric

import course_opt


@pytest.mark.parametrize("dim", [1, 2, 5, 20])
def test_condition_number_equals_ratio_of_singular_values(rng, dim):
    hess = random_symmetric(rng, dim)  # indefinite in general
    assert course_opt.condition_number(hess) == pytest.approx(np.linalg.cond(hess, 2), rel=1e-9)


def test_condition_number_of_special_matrices():
    assert course_opt.condition_number(3.0 * np.eye(4)) == 1.0
    assert course_opt.condition_number(np.diag([-10.0, 2.0])) == 5.0
    assert course_opt.condition_number(np.diag([1.0, 0.0])) == np.inf
    assert course_opt.condition_number(np.zeros((2, 2))) == np.inf


def test_hessian_eigh_reconstructs_the_hessian(rng):
    hess = random_symmetric(rng, 5)
    eigenvalues, eigenvectors = course_opt.hessian_eigh(hess)
    assert np.all(np.diff(eigenvalues) >= 0)
    np.testing.assert_allclose(eigenvectors @ np.diag(eigenvalues) @ eigenvectors.T, hess, atol=1e-12)
    np.testing.assert_allclose(eigenvectors.T @ eigenvectors, np.eye(5), atol=1e-12)


def test_directional_curvature_is_eigenvalue_along_eigenvectors_and_bounded(rng):
    hess = random_symmetric(rng, 4, eigenvalues=[-2.0, 0.5, 1.0, 6.0])
    eigenvalues, eigenvectors = np.linalg.eigh(hess)
    for lam, q in zip(eigenvalues, eigenvectors.T):
        assert course_opt.directional_curvature(hess, 3.0 * q) == pytest.approx(lam, abs=1e-12)
    for _ in range(20):
        curvature = course_opt.directional_curvature(hess, rng.standard_normal(4))
        assert -2.0 - 1e-12 <= curvature <= 6.0 + 1e-12


def test_taylor_model_of_a_gradient_step_is_exact_on_a_quadratic(rng):
    A = random_symmetric(rng, 3, eigenvalues=[1.0, 4.0, 9.0])
    f = course_opt.quadratic(A, rng.standard_normal(3))
    theta = rng.standard_normal(3)
    g = f.grad(theta)
    for lr in [0.0, 0.05, 0.3, 1.0]:
        model = course_opt.taylor_gd_step(f.value(theta), g, f.hess(theta), lr)
        assert model == pytest.approx(f.value(theta - lr * g), rel=1e-12, abs=1e-12)


def test_taylor_model_error_is_third_order_on_rosenbrock():
    f = course_opt.rosenbrock()
    theta = np.array([-0.5, 0.8])
    g, hess = f.grad(theta), f.hess(theta)
    errors = [abs(course_opt.taylor_gd_step(f.value(theta), g, hess, lr) - f.value(theta - lr * g))
              for lr in [1e-3, 5e-4]]
    assert errors[0] / errors[1] == pytest.approx(8.0, rel=0.05)


def test_optimal_lr_minimizes_the_quadratic_along_the_gradient(rng):
    A = random_symmetric(rng, 4, eigenvalues=[0.5, 1.0, 2.0, 30.0])
    f = course_opt.quadratic(A, rng.standard_normal(4))
    theta = rng.standard_normal(4)
    g = f.grad(theta)
    best = scipy.optimize.minimize_scalar(lambda lr: f.value(theta - lr * g), bounds=(0, 10), method="bounded",
                                          options={"xatol": 1e-12})
    assert course_opt.optimal_lr(g, A) == pytest.approx(best.x, rel=1e-6)


def test_optimal_lr_along_an_eigenvector_is_inverse_eigenvalue():
    assert course_opt.optimal_lr([0.0, 2.0], np.diag([1.0, 4.0])) == pytest.approx(0.25)


def test_optimal_lr_is_infinite_without_positive_curvature_and_undefined_at_a_critical_point():
    assert course_opt.optimal_lr([0.0, 1.0], np.diag([1.0, -1.0])) == np.inf
    assert course_opt.optimal_lr([1.0, 0.0], np.diag([0.0, 1.0])) == np.inf
    with pytest.raises(ValueError, match="grad is zero"):
        course_opt.optimal_lr([0.0, 0.0], np.eye(2))


@pytest.mark.parametrize(
    "hess, expected",
    [
        (np.diag([1.0, 2.0]), "minimum"),
        (-np.eye(3), "maximum"),
        (np.diag([1.0, -1e-3]), "saddle"),
        (np.diag([1.0, 0.0]), "inconclusive"),
        (np.diag([0.0, -1.0]), "inconclusive"),
        (np.diag([1.0, 1e-10]), "inconclusive"),
        (np.zeros((2, 2)), "inconclusive"),
    ],
)
def test_second_derivative_test_classifies_by_eigenvalue_signs(hess, expected):
    assert course_opt.classify_critical_point(hess) == expected


def test_classification_of_the_library_objectives_at_their_critical_points():
    assert course_opt.classify_critical_point(course_opt.rosenbrock().hess([1.0, 1.0])) == "minimum"
    assert course_opt.classify_critical_point(course_opt.beale().hess([3.0, 0.5])) == "minimum"
    assert course_opt.classify_critical_point(course_opt.saddle().hess([0.0, 0.0])) == "saddle"
    assert course_opt.classify_critical_point(np.diag([1.0, 1e-6]), tol=1e-3) == "inconclusive"


@pytest.mark.parametrize("kappa", [1.0, 4.0, 10.0, 100.0])
def test_gradient_descent_contracts_at_the_predicted_rate(kappa):
    # Equal error along the two extreme eigenvectors is the worst case: each shrinks by
    # |1 - lr * lambda| = (kappa - 1)/(kappa + 1) with lr = 2/(L + mu).
    L, mu = kappa, 1.0
    f = course_opt.quadratic(np.diag([mu, L]))
    trace = course_opt.gradient_descent(f, [1.0, 1.0], lr=2.0 / (L + mu), num_steps=20)
    errors = np.linalg.norm(trace.thetas, axis=1)
    measured = (errors[-1] / errors[0]) ** (1.0 / 20) if kappa > 1 else errors[1] / errors[0]
    assert measured == pytest.approx(course_opt.gd_contraction(kappa), rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("kappa", [10.0, 100.0])
def test_heavy_ball_with_polyak_parameters_contracts_at_the_predicted_rate(kappa):
    # An independent heavy-ball iteration with Polyak's optimal parameters.
    A = np.diag([1.0, kappa])
    lr = 4.0 / (np.sqrt(kappa) + 1.0) ** 2
    momentum = course_opt.heavy_ball_contraction(kappa) ** 2
    theta, velocity, errors = np.array([1.0, 1.0]), np.zeros(2), []
    for _ in range(400):
        velocity = momentum * velocity - lr * (A @ theta)
        theta = theta + velocity
        errors.append(np.linalg.norm(theta))
    measured = (errors[-1] / errors[199]) ** (1.0 / 200)
    assert measured == pytest.approx(course_opt.heavy_ball_contraction(kappa), rel=0.03)
    assert course_opt.heavy_ball_contraction(kappa) < course_opt.gd_contraction(kappa)


@pytest.mark.parametrize("kappa, tol", [(1.0, 1e-3), (2.0, 0.5), (10.0, 1e-6), (1e4, 1e-8), (3.0, 1.0), (5.0, 2.0)])
def test_steps_to_tolerance_is_the_first_step_below_tolerance(kappa, tol):
    rate = (kappa - 1) / (kappa + 1)
    brute = next(k for k in range(10**7) if rate**k <= tol)
    assert course_opt.gd_steps_to_tolerance(kappa, tol) == brute


def test_steps_to_tolerance_when_the_tolerance_is_hit_exactly():
    # rate = 1/3 for kappa = 2, so 1/9 is reached after exactly two steps.
    assert course_opt.gd_steps_to_tolerance(2.0, 1.0 / 9.0) == 2


def test_steps_to_tolerance_predicts_gradient_descent_on_the_worst_case_start():
    kappa, tol = 50.0, 1e-4
    f = course_opt.quadratic(np.diag([1.0, kappa]))
    k = course_opt.gd_steps_to_tolerance(kappa, tol)
    trace = course_opt.gradient_descent(f, [1.0, 1.0], lr=2.0 / (kappa + 1.0), num_steps=k)
    errors = np.linalg.norm(trace.thetas, axis=1) / np.sqrt(2.0)
    assert errors[k] <= tol * (1 + 1e-12) < errors[k - 1]


def test_effective_condition_number_matches_generalized_eigenvalues(rng):
    hess = random_symmetric(rng, 5, eigenvalues=[1.0, 2.0, 5.0, 50.0, 200.0])
    precond = random_symmetric(rng, 5, eigenvalues=[1.0, 3.0, 4.0, 40.0, 100.0])
    eigenvalues = scipy.linalg.eigh(hess, precond, eigvals_only=True)
    expected = np.max(np.abs(eigenvalues)) / np.min(np.abs(eigenvalues))
    assert course_opt.effective_condition_number(hess, precond) == pytest.approx(expected, rel=1e-9)


def test_perfect_and_trivial_preconditioners(rng):
    hess = random_symmetric(rng, 4, eigenvalues=[1.0, 3.0, 10.0, 1000.0])
    assert course_opt.effective_condition_number(hess, hess) == pytest.approx(1.0, rel=1e-9)
    assert course_opt.effective_condition_number(hess, np.eye(4)) == pytest.approx(1000.0, rel=1e-9)
    badly_scaled = np.diag([1e4, 1e-2])
    jacobi = np.diag(np.diag(badly_scaled))
    assert course_opt.effective_condition_number(badly_scaled, jacobi) == pytest.approx(1.0)


def test_curvature_functions_reject_bad_input():
    with pytest.raises(ValueError, match="symmetric"):
        course_opt.condition_number([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="square"):
        course_opt.condition_number(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        course_opt.classify_critical_point([[np.nan, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="grad must have length 2"):
        course_opt.optimal_lr([1.0, 2.0, 3.0], np.eye(2))
    with pytest.raises(ValueError, match="non-zero direction"):
        course_opt.directional_curvature(np.eye(2), [0.0, 0.0])
    with pytest.raises(ValueError, match="lr must be >= 0"):
        course_opt.taylor_gd_step(1.0, [1.0, 0.0], np.eye(2), -0.1)
    with pytest.raises(ValueError, match="kappa must be >= 1"):
        course_opt.gd_contraction(0.5)
    with pytest.raises(ValueError, match="tol must be > 0"):
        course_opt.gd_steps_to_tolerance(10.0, 0.0)
    with pytest.raises(ValueError, match="positive definite"):
        course_opt.effective_condition_number(np.eye(2), np.diag([1.0, -1.0]))
    with pytest.raises(ValueError, match="shape of hess"):
        course_opt.effective_condition_number(np.eye(2), np.eye(3))


def exact_steps(kappa, tol):
    """Independent: 40-digit decimal logarithms of the exact rate (kappa - 1)/(kappa + 1)."""
    with decimal.localcontext() as ctx:
        ctx.prec = 40
        k, t = decimal.Decimal(kappa), decimal.Decimal(tol)
        return math.ceil(t.ln() / ((k - 1) / (k + 1)).ln())


@pytest.mark.parametrize("kappa, tol", [(1e6, 1e-6), (1e12, 1e-6), (1e14, 0.5), (7.0, 1e-300)])
def test_steps_to_tolerance_stays_exact_for_huge_condition_numbers(kappa, tol):
    assert course_opt.gd_steps_to_tolerance(kappa, tol) == exact_steps(kappa, tol)


def test_steps_beyond_float_precision_are_within_rounding():
    # Past 2^53 steps a float cannot hold every integer: 1e-14 relative is the best possible.
    assert course_opt.gd_steps_to_tolerance(1e17, 0.5) == pytest.approx(exact_steps(1e17, 0.5), rel=1e-14)
