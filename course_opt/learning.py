"""Learning versus pure optimization: the risk, the empirical risk and the surrogate loss.

Learning wants a small *risk*, the expected loss under the data-generating distribution,

    J*(theta) = E_{(x, y) ~ p_data} L(f(x; theta), y),

but can only evaluate the *empirical risk* on a sample of ``N`` pairs,

    J(theta) = 1/N sum_i L(f(x_i; theta), y_i)

(Goodfellow et al., 2016, eqs. 8.1-8.3). And the performance measure it cares about, the
0/1 error of a classifier, has a zero gradient almost everywhere, so gradient methods
minimize a *surrogate loss* instead, the cross-entropy. This module builds two problems
whose ``p_data`` is known, so that ``J*`` can be computed exactly and set beside ``J``:

- :class:`GaussianClassification`: two Gaussian classes and a linear classifier, scored by
  the 0/1 loss and by the cross-entropy;
- :class:`GaussianLinearRegression`: a linear model with Gaussian inputs and noise, scored
  by the squared loss, whose empirical risk is :func:`course_opt.least_squares`.
"""

import functools
import math

import autograd.numpy as anp
import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from numpy.polynomial.legendre import leggauss

from course_opt._checks import as_generator, as_int, as_matrix, as_scalar, as_symmetric, as_vector
from course_opt.data import linear_regression_data


def zero_one_loss(z, y):
    """The 0/1 loss of the score ``z = w^T x + b`` against the label ``y`` in ``{0, 1}``:
    ``1`` if the prediction ``1[z > 0]`` differs from ``y``, else ``0``, elementwise."""
    return ((np.asarray(z) > 0) != (np.asarray(y) == 1)).astype(float)


def cross_entropy_loss(z, y):
    """The cross-entropy of ``sigma(z)`` against ``y`` in ``{0, 1}``, the surrogate loss:
    ``log(1 + exp(z)) - y z``, elementwise. Written with ``autograd.numpy``, so it can be
    differentiated, and with ``logaddexp``, so it does not overflow."""
    return anp.logaddexp(0.0, z) - y * z


#: The losses of a linear classifier, by name.
LOSSES = {"zero_one": zero_one_loss, "cross_entropy": cross_entropy_loss}


def empirical_risk(w, b, X, y, loss="zero_one"):
    """The empirical risk ``J(w, b) = 1/N sum_i L(w^T x_i + b, y_i)`` of the linear classifier
    ``(w, b)`` on the sample ``(X, y)``, for a loss named in :data:`LOSSES`.

    With ``loss="cross_entropy"`` this is the cost of :func:`course_opt.logistic_regression`
    on ``X`` with a column of ones appended, at ``theta = (w, b)``.
    """
    X = as_matrix(X, "X")
    w = as_vector(w, "w", X.shape[1])
    b = as_scalar(b, "b")
    y = _labels(y, X.shape[0])
    return float(np.mean(_loss(loss)(X @ w + b, y)))


