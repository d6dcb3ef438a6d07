"""First-order methods: steps built from the gradient alone."""

import numpy as np

from course_opt._checks import as_scalar, as_vector
from course_opt.trace import Trace

#: A run stops as diverged once ``|C(theta)|`` exceeds this (or is not finite).
DIVERGENCE_THRESHOLD = 1e100


def gradient_descent(objective, theta0, lr, num_steps, tol=0.0):
    """Gradient descent, ``theta_{t+1} = theta_t - eta_t g(theta_t)``.

    Parameters
    ----------
    objective : Objective
        The cost ``C`` with its gradient.
    theta0 : array_like, shape (d,)
        The starting point.
    lr : float or callable
        The learning rate ``eta``: a constant ``>= 0``, or a schedule ``t -> eta_t``.
    num_steps : int
        The most steps to take.
    tol : float
        Stop once ``||g(theta_t)|| <= tol``.

    Returns a :class:`Trace`. A run whose cost overflows stops with the message
    ``"diverged"`` instead of raising, so that a too large learning rate can be plotted.
    """
    theta = as_vector(theta0, "theta0", objective.dim)
    if isinstance(num_steps, bool) or not isinstance(num_steps, (int, np.integer)) or num_steps < 0:
        raise ValueError(f"num_steps must be a non-negative integer, got {num_steps!r}")
    tol = as_scalar(tol, "tol", low=0.0)
    schedule = lr if callable(lr) else _constant(as_scalar(lr, "lr", low=0.0))

    thetas, values, grad_norms = [theta], [objective.value(theta)], []
    message = f"reached num_steps = {num_steps}"
    for t in range(num_steps + 1):
        grad = objective.grad(theta)
        grad_norms.append(float(np.linalg.norm(grad)))
        if grad_norms[-1] <= tol:
            message = f"converged: ||g|| <= tol = {tol:g}"
            break
        if t == num_steps:
            break
        eta = as_scalar(schedule(t), f"lr at step {t}", low=0.0)
        with np.errstate(over="ignore", invalid="ignore"):
            theta = theta - eta * grad
            value = objective.value(theta) if np.all(np.isfinite(theta)) else np.inf
        if not np.isfinite(value) or abs(value) > DIVERGENCE_THRESHOLD:
            message = "diverged"
            break
        thetas.append(theta)
        values.append(float(value))
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


def _constant(lr):
    return lambda t: lr
