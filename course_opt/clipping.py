"""Gradient clipping: bound a step taken from a cliff (Pascanu et al., 2013).

Pass either function, with its bound fixed by :func:`functools.partial`, as
``grad_transform`` to :func:`course_opt.run`.
"""

import numpy as np

from course_opt._checks import as_scalar, as_vector


def clip_by_norm(grad, max_norm):
    """Rescale ``g`` to norm ``max_norm`` if it is longer (book: eq-clip-norm):
    ``g <- g * min(1, max_norm / ||g||)``. The direction is kept.

    The norm is taken of ``g / max_i |g_i|``, so that an exploding gradient whose squares
    overflow (entries above about 1e154) is still clipped, not zeroed.
    """
    grad = as_vector(grad, "grad")
    max_norm = as_scalar(max_norm, "max_norm", low=0.0, low_open=True)
    scale = np.max(np.abs(grad), initial=0.0)
    if scale == 0.0:
        return grad.copy()
    norm = scale * np.linalg.norm(grad / scale)
    return grad * (max_norm / norm) if norm > max_norm else grad.copy()


def clip_by_value(grad, max_value):
    """Clip each coordinate of ``g`` to ``[-max_value, max_value]`` (book: eq-clip-value).
    The direction may change."""
    grad = as_vector(grad, "grad")
    max_value = as_scalar(max_value, "max_value", low=0.0, low_open=True)
    return np.clip(grad, -max_value, max_value)
