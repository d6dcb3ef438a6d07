"""Objectives: autograd's derivatives against closed forms, scipy and finite differences."""

import autograd.numpy as anp
import numpy as np
import pytest
import scipy.optimize
from conftest import finite_difference_grad, random_symmetric

import course_opt
from course_opt import Objective


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@pytest.fixture
def classification_data(rng):
    X = rng.standard_normal((40, 3))
    y = (X @ np.array([1.0, -2.0, 0.5]) + 0.3 * rng.standard_normal(40) > 0).astype(float)
    return X, y


def test_quadratic_derivatives_match_closed_form(rng):
    A = random_symmetric(rng, 4, eigenvalues=[0.5, 1.0, 3.0, 7.0])
    b = rng.standard_normal(4)
    f = course_opt.quadratic(A, b)
    theta = rng.standard_normal(4)
    assert f.value(theta) == pytest.approx(0.5 * theta @ A @ theta - b @ theta, rel=1e-12)
    np.testing.assert_allclose(f.grad(theta), A @ theta - b, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(f.hess(theta), A, rtol=1e-12, atol=1e-12)


def test_quadratic_minimizer_agrees_with_scipy(rng):
    A = random_symmetric(rng, 3, eigenvalues=[1.0, 2.0, 10.0])
    b = rng.standard_normal(3)
    f = course_opt.quadratic(A, b)
    result = scipy.optimize.minimize(f.value, np.zeros(3), jac=f.grad, method="BFGS", tol=1e-12)
    np.testing.assert_allclose(f.minimizer, result.x, atol=1e-7)
    assert f.min_value == pytest.approx(-0.5 * b @ np.linalg.solve(A, b), rel=1e-12)


def test_indefinite_quadratic_has_no_minimizer(rng):
    f = course_opt.quadratic(np.diag([1.0, -1.0]))
    assert f.minimizer is None and f.min_value is None


@pytest.mark.parametrize("dim", [2, 3, 6])
def test_rosenbrock_matches_scipy(rng, dim):
    f = course_opt.rosenbrock(dim)
    theta = rng.uniform(-2, 2, dim)
    assert f.value(theta) == pytest.approx(scipy.optimize.rosen(theta), rel=1e-12)
    np.testing.assert_allclose(f.grad(theta), scipy.optimize.rosen_der(theta), rtol=1e-12)
    np.testing.assert_allclose(f.hess(theta), scipy.optimize.rosen_hess(theta), rtol=1e-12)
    assert f.value(f.minimizer) == 0.0


def test_beale_has_its_published_minimum_and_finite_difference_gradient(rng):
    f = course_opt.beale()
    assert f.value([3.0, 0.5]) == 0.0
    np.testing.assert_array_equal(f.grad([3.0, 0.5]), [0.0, 0.0])
    assert f.value([1.0, 1.0]) == pytest.approx(1.5**2 + 2.25**2 + 2.625**2, rel=1e-14)
    theta = rng.uniform(-1, 1, 2)
    np.testing.assert_allclose(f.grad(theta), finite_difference_grad(f.value, theta), rtol=1e-6)


def test_saddle_is_critical_at_origin_with_mixed_curvature():
    f = course_opt.saddle()
    np.testing.assert_array_equal(f.grad([0.0, 0.0]), [0.0, 0.0])
    np.testing.assert_array_equal(f.hess([0.3, -2.0]), np.diag([1.0, -1.0]))
    assert f.minimizer is None


def test_least_squares_matches_normal_equations(rng):
    X = rng.standard_normal((30, 4))
    y = rng.standard_normal(30)
    f = course_opt.least_squares(X, y)
    theta = rng.standard_normal(4)
    np.testing.assert_allclose(f.grad(theta), X.T @ (X @ theta - y) / 30, rtol=1e-12)
    np.testing.assert_allclose(f.hess(theta), X.T @ X / 30, rtol=1e-12)
    np.testing.assert_allclose(f.minimizer, np.linalg.solve(X.T @ X, X.T @ y), rtol=1e-10)


def test_rank_deficient_least_squares_has_no_unique_minimizer(rng):
    X = rng.standard_normal((10, 2))
    X = np.column_stack([X, X[:, 0] + X[:, 1]])
    assert course_opt.least_squares(X, rng.standard_normal(10)).minimizer is None


def test_logistic_regression_derivatives_match_closed_form(rng, classification_data):
    X, y = classification_data
    f = course_opt.logistic_regression(X, y, l2=0.1)
    theta = rng.standard_normal(3)
    p = sigmoid(X @ theta)
    expected_value = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + 0.05 * theta @ theta
    assert f.value(theta) == pytest.approx(expected_value, rel=1e-12)
    np.testing.assert_allclose(f.grad(theta), X.T @ (p - y) / 40 + 0.1 * theta, rtol=1e-10)
    expected_hess = X.T @ (X * (p * (1 - p))[:, None]) / 40 + 0.1 * np.eye(3)
    np.testing.assert_allclose(f.hess(theta), expected_hess, rtol=1e-10)


def test_logistic_regression_is_stable_for_large_logits():
    X = np.array([[1.0], [-1.0]])
    f = course_opt.logistic_regression(X, np.array([1.0, 0.0]))
    assert f.value([1000.0]) == pytest.approx(0.0, abs=1e-300)
    assert f.value([-1000.0]) == pytest.approx(1000.0, rel=1e-12)


def test_logistic_regression_minimizer_agrees_with_scipy(classification_data):
    X, y = classification_data
    f = course_opt.logistic_regression(X, y, l2=0.1)
    result = scipy.optimize.minimize(f.value, np.zeros(3), jac=f.grad, method="BFGS", tol=1e-12)
    assert np.linalg.norm(f.grad(result.x)) < 1e-7


@pytest.mark.parametrize(
    "objective, dim",
    [
        (course_opt.rosenbrock(4), 4),
        (course_opt.beale(), 2),
        (course_opt.saddle(), 2),
        (course_opt.least_squares(np.arange(12.0).reshape(4, 3) ** 0.5, np.ones(4)), 3),
    ],
    ids=["rosenbrock", "beale", "saddle", "least squares"],
)
def test_hessian_vector_product_equals_hessian_times_vector(rng, objective, dim):
    theta = rng.uniform(-1, 1, dim)
    v = rng.standard_normal(dim)
    np.testing.assert_allclose(objective.hvp(theta, v), objective.hess(theta) @ v, rtol=1e-10, atol=1e-12)


def test_custom_objective_derives_everything_from_its_value(rng):
    f = Objective(lambda theta: anp.sum(anp.cos(theta) * theta**2), 3, name="custom")
    theta = rng.uniform(-1, 1, 3)
    np.testing.assert_allclose(f.grad(theta), finite_difference_grad(f.value, theta), rtol=1e-6)
    np.testing.assert_allclose(f.hess(theta)[0], finite_difference_grad(lambda t: f.grad(t)[0], theta), rtol=1e-5)
    assert f(theta) == f.value(theta)
    assert "custom" in repr(f)


def test_objective_does_not_modify_its_argument(rng):
    f = course_opt.rosenbrock(3)
    theta = rng.standard_normal(3)
    before = theta.copy()
    f.value(theta), f.grad(theta), f.hess(theta), f.hvp(theta, theta)
    np.testing.assert_array_equal(theta, before)


@pytest.mark.parametrize(
    "theta, message",
    [([1.0, 2.0, 3.0], "length 2"), ([[1.0, 2.0]], "1-D vector"), ([np.nan, 0.0], "NaN"), ("ab", "real numbers")],
)
def test_bad_theta_is_rejected_with_a_clear_message(theta, message):
    with pytest.raises((ValueError, TypeError), match=message):
        course_opt.rosenbrock().grad(theta)


def test_bad_objective_arguments_are_rejected():
    with pytest.raises(ValueError, match="symmetric"):
        course_opt.quadratic([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="square"):
        course_opt.quadratic(np.ones((2, 3)))
    with pytest.raises(ValueError, match="length 2"):
        course_opt.quadratic(np.eye(2), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="labels 0 or 1"):
        course_opt.logistic_regression(np.eye(2), [0.0, 2.0])
    with pytest.raises(ValueError, match="l2 must be >= 0"):
        course_opt.logistic_regression(np.eye(2), [0.0, 1.0], l2=-1.0)
    with pytest.raises(ValueError, match="y must have length 3"):
        course_opt.least_squares(np.ones((3, 2)), np.ones(4))
    with pytest.raises(ValueError, match="dim must be an integer >= 2"):
        course_opt.rosenbrock(1)
    with pytest.raises(ValueError, match="dim must be an integer >= 1"):
        Objective(lambda theta: theta[0], 0)


@pytest.mark.parametrize("make", [course_opt.beale, course_opt.rosenbrock, lambda: course_opt.rosenbrock(5),
                                  course_opt.double_well, lambda: course_opt.double_well(0.05)])
def test_closed_form_gradients_agree_with_autograd_and_finite_differences(rng, make):
    f = make()
    autograd_only = Objective(f._value, f.dim)  # the same value function, differentiated by autograd
    for theta in rng.uniform(-2.0, 2.0, (5, f.dim)):
        np.testing.assert_allclose(f.grad(theta), autograd_only.grad(theta), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(f.grad(theta), finite_difference_grad(f.value, theta), rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(f.hvp(theta, theta), f.hess(theta) @ theta, rtol=1e-10, atol=1e-10)


def test_beale_gradient_by_hand_at_one_point():
    # At (1, 1): r = c, dr/dx = y^i - 1 = 0, dr/dy = i x y^(i-1) = i.
    np.testing.assert_allclose(course_opt.beale().grad([1.0, 1.0]), [0.0, 2.0 * (1.5 + 2 * 2.25 + 3 * 2.625)],
                               rtol=1e-15)


def test_double_well_has_a_global_and_a_local_minimum():
    f = course_opt.double_well(0.2)
    for point in (f.minimizer, f.local_minimizer):
        np.testing.assert_allclose(f.grad(point), [0.0, 0.0], atol=1e-12)
        assert np.all(np.linalg.eigvalsh(f.hess(point)) > 0)
    x = f.minimizer[0]
    assert x**3 - x + 0.2 == pytest.approx(0.0, abs=1e-12)
    assert f.minimizer[0] < 0 < f.local_minimizer[0]
    # The tilt lowers the left well by about 2 * tilt relative to the right one.
    assert f.value(f.local_minimizer) - f.min_value == pytest.approx(0.4, rel=0.05)
    # scipy from either side of the barrier finds the same two minima.
    left = scipy.optimize.minimize(f.value, [-2.0, 1.0], jac=f.grad, tol=1e-12).x
    right = scipy.optimize.minimize(f.value, [2.0, 1.0], jac=f.grad, tol=1e-12).x
    np.testing.assert_allclose(left, f.minimizer, atol=1e-6)
    np.testing.assert_allclose(right, f.local_minimizer, atol=1e-6)


@pytest.mark.parametrize("tilt", [0.0, -0.1, 0.4, np.nan, "0.2"])
def test_double_well_refuses_a_tilt_without_two_minima(tilt):
    with pytest.raises((ValueError, TypeError), match="tilt"):
        course_opt.double_well(tilt)


def test_objective_refuses_a_gradient_that_is_not_callable():
    with pytest.raises(TypeError, match="grad must be a callable"):
        Objective(lambda theta: theta[0], 1, grad=1.0)
