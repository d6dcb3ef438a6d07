"""Second-order methods: Newton's method and the quasi-Newton methods BFGS and L-BFGS.

Newton's method minimizes the second-order Taylor model of ``C`` around ``theta``,
``C(theta + p) ~ C + g^T p + 1/2 p^T H p``, whose minimizer solves ``H p = -g``
(book: eq-newton-step). Quasi-Newton methods replace ``H^{-1}`` by an estimate built from
the steps ``s_k = theta_{k+1} - theta_k`` and the gradient changes ``y_k = g_{k+1} - g_k``
alone, so that they need gradients only.

Every driver returns a :class:`course_opt.Trace` whose ``nfev``, ``ngev`` and ``nhvp``
count the evaluations of ``C``, ``g`` and ``H`` the method spent. The trace records the
values and gradients the method computed anyway (the Wolfe search returns both at the new
iterate), so recording costs nothing extra; only plain Newton, which never needs ``C``,
evaluates it for the record alone, uncounted. A run stops with
``"converged: ..."`` once ``||g|| <= tol``, ``"finished k steps"``, ``"diverged"`` (plain
Newton only) or ``"line search failed"``. The Hessian-free method is in
:mod:`course_opt.hessian_free`; the line searches in :mod:`course_opt.line_search`.
"""

import numpy as np

from course_opt._checks import as_int, as_scalar, as_symmetric, as_vector
from course_opt.curvature import condition_number
from course_opt.first_order import DIVERGENCE_THRESHOLD
from course_opt.line_search import backtracking, wolfe
from course_opt.trace import Trace


def newton_direction(grad, hess, damping=0.0):
    """The (regularized) Newton step ``p = -(H + damping I)^{-1} g`` (book: eq-newton-step).

    ``p`` minimizes the Taylor model ``g^T p + 1/2 p^T (H + damping I) p`` when
    ``H + damping I`` is positive definite; ``damping > 0`` is the lecture's regularized
    inverse ``[H + eps I]^{-1}`` (Levenberg, 1944), which shortens the step and turns it
    towards ``-g``. The system is solved with ``np.linalg.solve``, never by inverting; a
    matrix that is singular to working precision raises a ``ValueError``.
    """
    hess = as_symmetric(hess, "hess")
    grad = as_vector(grad, "grad", hess.shape[0])
    damping = as_scalar(damping, "damping", low=0.0)
    matrix = hess + damping * np.eye(grad.size)
    if np.isinf(condition_number(matrix)):
        raise ValueError("hess + damping I is singular: the Newton step is not defined; use damping > 0")
    return np.linalg.solve(matrix, -grad)


def newton(objective, theta0, num_steps, tol=1e-8, damping=0.0, line_search=False):
    """Newton's method, ``theta <- theta + a p`` with ``p = -(H + damping I)^{-1} g``
    (book: eq-newton-step) (Nocedal & Wright, 2006, chapter 3.3).

    Parameters
    ----------
    objective : Objective
        The cost ``C`` with its gradient and Hessian.
    theta0 : array_like, shape (d,)
        The starting point.
    num_steps : int
        The most steps to take.
    tol : float
        Stop once ``||g(theta)|| <= tol``.
    damping : float
        ``damping = 0`` is the plain Newton step; ``damping > 0`` the regularized step.
    line_search : bool
        ``False``: the full step ``a = 1``. Newton's method then converges quadratically
        near a minimum with a positive definite Hessian, and is just as attracted to saddle
        points and maxima, where ``g = 0`` too. ``True``: ``a`` from backtracking from
        ``a = 1`` (book: eq-armijo), the damped Newton method; if ``p`` is not a descent
        direction (``g^T p >= 0``, possible when ``H + damping I`` is not positive
        definite), the step is taken along ``-g`` instead.

    ``nhvp`` counts the Hessians. Plain Newton never needs ``C``: its recorded values are
    bookkeeping, not counted in ``nfev``, and a run whose cost overflows stops as
    ``"diverged"``. A singular ``H + damping I`` raises a ``ValueError``.
    """
    theta = as_vector(theta0, "theta0", objective.dim)
    num_steps, tol = as_int(num_steps, "num_steps"), as_scalar(tol, "tol", low=0.0)
    value, grad = objective.value(theta), objective.grad(theta)
    thetas, values, grad_norms = [theta], [value], [_norm(grad)]
    nfev, ngev, nhvp, message = int(line_search), 1, 0, None
    for _ in range(num_steps):
        if grad_norms[-1] <= tol:
            break
        direction = newton_direction(grad, objective.hess(theta), damping)
        nhvp += 1
        if line_search:
            if grad @ direction >= 0.0:
                direction = -grad
            search = backtracking(objective.value, theta, value, grad, direction)
            nfev += search.nfev
            if not search.success:
                message = "line search failed"
                break
            theta, value = theta + search.step * direction, search.value
        else:
            theta, value = _full_step(objective, theta, direction)
            if value is None:
                message = "diverged"
                break
        grad = objective.grad(theta)
        ngev += 1
        thetas.append(theta)
        values.append(value)
        grad_norms.append(_norm(grad))
    return Trace.from_run(thetas, values, grad_norms, tol, message, nfev, ngev, nhvp)


