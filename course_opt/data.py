"""Data: minibatches of sample indices and synthetic data sets with known structure."""

import numpy as np

from course_opt._checks import as_generator, as_int, as_scalar, as_vector


def minibatches(num_samples, batch_size, rng, num_epochs=1, shuffle=True):
    """Yield index arrays of minibatches, ``num_epochs`` passes over ``num_samples`` samples.

    Each epoch draws a fresh permutation from ``rng`` (a seeded ``numpy.random.Generator``)
    and cuts it into consecutive batches of ``batch_size``; the last batch of an epoch keeps
    the remainder, so every sample is used exactly once per epoch. ``shuffle=False`` keeps
    the stored order ``0, 1, ..., N - 1`` in every epoch instead (and draws nothing from
    ``rng``), the mistake that reshuffling avoids (Bottou, 2012) (book: alg-minibatch-sgd).
    """
    num_samples = as_int(num_samples, "num_samples", low=1)
    batch_size = as_int(batch_size, "batch_size", low=1)
    num_epochs = as_int(num_epochs, "num_epochs", low=1)
    rng = as_generator(rng)
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle must be True or False, got {shuffle!r}")
    for _ in range(num_epochs):
        order = rng.permutation(num_samples) if shuffle else np.arange(num_samples)
        for start in range(0, num_samples, batch_size):
            yield order[start : start + batch_size]


def linear_regression_data(num_samples, theta_true, noise, rng):
    """Samples ``x ~ N(0, I)`` and ``y = x^T theta_true + noise * N(0, 1)``.

    Returns ``(X, y)`` with ``X`` of shape ``(num_samples, d)``. The population least-squares
    minimizer is ``theta_true`` and the smallest achievable risk is ``noise^2 / 2``.
    """
    theta_true = as_vector(theta_true, "theta_true")
    noise = as_scalar(noise, "noise", low=0.0)
    X = rng.standard_normal((as_int(num_samples, "num_samples", low=1), theta_true.size))
    return X, X @ theta_true + noise * rng.standard_normal(X.shape[0])
