"""Shared fixtures: every random input in the suite comes from a seeded generator, and one
build of the book serves every test of the book and the website."""

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def build_book(output):
    """Build the book into ``output`` with the repository's execution cache.

    Returns ``(result, site)``: the finished ``jupyter-book build`` process and the folder
    of the HTML site. The chapters import ``course_opt`` from this checkout (it is put
    first on ``PYTHONPATH``), whichever copy of the library is installed.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(output), "--warningiserror", "--keep-going"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )
    return result, output / "_build" / "html"


@pytest.fixture(scope="session")
def book_builder():
    """``build_book`` itself, for tests that need a build of their own."""
    return build_book


@pytest.fixture(scope="session")
def first_build(tmp_path_factory):
    """The one build of the book that the book's and the website's tests share."""
    return build_book(tmp_path_factory.mktemp("book"))


@pytest.fixture(scope="session")
def site(first_build):
    """The folder of the built website (the build must have succeeded)."""
    result, folder = first_build
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return folder


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
