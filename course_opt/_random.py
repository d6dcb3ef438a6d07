"""The argument check every function that draws random numbers shares.

It belongs beside the other checks in ``_checks``; it lives here until that module takes it.
"""

import numpy as np


def as_generator(rng, name="rng"):
    """Return ``rng`` if it is a ``numpy.random.Generator``; anything else is refused, so that
    every random draw in the course comes from a generator the caller seeded."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name} must be a numpy.random.Generator, e.g. np.random.default_rng(0)")
    return rng
