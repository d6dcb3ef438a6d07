"""Standardization and whitening against hand-worked cases and their defining properties."""

import numpy as np
import pytest

import course_opt


def correlated_inputs(rng, n, d):
    mixing = rng.standard_normal((d, d)) * 10.0 ** rng.uniform(-2, 2, d)
    return rng.standard_normal((n, d)) @ mixing + 10.0 * rng.standard_normal(d)


def test_standardize_by_hand():
    # Column 0: mean 1, population std 1; column 1: mean 10, std 5.
    X_train = np.array([[0.0, 5.0], [2.0, 15.0]])
    Z_train, Z_val = course_opt.standardize(X_train, np.array([[4.0, 10.0], [1.0, 0.0]]))
    np.testing.assert_array_equal(Z_train, [[-1.0, -1.0], [1.0, 1.0]])
    np.testing.assert_array_equal(Z_val, [[3.0, 0.0], [0.0, -2.0]])


def test_standardized_training_columns_have_mean_zero_and_unit_variance(rng):
    X_train, X_val = correlated_inputs(rng, 200, 4), correlated_inputs(rng, 30, 4)
    before = X_train.copy(), X_val.copy()
    Z_train, Z_val = course_opt.standardize(X_train, X_val)
    np.testing.assert_allclose(Z_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z_train.std(axis=0), 1.0, rtol=1e-12)
    # The validation rows go through the same affine map: rebuild it from two training rows.
    scale = (X_train[1] - X_train[0]) / (Z_train[1] - Z_train[0])
    np.testing.assert_allclose(Z_val, (X_val - X_train[0]) / scale + Z_train[0], rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(X_train, before[0])
    np.testing.assert_array_equal(X_val, before[1])


def test_whiten_by_hand_on_uncorrelated_columns_equals_standardize():
    X_train = np.array([[0.0, 5.0], [2.0, 5.0], [0.0, 15.0], [2.0, 15.0]])
    X_val = np.array([[4.0, 10.0]])
    for whitened, standardized in zip(course_opt.whiten(X_train, X_val), course_opt.standardize(X_train, X_val)):
        np.testing.assert_allclose(whitened, standardized, rtol=1e-14, atol=1e-14)


def test_whitened_training_data_has_identity_covariance_and_zca_is_symmetric(rng):
    X_train, X_val = correlated_inputs(rng, 300, 5), correlated_inputs(rng, 20, 5)
    Z_train, Z_val = course_opt.whiten(X_train, X_val)
    np.testing.assert_allclose(Z_train.mean(axis=0), 0.0, atol=1e-10)
    np.testing.assert_allclose(Z_train.T @ Z_train / 300, np.eye(5), atol=1e-9)
    # z = (x - mu) W: solve for W from the data and check W = Sigma^{-1/2}, i.e. W symmetric, W^2 Sigma = I.
    centred = X_train - X_train.mean(axis=0)
    W = np.linalg.lstsq(centred, Z_train, rcond=None)[0]
    np.testing.assert_allclose(W, W.T, rtol=1e-7, atol=1e-9 * np.abs(W).max())
    np.testing.assert_allclose(W @ W @ np.cov(X_train.T, bias=True), np.eye(5), atol=1e-7)
    np.testing.assert_allclose(Z_val, (X_val - X_train.mean(axis=0)) @ W, rtol=1e-7, atol=1e-7)


def test_whitening_makes_least_squares_perfectly_conditioned(rng):
    X_train = correlated_inputs(rng, 500, 3)
    Z_train, _ = course_opt.whiten(X_train, X_train[:1])
    kappa = course_opt.condition_number(course_opt.least_squares(Z_train, np.zeros(500)).hess(np.zeros(3)))
    assert kappa == pytest.approx(1.0, abs=1e-9)
    assert course_opt.condition_number(X_train.T @ X_train / 500) > 100


@pytest.mark.parametrize("transform", [course_opt.standardize, course_opt.whiten])
def test_bad_inputs_are_refused_with_a_clear_message(transform):
    with pytest.raises(ValueError, match="X_train needs at least 2 rows"):
        transform(np.ones((1, 2)), np.ones((1, 2)))
    with pytest.raises(ValueError, match="X_other must have 2 columns"):
        transform(np.arange(6.0).reshape(3, 2), np.ones((1, 3)))
    with pytest.raises(ValueError, match="2-D matrix"):
        transform(np.arange(3.0), np.ones((1, 1)))
    with pytest.raises(ValueError, match="NaN"):
        transform(np.array([[1.0, np.nan], [0.0, 1.0], [2.0, 3.0]]), np.ones((1, 2)))
    with pytest.raises(ValueError, match="constant|singular"):
        transform(np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 4.0]]), np.ones((1, 2)))


def test_whiten_refuses_collinear_features():
    X = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    with pytest.raises(ValueError, match="singular"):
        course_opt.whiten(X, X)