class GaussianClassification:
    """Two Gaussian classes: ``y ~ Bernoulli(prior)`` and ``x | y ~ N((2y - 1) mu, sigma^2 I)``.

    A linear classifier ``(w, b)`` predicts ``1`` when its score ``z = w^T x + b`` is positive.
    Given ``y``, the score is Gaussian, ``z ~ N(b + (2y - 1) w^T mu, sigma^2 ||w||^2)``, so the
    risk of any ``(w, b)`` is a one-dimensional Gaussian expectation: in closed form for the
    0/1 loss, by quadrature for the cross-entropy.

    Parameters
    ----------
    mu : array_like, shape (d,)
        The mean of class 1; class 0 has mean ``-mu``.
    sigma : float
        The standard deviation of every coordinate, ``> 0``.
    prior : float
        ``P(y = 1)``, in ``(0, 1)``.
    """

    def __init__(self, mu, sigma=1.0, prior=0.5):
        self.mu = as_vector(mu, "mu")
        self.sigma = as_scalar(sigma, "sigma", low=0.0, low_open=True)
        self.prior = as_scalar(prior, "prior", low=0.0, high=1.0, low_open=True, high_open=True)
        self.dim = self.mu.size

    def __repr__(self):
        return f"GaussianClassification(mu={self.mu.tolist()}, sigma={self.sigma}, prior={self.prior})"

    def sample(self, num_samples, rng):
        """Draw ``num_samples`` pairs: ``X`` of shape ``(N, d)`` and labels ``y`` in ``{0., 1.}``."""
        num_samples = as_int(num_samples, "num_samples", low=1)
        rng = as_generator(rng)
        y = (rng.random(num_samples) < self.prior).astype(float)
        X = np.outer(2.0 * y - 1.0, self.mu) + self.sigma * rng.standard_normal((num_samples, self.dim))
        return X, y

    def risk(self, w, b, loss="zero_one"):
        """The exact risk ``J*(w, b) = E L(w^T x + b, y)``.

        With ``m = w^T mu`` and ``s = sigma ||w||``, and ``Phi`` the standard normal CDF:

        - 0/1 loss: ``J* = prior Phi(-(b + m) / s) + (1 - prior) Phi((b - m) / s)``, the chance
          that the score falls on the wrong side of zero; for ``w = 0`` the prediction is
          the constant ``1[b > 0]``.
        - cross-entropy: since ``L(z, 1) = log(1 + e^{-z})`` and ``L(z, 0) = log(1 + e^z)``,
          ``J* = prior E log(1 + e^{-z_1}) + (1 - prior) E log(1 + e^{z_0})`` with
          ``z_1 ~ N(b + m, s^2)`` and ``z_0 ~ N(b - m, s^2)``, each expectation computed to
          about ``1e-13`` relative by Gaussian quadrature (see :func:`_expected_softplus`).
        """
        w = as_vector(w, "w", self.dim)
        b = as_scalar(b, "b")
        _loss(loss)  # an unknown name fails here
        m, s = float(w @ self.mu), self.sigma * float(np.linalg.norm(w))
        if loss == "zero_one":
            if s == 0.0:
                return self.prior if b <= 0.0 else 1.0 - self.prior
            return self.prior * _normal_cdf(-(b + m) / s) + (1.0 - self.prior) * _normal_cdf((b - m) / s)
        return self.prior * _expected_softplus(-(b + m), s) + (1.0 - self.prior) * _expected_softplus(b - m, s)

    def bayes_classifier(self):
        """The Bayes-optimal classifier ``(w*, b*) = (2 mu / sigma^2, log(prior / (1 - prior)))``.

        Its score is the log-odds ``log P(y = 1 | x) / P(y = 0 | x)``, so
        ``P(y = 1 | x) = sigmoid(w*^T x + b*)`` exactly: the logistic model is well specified,
        and ``(w*, b*)`` minimizes the cross-entropy risk as well as the 0/1 risk.
        """
        return 2.0 * self.mu / self.sigma**2, math.log(self.prior / (1.0 - self.prior))

    def bayes_risk(self, loss="zero_one"):
        """The smallest risk any classifier can reach, ``J*(w*, b*)``: the Bayes error
        (``Phi(-||mu|| / sigma)`` when ``prior = 1/2``) for the 0/1 loss, the conditional
        entropy ``H(y | x)`` in nats for the cross-entropy."""
        return self.risk(*self.bayes_classifier(), loss=loss)


