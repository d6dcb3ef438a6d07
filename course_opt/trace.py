"""The record every optimizer in ``course_opt`` returns."""

from typing import NamedTuple

import numpy as np


class Trace(NamedTuple):
    """The path of an optimizer, one row per iterate ``theta_0, ..., theta_k``.

    ``thetas`` has shape ``(k + 1, d)``; ``values`` and ``grad_norms`` have shape
    ``(k + 1,)`` and hold ``C(theta_t)`` and ``||g(theta_t)||``. ``message`` says why the
    run stopped.
    """

    thetas: np.ndarray
    values: np.ndarray
    grad_norms: np.ndarray
    message: str

    @property
    def theta(self):
        """The last iterate."""
        return self.thetas[-1]

    @property
    def num_steps(self):
        """The number ``k`` of steps taken."""
        return len(self.thetas) - 1
