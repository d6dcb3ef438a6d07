"""Initializers: exact bounds, variances from the formulas on 10^6 seeded draws, the
distribution by a Kolmogorov-Smirnov test against scipy.stats, shapes and bad input."""

import math

import numpy as np
import pytest
import scipy.stats

from course_opt import initializers

# 10^6 draws: the relative standard error of a sample variance is sqrt((kurtosis - 1) / N),
# 0.09% for a uniform (kurtosis 9/5) and 0.14% for a Gaussian (kurtosis 3). Tolerance: 5 of them.
FAN_IN, FAN_OUT = 800, 1250
NUM_DRAWS = FAN_IN * FAN_OUT


def test_xavier_bound_by_hand():
    assert initializers.xavier_bound(2, 4) == 1.0
    assert initializers.xavier_bound(100, 200) == math.sqrt(0.02)
    assert initializers.xavier_bound(FAN_IN, FAN_OUT) == math.sqrt(6 / 2050)


def test_xavier_uniform_stays_inside_its_bound_and_reaches_it():
    W = initializers.xavier_uniform(FAN_IN, FAN_OUT, np.random.default_rng(0))
    bound = initializers.xavier_bound(FAN_IN, FAN_OUT)
    assert W.shape == (FAN_IN, FAN_OUT)
    assert np.abs(W).max() <= bound
    # The largest of 10^6 uniform draws falls short of the bound by about bound / 10^6.
    assert np.abs(W).max() > bound * (1 - 1e-4)


def test_xavier_uniform_variance_is_two_over_fan_in_plus_fan_out():
    W = initializers.xavier_uniform(FAN_IN, FAN_OUT, np.random.default_rng(1))
    bound = initializers.xavier_bound(FAN_IN, FAN_OUT)
    assert W.var() == pytest.approx(bound**2 / 3, rel=5 * math.sqrt(0.8 / NUM_DRAWS))
    assert bound**2 / 3 == pytest.approx(2 / (FAN_IN + FAN_OUT), rel=1e-15)
    assert abs(W.mean()) < 5 * bound / math.sqrt(3 * NUM_DRAWS)
    assert scipy.stats.kstest(W.ravel(), scipy.stats.uniform(-bound, 2 * bound).cdf).pvalue > 1e-3


def test_he_normal_variance_is_two_over_fan_in():
    W = initializers.he_normal(FAN_IN, FAN_OUT, np.random.default_rng(2))
    assert W.shape == (FAN_IN, FAN_OUT)
    assert W.var() == pytest.approx(2 / FAN_IN, rel=5 * math.sqrt(2 / NUM_DRAWS))
    assert scipy.stats.kstest(W.ravel(), scipy.stats.norm(0, math.sqrt(2 / FAN_IN)).cdf).pvalue > 1e-3


def test_gaussian_has_the_requested_standard_deviation():
    W = initializers.gaussian(FAN_IN, FAN_OUT, 0.03, np.random.default_rng(3))
    assert W.std() == pytest.approx(0.03, rel=5 * math.sqrt(0.5 / NUM_DRAWS))
    assert scipy.stats.kstest(W.ravel(), scipy.stats.norm(0, 0.03).cdf).pvalue > 1e-3
    np.testing.assert_array_equal(initializers.gaussian(2, 3, 0.0, np.random.default_rng(3)), np.zeros((2, 3)))


def test_draws_are_reproducible_from_the_seed_and_break_symmetry():
    first = initializers.xavier_uniform(4, 3, np.random.default_rng(9))
    again = initializers.xavier_uniform(4, 3, np.random.default_rng(9))
    np.testing.assert_array_equal(first, again)
    # No two hidden units (columns) start equal, so gradient steps can tell them apart.
    assert len({tuple(column) for column in first.T}) == 3


def test_constant_bias():
    np.testing.assert_array_equal(initializers.constant_bias(3, 0.1), [0.1, 0.1, 0.1])
    assert initializers.constant_bias(1, 0).dtype == float


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: initializers.xavier_uniform(0, 3, np.random.default_rng(0)), ValueError,
         "fan_in must be an integer >= 1"),
        (lambda: initializers.xavier_bound(3, 2.5), ValueError, "fan_out must be an integer >= 1"),
        (lambda: initializers.gaussian(3, 2, -0.1, np.random.default_rng(0)), ValueError, "std must be >= 0"),
        (lambda: initializers.he_normal(3, 2, 42), TypeError, "rng must be a numpy.random.Generator"),
        (lambda: initializers.constant_bias(3, np.nan), ValueError, "value must be finite"),
        (lambda: initializers.constant_bias(0, 0.1), ValueError, "size must be an integer >= 1"),
    ],
)
def test_bad_arguments_are_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()