class GaussianLinearRegression:
    """Linear regression with a known distribution: ``x ~ N(0, Sigma)`` and
    ``y = x^T theta_true + noise * eps`` with ``eps ~ N(0, 1)`` independent of ``x``.

    For the squared loss ``L = 1/2 (x^T theta - y)^2`` the risk is

        ``J*(theta) = 1/2 ((theta - theta_true)^T Sigma (theta - theta_true) + noise^2)``,

    minimized by ``theta_true`` with ``J* = noise^2 / 2``. The empirical risk of a sample is
    ``course_opt.least_squares(X, y)``.

    Parameters
    ----------
    theta_true : array_like, shape (d,)
    cov : array_like, shape (d, d), optional
        ``Sigma``, symmetric positive definite; the identity by default.
    noise : float
        The standard deviation of the label noise, ``>= 0``.
    """

    def __init__(self, theta_true, cov=None, noise=1.0):
        self.theta_true = as_vector(theta_true, "theta_true")
        self.dim = self.theta_true.size
        self.cov = np.eye(self.dim) if cov is None else as_symmetric(cov, "cov")
        if self.cov.shape != (self.dim, self.dim):
            raise ValueError(f"cov must have shape {(self.dim, self.dim)}, got {self.cov.shape}")
        try:
            self._chol = np.linalg.cholesky(self.cov)
        except np.linalg.LinAlgError:
            raise ValueError("cov must be symmetric positive definite") from None
        self.noise = as_scalar(noise, "noise", low=0.0)

    def __repr__(self):
        return f"GaussianLinearRegression(theta_true={self.theta_true.tolist()}, noise={self.noise})"

    @property
    def minimizer(self):
        """``theta_true``, the minimizer of the risk."""
        return self.theta_true.copy()

    @property
    def min_risk(self):
        """``noise^2 / 2``, the risk of ``theta_true``: the part no model can explain."""
        return 0.5 * self.noise**2

    def sample(self, num_samples, rng):
        """Draw ``(X, y)``, ``X`` of shape ``(N, d)``.

        ``x = L z`` with ``Sigma = L L^T`` (Cholesky) and ``z ~ N(0, I)`` drawn by
        :func:`course_opt.linear_regression_data`; for ``Sigma = I`` the sample is the same.
        """
        Z, y = linear_regression_data(num_samples, self._chol.T @ self.theta_true, self.noise, as_generator(rng))
        return Z @ self._chol.T, y

    def risk(self, theta):
        """The exact risk ``1/2 ((theta - theta_true)^T Sigma (theta - theta_true) + noise^2)``."""
        error = as_vector(theta, "theta", self.dim) - self.theta_true
        return 0.5 * float(error @ self.cov @ error + self.noise**2)


# --- helpers ------------------------------------------------------------------------------


def _loss(name):
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; choose one of {sorted(LOSSES)}")
    return LOSSES[name]


def _labels(y, num_samples):
    y = as_vector(y, "y", num_samples)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold labels 0 or 1 only")
    return y


def _normal_cdf(x):
    """``Phi(x) = 1/2 erfc(-x / sqrt(2))``, accurate in both tails."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _expected_softplus(mean, std):
    """``E log(1 + e^z)`` for ``z ~ N(mean, std^2)``.

    ``log(1 + e^z)`` is smooth on the real line but singular at ``z = +-i pi`` (branch
    points). For ``std <= 1`` these lie at least ``pi`` standard deviations from the real axis
    and Gauss-Hermite quadrature with 64 nodes is accurate to about ``1e-13``. For a wider
    Gaussian they come close, so the function is split as ``max(z, 0) + log(1 + e^{-|z|})``:
    the first term has the closed form ``E max(z, 0) = mean Phi(mean/std) + std phi(mean/std)``,
    and the second, even and below ``4e-18`` beyond ``|z| = 40``, is integrated over
    ``u = |z|`` in ``[0, 40]`` against the folded density by Gauss-Legendre quadrature, 8 panels
    of 32 nodes.
    """
    if std <= 1.0:
        nodes, weights = _hermite_rule()
        return float(weights @ np.logaddexp(0.0, mean + std * nodes))
    a = mean / std
    relu = mean * _normal_cdf(a) + std * math.exp(-0.5 * a * a) / math.sqrt(2.0 * math.pi)
    u, weights = _legendre_rule()
    folded = (np.exp(-0.5 * ((u - mean) / std) ** 2) + np.exp(-0.5 * ((u + mean) / std) ** 2)) / (
        std * math.sqrt(2.0 * math.pi))
    return relu + float(weights @ (np.log1p(np.exp(-u)) * folded))


@functools.cache
def _hermite_rule(num_nodes=64):
    """Nodes and weights for ``E f(x)``, ``x ~ N(0, 1)``: probabilists' Gauss-Hermite."""
    nodes, weights = hermegauss(num_nodes)
    return nodes, weights / math.sqrt(2.0 * math.pi)


@functools.cache
def _legendre_rule(length=40.0, num_panels=8, num_nodes=32):
    """Composite Gauss-Legendre nodes and weights for an integral over ``[0, length]``."""
    nodes, weights = leggauss(num_nodes)
    half = 0.5 * length / num_panels
    starts = np.arange(num_panels) * 2.0 * half
    return (starts[:, None] + half * (nodes + 1.0)).ravel(), np.tile(half * weights, num_panels)
