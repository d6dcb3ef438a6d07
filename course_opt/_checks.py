"""Argument checks shared by every module: fail early, name the argument, say what was expected."""

import numbers

import numpy as np


def as_vector(x, name, dim=None):
    """Return ``x`` as a finite 1-D float array, optionally of length ``dim``."""
    arr = _as_finite_float_array(x, name, ndim=1)
    if dim is not None and arr.shape[0] != dim:
        raise ValueError(f"{name} must have length {dim}, got length {arr.shape[0]}")
    return arr


def as_matrix(x, name):
    """Return ``x`` as a finite 2-D float array."""
    return _as_finite_float_array(x, name, ndim=2)


def as_symmetric(x, name):
    """Return ``x`` as a finite, square, symmetric float matrix (up to rounding)."""
    arr = as_matrix(x, name)
    if arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} must be square, got shape {arr.shape}")
    scale = max(1.0, float(np.max(np.abs(arr), initial=0.0)))
    if not np.allclose(arr, arr.T, rtol=0.0, atol=1e-10 * scale):
        raise ValueError(f"{name} must be symmetric; a Hessian always is")
    return arr


def as_scalar(x, name, low=None, high=None, low_open=False, high_open=False):
    """Return ``x`` as a finite float inside the stated interval."""
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, np.ndarray)):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__}")
    arr = np.asarray(x, dtype=float)
    if arr.shape != ():
        raise ValueError(f"{name} must be a scalar, got an array of shape {arr.shape}")
    value = float(arr)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value}")
    if high is not None and (value >= high if high_open else value > high):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got {value}")
    return value


def _as_finite_float_array(x, name, ndim):
    try:
        arr = np.array(x, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be an array of real numbers ({err})") from None
    if arr.ndim != ndim:
        kind = {1: "a 1-D vector", 2: "a 2-D matrix"}[ndim]
        raise ValueError(f"{name} must be {kind}, got an array of shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return arr


def as_int(x, name, low=0):
    """Return ``x`` as a Python int, at least ``low``; floats and bools are refused."""
    if isinstance(x, bool) or not isinstance(x, (numbers.Integral, np.integer)) or x < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {x!r}")
    return int(x)


def as_generator(rng, name="rng"):
    """Return ``rng`` if it is a ``numpy.random.Generator``; anything else is refused, so that
    every random draw in the course comes from a generator the caller seeded."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name} must be a numpy.random.Generator, e.g. np.random.default_rng(0)")
    return rng
