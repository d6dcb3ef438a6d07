"""Parameter initialization: random weights that break the symmetry between hidden units,
scaled so that signals neither vanish nor explode through depth, and constant biases.

A weight matrix ``W`` of a layer with ``fan_in`` inputs and ``fan_out`` outputs has shape
``(fan_in, fan_out)``, so that a layer maps a batch ``H`` of shape ``(N, fan_in)`` to
``H W + b`` (rows are examples, as in the data matrix ``X``). Every draw comes from the
``numpy.random.Generator`` passed in.
"""

import numpy as np

from course_opt._checks import as_generator, as_int, as_scalar


def gaussian(fan_in, fan_out, std, rng):
    """Gaussian weights, ``W_ij ~ N(0, std^2)``, shape ``(fan_in, fan_out)``.

    The scale is left to the caller; too small a ``std`` shrinks the signal at every layer
    and too large a one saturates ``tanh`` units.
    """
    fan_in, fan_out = _fan(fan_in, "fan_in"), _fan(fan_out, "fan_out")
    std = as_scalar(std, "std", low=0.0)
    return std * as_generator(rng).standard_normal((fan_in, fan_out))


def xavier_bound(fan_in, fan_out):
    """The bound ``a = sqrt(6 / (fan_in + fan_out))`` of the normalized initialization.

    ``U(-a, a)`` has variance ``a^2 / 3 = 2 / (fan_in + fan_out)``, the harmonic compromise
    between ``1 / fan_in`` (which keeps the variance of the activations through a linear
    layer) and ``1 / fan_out`` (which keeps that of the back-propagated gradients)
    (Glorot & Bengio, 2010).
    """
    fan_in, fan_out = _fan(fan_in, "fan_in"), _fan(fan_out, "fan_out")
    return float(np.sqrt(6.0 / (fan_in + fan_out)))


def xavier_uniform(fan_in, fan_out, rng):
    """The normalized (Xavier) initialization of Glorot & Bengio (2010):
    ``W_ij ~ U(-a, a)`` with ``a = sqrt(6 / (fan_in + fan_out))`` (:func:`xavier_bound`),
    shape ``(fan_in, fan_out)``. Meant for ``tanh`` (and linear) units.
    """
    bound = xavier_bound(fan_in, fan_out)
    return as_generator(rng).uniform(-bound, bound, (fan_in, fan_out))


def he_normal(fan_in, fan_out, rng):
    """He initialization (He et al., 2015): ``W_ij ~ N(0, 2 / fan_in)``, shape
    ``(fan_in, fan_out)``.

    A ReLU zeroes half of its inputs on average, halving the second moment of the signal;
    the factor 2 restores it, so that it is kept through depth.
    """
    return gaussian(fan_in, fan_out, np.sqrt(2.0 / _fan(fan_in, "fan_in")), rng)


def constant_bias(size, value):
    """A bias vector of ``size`` entries all equal to ``value``.

    Hidden layers start at a constant ``c``; for ReLU units a small ``c > 0`` (e.g. 0.1)
    makes them active at the start and so avoids "dead" units whose gradient is zero. The
    bias of the output layer is best set to the value that minimizes the loss of a model that
    predicts a constant (e.g. the mean target for the squared loss).
    """
    return np.full(_fan(size, "size"), as_scalar(value, "value"))


def _fan(value, name):
    return as_int(value, name, low=1)