def bfgs_update(inv_hess, s, y):
    """The BFGS update of the inverse-Hessian estimate (book: eq-bfgs-update)
    (Broyden, Fletcher, Goldfarb and Shanno, 1970; Nocedal & Wright, 2006, eq. 6.17):

    ``H <- (I - rho s y^T) H (I - rho y s^T) + rho s s^T``, ``rho = 1 / (y^T s)``.

    The new ``H`` satisfies the secant equation ``H y = s`` and stays symmetric positive
    definite if ``H`` was, which needs the curvature condition ``y^T s > 0``; a pair that
    violates it raises a ``ValueError``. Multiplied out, the update is the rank-two correction
    ``H - rho (s (Hy)^T + (Hy) s^T) + (rho^2 y^T H y + rho) s s^T``, which costs ``O(d^2)``
    instead of the ``O(d^3)`` of the two matrix products.
    """
    inv_hess = as_symmetric(inv_hess, "inv_hess")
    s = as_vector(s, "s", inv_hess.shape[0])
    y = as_vector(y, "y", inv_hess.shape[0])
    _check_curvature(s, y, "(s, y)")
    rho = 1.0 / (y @ s)
    hy = inv_hess @ y
    correction = np.outer(s, hy)
    return inv_hess - rho * (correction + correction.T) + (rho**2 * (y @ hy) + rho) * np.outer(s, s)


def bfgs(objective, theta0, num_steps, tol=1e-8):
    """BFGS (Nocedal & Wright, 2006, Algorithm 6.1), ``theta <- theta + a p`` with
    ``p = -H g``, where ``H`` estimates the inverse Hessian:

    - the first direction is ``-g`` (``H = I``), tried with ``a = 1 / ||g||``, a first step
      of length 1 as in L-BFGS-B (Byrd et al., 1995);
      later directions are tried with ``a = 1``, the quasi-Newton step;
    - ``a`` satisfies the strong Wolfe conditions (book: eq-wolfe) with ``c1 = 1e-4``,
      ``c2 = 0.9``;
    - the pair ``s = a p``, ``y = g_new - g`` updates ``H`` by :func:`bfgs_update`
      (book: eq-bfgs-update), only if ``y^T s > 0`` (otherwise the pair is skipped);
    - just before the first update, ``H = (y^T s / y^T y) I`` (Nocedal & Wright, eq. 6.20),
      so that ``H`` starts at the scale of the inverse curvature along ``s``.

    Returns ``(trace, inv_hess)``: the :class:`Trace` and the final estimate ``H`` of the
    inverse Hessian (the identity if no pair was stored).
    """
    def direction_fn(inv_hess, grad):
        return -grad if inv_hess is None else -inv_hess @ grad

    def update_fn(inv_hess, s, y):
        if inv_hess is None:
            inv_hess = (y @ s) / (y @ y) * np.eye(s.size)
        return bfgs_update(inv_hess, s, y)

    trace, inv_hess = _quasi_newton(objective, theta0, num_steps, tol, None, direction_fn, update_fn)
    return trace, np.eye(objective.dim) if inv_hess is None else inv_hess


def lbfgs_direction(grad, s_history, y_history, gamma=None):
    """The L-BFGS search direction ``p = -H g`` by the two-loop recursion
    (book: eq-lbfgs-two-loop) (Liu & Nocedal, 1989; Nocedal & Wright, 2006, Algorithm 7.4).

    ``H`` is the result of the BFGS updates with the stored pairs ``(s_i, y_i)``, oldest
    first, applied to ``H0 = gamma I``; ``H`` itself is never formed, and the cost is
    ``O(m d)`` for ``m`` pairs:

    - ``q = g``; for ``i`` from newest to oldest: ``alpha_i = rho_i s_i^T q``,
      ``q <- q - alpha_i y_i``, with ``rho_i = 1 / (y_i^T s_i)``;
    - ``r = gamma q``; for ``i`` from oldest to newest: ``beta = rho_i y_i^T r``,
      ``r <- r + (alpha_i - beta) s_i``;
    - ``p = -r``.

    ``gamma`` defaults to ``s^T y / y^T y`` of the newest pair (Nocedal & Wright, eq.
    7.20), and to 1 with no pairs, when ``p = -g``. Every pair must satisfy ``y^T s > 0``.
    """
    grad = as_vector(grad, "grad")
    if len(s_history) != len(y_history):
        raise ValueError("s_history and y_history must have the same length, "
                         f"got {len(s_history)} and {len(y_history)}")
    pairs = []
    for i, (s, y) in enumerate(zip(s_history, y_history)):
        s, y = as_vector(s, f"s_history[{i}]", grad.size), as_vector(y, f"y_history[{i}]", grad.size)
        _check_curvature(s, y, f"pair {i}")
        pairs.append((s, y, 1.0 / (y @ s)))
    if gamma is None:
        gamma = 1.0 if not pairs else (pairs[-1][0] @ pairs[-1][1]) / (pairs[-1][1] @ pairs[-1][1])
    gamma = as_scalar(gamma, "gamma", low=0.0, low_open=True)

    q, alphas = grad, []
    for s, y, rho in reversed(pairs):
        alphas.append(rho * (s @ q))
        q = q - alphas[-1] * y
    r = gamma * q
    for (s, y, rho), alpha in zip(pairs, reversed(alphas)):
        beta = rho * (y @ r)
        r = r + (alpha - beta) * s
    return -r


