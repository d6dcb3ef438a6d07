"""Risk and empirical risk: exact risks against scipy and seeded Monte Carlo, the 1/sqrt(N)
gap, the Bayes classifier, and the cross-entropy against course_opt.logistic_regression."""

import numpy as np
import pytest
import scipy.integrate
import scipy.optimize
import scipy.stats
from conftest import finite_difference_grad

import course_opt
from course_opt import learning

# A problem whose classes overlap (Bayes error 0.087) and whose prior is not 1/2,
# so that the bias b matters.
MU = np.array([1.0, -0.6])
SIGMA = 0.9
PRIOR = 0.3


@pytest.fixture
def problem():
    return learning.GaussianClassification(MU, SIGMA, PRIOR)


# Classifiers (w, b) whose score spread s = sigma ||w|| runs from 0.05 to about 7, so that both
# branches of the quadrature (s <= 1 and s > 1) are exercised.
CLASSIFIERS = [([0.05, 0.02], 0.1), ([1.0, 0.0], -0.5), ([0.7, -0.4], 0.3), ([2.0, -1.0], 0.0),
               ([-3.0, 4.0], 1.5), ([6.0, 5.0], -2.0)]


def cross_entropy_by_scipy(problem, w, b):
    """The cross-entropy risk as two integrals over the Gaussian score, by scipy.integrate.quad."""
    w = np.asarray(w, dtype=float)
    m, s = w @ problem.mu, problem.sigma * np.linalg.norm(w)

    def expectation(loss, mean):
        density = scipy.stats.norm(mean, s).pdf
        return scipy.integrate.quad(lambda z: loss(z) * density(z), mean - 40 * s, mean + 40 * s,
                                    points=[mean, 0.0] if abs(mean) < 40 * s else [mean],
                                    limit=500, epsabs=0.0, epsrel=1e-13)[0]

    positive = expectation(lambda z: np.logaddexp(0.0, -z), b + m)
    negative = expectation(lambda z: np.logaddexp(0.0, z), b - m)
    return problem.prior * positive + (1 - problem.prior) * negative


@pytest.mark.parametrize("w, b", CLASSIFIERS)
def test_cross_entropy_risk_matches_scipy_quadrature_to_1e_12(problem, w, b):
    assert problem.risk(w, b, "cross_entropy") == pytest.approx(cross_entropy_by_scipy(problem, w, b), rel=1e-12)


@pytest.mark.parametrize("w, b", CLASSIFIERS)
def test_zero_one_risk_is_the_normal_cdf_formula(problem, w, b):
    w = np.asarray(w)
    m, s = w @ MU, SIGMA * np.linalg.norm(w)
    expected = PRIOR * scipy.stats.norm.cdf(-(b + m) / s) + (1 - PRIOR) * scipy.stats.norm.sf((m - b) / s)
    assert problem.risk(w, b) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("loss", ["zero_one", "cross_entropy"])
def test_exact_risk_matches_a_large_monte_carlo_sample(problem, loss):
    # 10^6 seeded samples: the sample mean lies within 4 standard errors of the exact risk.
    # Measured: |error| / standard error is at most 1.7 (0/1) and 2.2 (cross-entropy).
    X, y = problem.sample(1_000_000, np.random.default_rng(7))
    for w, b in CLASSIFIERS:
        losses = learning.LOSSES[loss](X @ np.asarray(w) + b, y)
        standard_error = losses.std() / np.sqrt(losses.size)
        assert abs(losses.mean() - problem.risk(w, b, loss)) < 4 * standard_error, (w, b)


def test_sample_has_the_stated_class_balance_and_moments(problem):
    X, y = problem.sample(400_000, np.random.default_rng(3))
    assert y.mean() == pytest.approx(PRIOR, abs=4 * np.sqrt(PRIOR * (1 - PRIOR) / y.size))
    for label, sign in [(1.0, 1.0), (0.0, -1.0)]:
        rows = X[y == label]
        np.testing.assert_allclose(rows.mean(axis=0), sign * MU, atol=4 * SIGMA / np.sqrt(len(rows)))
        np.testing.assert_allclose(np.cov(rows.T), SIGMA**2 * np.eye(2), atol=0.01)


def test_bayes_error_for_equal_priors_is_phi_of_minus_the_separation():
    problem = learning.GaussianClassification(MU, SIGMA)
    assert problem.bayes_risk() == pytest.approx(scipy.stats.norm.cdf(-np.linalg.norm(MU) / SIGMA), rel=1e-13)


