"""Shared fixtures: every random input in the suite comes from a seeded generator."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")


@pytest.fixture
def rng():
    return np.random.default_rng(20261123)


def random_symmetric(rng, dim, eigenvalues=None):
    """A random symmetric matrix ``Q diag(eigenvalues) Q^T`` with a random rotation ``Q``."""
    q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    if eigenvalues is None:
        eigenvalues = rng.standard_normal(dim)
    return q @ np.diag(eigenvalues) @ q.T


def finite_difference_grad(f, theta, h=1e-6):
    """Central differences of a scalar function: an estimate of its gradient."""
    theta = np.asarray(theta, dtype=float)
    grad = np.empty_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h
        grad[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return grad