def lbfgs(objective, theta0, memory=10, num_steps=1000, tol=1e-8):
    """L-BFGS (Liu & Nocedal, 1989; Nocedal & Wright, 2006, Algorithm 7.5): BFGS that keeps
    only the ``memory`` most recent pairs ``(s, y)`` and computes ``p = -H g`` by the
    two-loop recursion (book: eq-lbfgs-two-loop) of :func:`lbfgs_direction`, from
    ``H0 = gamma I`` with ``gamma = s^T y / y^T y`` of the newest pair.

    Everything else is as in :func:`bfgs`: a first step along ``-g`` of length 1,
    the strong Wolfe line search (book: eq-wolfe), and a pair is stored only if
    ``y^T s > 0``. Storage and work per step are ``O(memory d)`` instead of ``O(d^2)``.
    With ``memory >= num_steps`` no pair is forgotten, and the direction is the BFGS
    direction from ``H0 = gamma_k I``; BFGS instead fixes ``H0`` once, at the first step.
    """
    memory = as_int(memory, "memory", low=1)

    def update_fn(history, s, y):
        s_history, y_history = history
        return (s_history + (s,))[-memory:], (y_history + (y,))[-memory:]

    def direction_fn(history, grad):
        return lbfgs_direction(grad, *history)

    trace, _ = _quasi_newton(objective, theta0, num_steps, tol, ((), ()), direction_fn, update_fn)
    return trace


# --- helpers ------------------------------------------------------------------------------


def _quasi_newton(objective, theta0, num_steps, tol, state, direction_fn, update_fn):
    """The loop BFGS and L-BFGS share: ``p = direction_fn(state, g)``, a strong Wolfe step,
    and ``state = update_fn(state, s, y)`` when ``y^T s > 0``. Returns ``(trace, state)``."""
    theta = as_vector(theta0, "theta0", objective.dim)
    num_steps, tol = as_int(num_steps, "num_steps"), as_scalar(tol, "tol", low=0.0)
    value, grad = objective.value(theta), objective.grad(theta)
    thetas, values, grad_norms = [theta], [value], [_norm(grad)]
    nfev, ngev, message = 1, 1, None
    for t in range(num_steps):
        if grad_norms[-1] <= tol:
            break
        direction = direction_fn(state, grad)
        lr0 = 1.0 / grad_norms[-1] if t == 0 else 1.0
        search = wolfe(objective.value, objective.grad, theta, value, grad, direction, lr0=lr0)
        nfev, ngev = nfev + search.nfev, ngev + search.ngev
        if not search.success:
            message = "line search failed"
            break
        s, y = search.step * direction, search.grad - grad
        if _has_positive_curvature(s, y):
            state = update_fn(state, s, y)
        theta, value, grad = theta + s, search.value, search.grad
        thetas.append(theta)
        values.append(value)
        grad_norms.append(_norm(grad))
    return Trace.from_run(thetas, values, grad_norms, tol, message, nfev, ngev), state


def _has_positive_curvature(s, y):
    """The curvature condition ``y^T s > 0``, with a margin for rounding: ``y^T s`` must
    exceed ``eps ||s|| ||y||``, so that ``rho = 1 / (y^T s)`` is finite and meaningful."""
    return bool(y @ s > np.finfo(float).eps * np.linalg.norm(s) * np.linalg.norm(y))


def _check_curvature(s, y, name):
    if not _has_positive_curvature(s, y):
        raise ValueError(f"{name} violates the curvature condition y^T s > 0 (y^T s = {y @ s:g}): "
                         "no positive definite H satisfies H y = s")


def _full_step(objective, theta, direction):
    """``theta + p`` and its cost, or ``(theta + p, None)`` once the cost overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        theta = theta + direction
        value = objective.value(theta) if np.all(np.isfinite(theta)) else np.inf
    if not np.isfinite(value) or abs(value) > DIVERGENCE_THRESHOLD:
        return theta, None
    return theta, value


def _norm(v):
    return float(np.linalg.norm(v))