def test_bayes_classifier_beats_every_other_linear_classifier_on_the_zero_one_risk(problem):
    rng = np.random.default_rng(11)
    w_star, b_star = problem.bayes_classifier()
    best = problem.bayes_risk()
    for _ in range(200):
        w = w_star + rng.standard_normal(2) * rng.choice([0.01, 0.3, 3.0])
        b = b_star + rng.standard_normal() * rng.choice([0.01, 0.3, 3.0])
        assert problem.risk(w, b) >= best - 1e-15
    # The risk only depends on the direction of (w, b): rescaling the Bayes classifier keeps it.
    assert problem.risk(5 * w_star, 5 * b_star) == pytest.approx(best, rel=1e-13)


def test_bayes_classifier_minimizes_the_cross_entropy_risk(problem):
    # The logistic model is well specified, so scipy's minimizer of the exact risk is (w*, b*).
    def risk(params):
        return problem.risk(params[:2], params[2], "cross_entropy")

    w_star, b_star = problem.bayes_classifier()
    theta_star = np.append(w_star, b_star)
    np.testing.assert_allclose(finite_difference_grad(risk, theta_star, h=1e-5), 0.0, atol=1e-9)
    result = scipy.optimize.minimize(risk, np.zeros(3), method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(result.x, theta_star, atol=1e-5)
    assert result.fun == pytest.approx(problem.bayes_risk("cross_entropy"), rel=1e-10)


def test_constant_classifier_errs_on_the_class_it_never_predicts(problem):
    assert problem.risk([0.0, 0.0], 1.0) == pytest.approx(1 - PRIOR)
    assert problem.risk([0.0, 0.0], -1.0) == pytest.approx(PRIOR)
    # Its cross-entropy is that of the constant probability sigmoid(b), by hand.
    b = 0.4
    expected = PRIOR * np.log1p(np.exp(-b)) + (1 - PRIOR) * np.log1p(np.exp(b))
    assert problem.risk([0.0, 0.0], b, "cross_entropy") == pytest.approx(expected, rel=1e-14)


def test_empirical_cross_entropy_is_the_logistic_regression_cost_with_its_gradient(problem):
    X, y = problem.sample(500, np.random.default_rng(5))
    reference = course_opt.logistic_regression(np.column_stack([X, np.ones(len(X))]), y)
    theta = np.array([0.8, -0.3, 0.2])

    def cost(params):
        return learning.empirical_risk(params[:2], params[2], X, y, "cross_entropy")

    assert cost(theta) == pytest.approx(reference.value(theta), rel=1e-14)
    np.testing.assert_allclose(finite_difference_grad(cost, theta), reference.grad(theta), rtol=1e-7, atol=1e-10)


def test_empirical_zero_one_risk_counts_mistakes_by_hand():
    X = np.array([[1.0], [-2.0], [0.5], [3.0]])
    y = np.array([1.0, 0.0, 0.0, 0.0])
    # scores 2x - 1: [1, -5, 0, 5]; predictions [1, 0, 0 (tie), 1]; one mistake out of four
    assert learning.empirical_risk([2.0], -1.0, X, y) == 0.25


def rms_gap(risk_of_sample, exact, sizes, num_repeats, rng):
    return np.array([np.sqrt(np.mean([(risk_of_sample(n, rng) - exact) ** 2 for _ in range(num_repeats)]))
                     for n in sizes])


def test_classification_gap_shrinks_like_one_over_sqrt_n(problem):
    # For a fixed classifier the empirical 0/1 risk is a mean of N Bernoulli(J*) losses,
    # so the root-mean-square gap is sqrt(J* (1 - J*) / N).
    w, b = np.array([0.7, -0.4]), 0.3
    exact = problem.risk(w, b)

    def risk_of_sample(n, rng):
        return learning.empirical_risk(w, b, *problem.sample(n, rng))

    sizes = np.array([100, 400, 1600, 6400])
    gaps = rms_gap(risk_of_sample, exact, sizes, 300, np.random.default_rng(13))
    slope = np.polyfit(np.log(sizes), np.log(gaps), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.05)  # measured -0.49
    np.testing.assert_allclose(gaps * np.sqrt(sizes), np.sqrt(exact * (1 - exact)), rtol=0.1)  # within 6%


def test_regression_gap_shrinks_like_one_over_sqrt_n():
    # The residual r = x^T theta - y is N(0, v) with v = e^T Sigma e + noise^2 = 1.25 for
    # e = theta - theta_true, so the loss r^2 / 2 has standard deviation v / sqrt(2).
    model = learning.GaussianLinearRegression([1.0, -2.0], [[2.0, 0.5], [0.5, 1.0]], noise=0.5)
    theta = np.array([0.5, -1.0])
    exact = model.risk(theta)

    def risk_of_sample(n, rng):
        return course_opt.least_squares(*model.sample(n, rng)).value(theta)

    sizes = np.array([100, 400, 1600, 6400])
    gaps = rms_gap(risk_of_sample, exact, sizes, 300, np.random.default_rng(17))
    slope = np.polyfit(np.log(sizes), np.log(gaps), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.05)  # measured -0.51
    np.testing.assert_allclose(gaps * np.sqrt(sizes), 1.25 / np.sqrt(2), rtol=0.1)  # measured within 5%


def test_regression_risk_matches_a_large_monte_carlo_sample():
    cov = np.array([[2.0, 0.5], [0.5, 1.0]])
    model = learning.GaussianLinearRegression([1.0, -2.0], cov, noise=0.5)
    X, y = model.sample(400_000, np.random.default_rng(19))
    np.testing.assert_allclose(np.cov(X.T), cov, atol=0.01)
    for theta in ([1.0, -2.0], [0.0, 0.0], [3.0, 1.0]):
        losses = 0.5 * (X @ np.asarray(theta) - y) ** 2
        assert abs(losses.mean() - model.risk(theta)) < 4 * losses.std() / np.sqrt(losses.size)
    assert model.risk(model.minimizer) == model.min_risk == 0.125


def test_regression_with_identity_covariance_samples_like_linear_regression_data():
    model = learning.GaussianLinearRegression([1.0, -1.0, 0.5], noise=0.3)
    X, y = model.sample(50, np.random.default_rng(2))
    X_ref, y_ref = course_opt.linear_regression_data(50, [1.0, -1.0, 0.5], 0.3, np.random.default_rng(2))
    np.testing.assert_allclose(X, X_ref, rtol=1e-15)
    np.testing.assert_allclose(y, y_ref, rtol=1e-14)


def test_training_error_of_a_fitted_classifier_is_optimistic(problem):
    # Learning is not pure optimization: minimizing the empirical cross-entropy of 40 samples
    # gives a classifier whose training 0/1 error underestimates its true 0/1 risk, which in
    # turn exceeds the Bayes error. Averaged over 10 seeded samples (measured: 0.063 vs 0.094).
    opt = course_opt.optimizer("sgd", lr=1.0)
    train, true = [], []
    for seed in range(10):
        X, y = problem.sample(40, np.random.default_rng(seed))
        cost = course_opt.logistic_regression(np.column_stack([X, np.ones(len(X))]), y, l2=1e-3)
        theta = course_opt.run(cost, opt, np.zeros(3), 30).theta
        train.append(learning.empirical_risk(theta[:2], theta[2], X, y))
        true.append(problem.risk(theta[:2], theta[2]))
    assert min(true) >= problem.bayes_risk()
    assert np.mean(train) < np.mean(true) - 0.02


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: learning.GaussianClassification(MU, sigma=0.0), ValueError, "sigma must be > 0"),
        (lambda: learning.GaussianClassification(MU, prior=1.0), ValueError, "prior must be < 1"),
        (lambda: learning.GaussianClassification(MU).risk([1.0], 0.0), ValueError, "w must have length 2"),
        (lambda: learning.GaussianClassification(MU).risk(MU, 0.0, "hinge"), ValueError, "unknown loss 'hinge'"),
        (lambda: learning.GaussianClassification(MU).sample(10, 0), TypeError, "rng must be a numpy.random.Generator"),
        (lambda: learning.empirical_risk(MU, 0.0, np.ones((3, 2)), [0.0, 1.0, 2.0]), ValueError, "labels 0 or 1"),
        (lambda: learning.GaussianLinearRegression([1.0, 2.0], np.diag([1.0, -1.0])), ValueError,
         "cov must be symmetric positive definite"),
        (lambda: learning.GaussianLinearRegression([1.0, 2.0], np.eye(3)), ValueError, r"cov must have shape \(2, 2\)"),
        (lambda: learning.GaussianLinearRegression([1.0], noise=-1.0), ValueError, "noise must be >= 0"),
    ],
)
def test_bad_arguments_are_rejected(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_quadrature_rules_integrate_what_they_claim():
    nodes, weights = learning._hermite_rule()
    # E x^2 = 1, E x^4 = 3 under N(0, 1)
    assert weights @ nodes**2 == pytest.approx(1.0, rel=1e-13)
    assert weights @ nodes**4 == pytest.approx(3.0, rel=1e-13)
    u, w = learning._legendre_rule()
    assert w @ np.exp(-u) == pytest.approx(1 - np.exp(-40.0), rel=1e-14)
    assert u.min() > 0 and u.max() < 40
