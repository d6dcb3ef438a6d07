"""The record every optimizer in ``course_opt`` returns."""

from typing import NamedTuple

import numpy as np


class Trace(NamedTuple):
    """The path of an optimizer, one row per iterate ``theta_0, ..., theta_k``.

    ``thetas`` has shape ``(k + 1, d)``; ``values`` and ``grad_norms`` have shape
    ``(k + 1,)`` and hold ``C(theta_t)`` and ``||g(theta_t)||``. ``message`` says why the
    run stopped.

    ``nfev``, ``ngev`` and ``nhvp`` count the evaluations of ``C``, of ``g`` and of
    Hessian-vector products (full Hessians, for Newton's method) that the algorithm itself
    spent, as scipy's ``nfev``, ``njev`` and ``nhev`` do; an evaluation made only to record
    ``values`` or ``grad_norms`` is not counted. The first-order driver leaves them at 0.
    """

    thetas: np.ndarray
    values: np.ndarray
    grad_norms: np.ndarray
    message: str
    nfev: int = 0
    ngev: int = 0
    nhvp: int = 0

    @classmethod
    def from_run(cls, thetas, values, grad_norms, tol, message=None, nfev=0, ngev=0, nhvp=0):
        """The trace of a run that has stopped, from the lists it recorded.

        Without a ``message`` the run either converged (the last gradient norm is at most
        ``tol``) or used up its steps, and the message says which.
        """
        if message is None:
            converged = grad_norms[-1] <= tol
            message = f"converged: ||g|| <= tol = {tol:g}" if converged else f"finished {len(thetas) - 1} steps"
        return cls(np.array(thetas), np.array(values, dtype=float), np.array(grad_norms, dtype=float), message,
                   nfev, ngev, nhvp)

    @property
    def theta(self):
        """The last iterate."""
        return self.thetas[-1]

    @property
    def num_steps(self):
        """The number ``k`` of steps taken."""
        return len(self.thetas) - 1
