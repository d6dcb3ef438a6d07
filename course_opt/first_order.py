"""The driver that runs any first-order update rule on an objective and records a trace."""

import numpy as np

from course_opt._checks import as_int, as_scalar, as_symmetric, as_vector
from course_opt.data import minibatches
from course_opt.trace import Trace
from course_opt.updates import optimizer

#: A run stops as diverged once ``|C(theta)|`` exceeds this (or is not finite).
DIVERGENCE_THRESHOLD = 1e100


def run(objective, opt, theta0, num_steps=None, *, tol=0.0, batch_size=None, num_epochs=None, rng=None,
        shuffle=True, grad_transform=None):
    """Run the optimizer ``opt`` (from :func:`course_opt.optimizer`) on ``objective``.

    Full batch: pass ``num_steps``; every step uses the exact gradient. Minibatches: pass
    ``batch_size``, ``num_epochs`` and a seeded ``rng`` instead; the objective must be a mean
    over samples (``objective.num_samples``), and every step uses the gradient of one
    minibatch from :func:`course_opt.data.minibatches`, reshuffled every epoch unless
    ``shuffle=False``.

    ``grad_transform`` maps every gradient before the rule sees it: clipping, e.g.
    ``functools.partial(clip_by_norm, max_norm=1.0)``, or a preconditioner ``g -> P^{-1} g``. The run stops early once the full gradient norm is at
    most ``tol``, or as ``"diverged"`` once the cost overflows, without raising, so that a too
    large learning rate can be plotted. Returns a :class:`Trace` of the full cost and full
    gradient norm at every iterate.
    """
    theta = as_vector(theta0, "theta0", objective.dim)
    tol = as_scalar(tol, "tol", low=0.0)
    batches = _batches(objective, num_steps, batch_size, num_epochs, rng, shuffle)
    state = opt.init(theta)

    thetas, values, grad_norms = [theta], [objective.value(theta)], [_norm(objective.grad(theta))]
    message = None
    for batch in batches:
        if grad_norms[-1] <= tol:
            break
        grad_fn = _gradient_function(objective, batch, grad_transform)
        with np.errstate(over="ignore", invalid="ignore"):
            theta, state = opt.step(theta, state, grad_fn)
            value = objective.value(theta) if np.all(np.isfinite(theta)) else np.inf
        if not np.isfinite(value) or abs(value) > DIVERGENCE_THRESHOLD:
            message = "diverged"
            break
        thetas.append(theta)
        values.append(float(value))
        grad_norms.append(_norm(objective.grad(theta)))
    if message is None:
        converged = grad_norms[-1] <= tol
        message = f"converged: ||g|| <= tol = {tol:g}" if converged else f"finished {len(thetas) - 1} steps"
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


def gradient_descent(objective, theta0, lr, num_steps, tol=0.0):
    """Gradient descent, ``theta_{t+1} = theta_t - eta_t g(theta_t)`` (book: eq-gd-update).

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

    The same as ``run(objective, optimizer("sgd", lr=lr), theta0, num_steps, tol=tol)``.
    """
    return run(objective, optimizer("sgd", lr=lr), theta0, num_steps, tol=tol)


def preconditioned_gradient_descent(objective, theta0, lr, precond, num_steps, tol=0.0):
    """Preconditioned gradient descent, ``theta_{t+1} = theta_t - eta P^{-1} g(theta_t)``
    (book: alg-preconditioned-gd), for a symmetric positive definite ``P``.

    ``P^{-1} g`` is found by solving with the Cholesky factor of ``P``, never by inverting
    it. ``P = I`` is gradient descent; ``P = H`` with ``lr = 1`` is Newton's method.
    """
    precond = as_symmetric(precond, "precond")
    if precond.shape != (objective.dim, objective.dim):
        raise ValueError(f"precond must have shape {(objective.dim, objective.dim)}, got {precond.shape}")
    try:
        chol = np.linalg.cholesky(precond)
    except np.linalg.LinAlgError:
        raise ValueError("precond must be symmetric positive definite") from None

    def solve(g):
        return np.linalg.solve(chol.T, np.linalg.solve(chol, g))

    return run(objective, optimizer("sgd", lr=lr), theta0, num_steps, tol=tol, grad_transform=solve)


def _batches(objective, num_steps, batch_size, num_epochs, rng, shuffle):
    """What each step sees: ``None`` (all samples) ``num_steps`` times, or minibatches."""
    if batch_size is None:
        if num_epochs is not None or rng is not None:
            raise ValueError("num_epochs and rng go with batch_size: pass all three for minibatches")
        return [None] * as_int(num_steps, "num_steps", low=0)
    if num_steps is not None:
        raise ValueError("pass either num_steps (full batch) or batch_size and num_epochs (minibatches)")
    if objective.num_samples is None:
        raise ValueError(f"{objective.name} is not a mean over samples: minibatches need objective.num_samples")
    if num_epochs is None or rng is None:
        raise ValueError("minibatches need num_epochs and a seeded rng, e.g. np.random.default_rng(0)")
    return minibatches(objective.num_samples, batch_size, rng, num_epochs, shuffle)


def _gradient_function(objective, batch, grad_transform):
    def grad_fn(theta):
        g = objective.grad(theta, batch)
        return g if grad_transform is None else grad_transform(g)

    return grad_fn


def _norm(g):
    return float(np.linalg.norm(g))
