"""Hessian-free optimization: Newton steps from Hessian-vector products alone.

The Newton system ``H p = -g`` is solved approximately by conjugate gradients, which needs
only products ``H v``, never ``H`` (Martens, 2010). A product costs about two gradients,
either exactly (``Objective.hvp``, reverse-over-reverse automatic differentiation) or by
:func:`hvp_finite_difference`, a central difference of two gradients.
"""

from typing import NamedTuple

import numpy as np

from course_opt._checks import as_int, as_scalar, as_vector
from course_opt.line_search import backtracking
from course_opt.trace import Trace


class CGResult(NamedTuple):
    """The approximate solution ``x`` of ``A x = b``, its ``residual`` ``A x - b``, the
    number ``nhvp`` of products ``A v`` spent, and why CG stopped: ``"converged"``,
    ``"negative curvature"`` or ``"max_iter"``."""

    x: np.ndarray
    residual: np.ndarray
    nhvp: int
    status: str


def hvp_finite_difference(grad_fn, theta, v, eps=None):
    """The Hessian-vector product by a central difference of gradients:

    ``H v ~ (g(theta + eps v) - g(theta - eps v)) / (2 eps)``.

    The truncation error is ``O(eps^2 ||v||^3)`` (from the third derivatives of ``C``;
    zero for a quadratic) and the rounding error ``O(u ||g|| / eps)`` for the machine
    epsilon ``u = 2.2e-16``; they balance at ``eps ~ u^(1/3)``. The default step is
    ``eps = u^(1/3) max(1, ||theta||) / ||v||``: ``theta`` moves by
    ``6e-6 max(1, ||theta||)``, and the error relative to the size of the derivatives is
    about ``u^(2/3) ~ 4e-11``. Costs two gradients.
    """
    theta = as_vector(theta, "theta")
    v = as_vector(v, "v", theta.size)
    v_norm = np.linalg.norm(v)
    if v_norm == 0.0:
        return np.zeros_like(v)
    if eps is None:
        eps = np.cbrt(np.finfo(float).eps) * max(1.0, np.linalg.norm(theta)) / v_norm
    eps = as_scalar(eps, "eps", low=0.0, low_open=True)
    forward = np.asarray(grad_fn(theta + eps * v), dtype=float)
    backward = np.asarray(grad_fn(theta - eps * v), dtype=float)
    return (forward - backward) / (2.0 * eps)


def conjugate_gradient(hvp_fn, b, tol=1e-10, max_iter=None):
    """Conjugate gradients for ``A x = b`` with ``A`` symmetric, from products ``A v``
    alone (book: eq-cg) (Hestenes & Stiefel, 1952; Nocedal & Wright, 2006, Algorithm 5.2
    with the safeguard of Algorithm 7.1).

    From ``x = 0``, ``r = A x - b = -b``, ``p = -r``, repeat:

    - stop (``"converged"``) once ``||r|| <= tol ||b||``;
    - ``alpha = r^T r / p^T A p``, ``x <- x + alpha p``, ``r_new = r + alpha A p``;
    - ``beta = r_new^T r_new / r^T r``, ``p <- -r_new + beta p``.

    ``x`` minimizes the quadratic ``1/2 x^T A x - b^T x`` over a growing Krylov space, and
    reaches the solution in at most ``d`` steps in exact arithmetic. If ``A`` is not
    positive definite along ``p`` (``p^T A p <= 0``) the quadratic has no minimizer and CG
    stops (``"negative curvature"``): it returns the current ``x``, or, at the first
    iteration, ``x = b`` itself: for a Newton system ``b = -g``, the steepest-descent
    direction. ``max_iter`` (default ``2 d``) bounds the products.

    Returns a :class:`CGResult`.
    """
    if not callable(hvp_fn):
        raise TypeError("hvp_fn must be a callable v -> A v")
    b = as_vector(b, "b")
    tol = as_scalar(tol, "tol", low=0.0)
    max_iter = 2 * b.size if max_iter is None else as_int(max_iter, "max_iter", low=1)
    x, r = np.zeros_like(b), -b
    p = -r
    threshold = tol * np.linalg.norm(b)
    for nhvp in range(max_iter):
        if np.linalg.norm(r) <= threshold:
            return CGResult(x, r, nhvp, "converged")
        Ap = np.asarray(hvp_fn(p), dtype=float)
        curvature = p @ Ap
        if curvature <= 0.0:
            if nhvp == 0:
                x, r = p, r + Ap
            return CGResult(x, r, nhvp + 1, "negative curvature")
        alpha = (r @ r) / curvature
        x = x + alpha * p
        r_new = r + alpha * Ap
        beta = (r_new @ r_new) / (r @ r)
        p = -r_new + beta * p
        r = r_new
    status = "converged" if np.linalg.norm(r) <= threshold else "max_iter"
    return CGResult(x, r, max_iter, status)


def newton_cg(objective, theta0, num_steps, tol=1e-8, damping=0.0, cg_max_iter=None):
    """Truncated Newton / Hessian-free optimization (Nocedal & Wright, 2006, Algorithm 7.2,
    line-search Newton-CG; Martens, 2010, damping). Each step:

    1. Solve ``(H + lambda I) p = -g`` approximately by :func:`conjugate_gradient`
       (book: eq-cg) from ``p = 0``, with exact products ``H v`` (``objective.hvp``), until
       ``||(H + lambda I) p + g|| <= eta ||g||`` with the forcing term
       ``eta = min(0.5, sqrt(||g||))`` (Nocedal & Wright, Algorithm 7.1; it makes the
       convergence superlinear), or at negative curvature, or after ``cg_max_iter`` products (default
       ``2 d``). ``p`` is then a descent direction.
    2. Backtracking from ``a = 1`` for the Armijo condition (book: eq-armijo);
       ``theta <- theta + a p``.
    3. Adapt the damping (book: eq-hf-damping) by the reduction ratio of the step taken,
       ``rho = (C(theta + a p) - C(theta)) / q(a p)`` with the undamped model
       ``q(a p) = a g^T p + a^2/2 p^T H p``: ``lambda <- 3/2 lambda`` if ``rho < 1/4``,
       ``lambda <- 2/3 lambda`` if ``rho > 3/4`` (the Levenberg-Marquardt rule of
       Martens, 2010, section 4.1). ``p^T H p = p^T (r - g) - lambda ||p||^2`` comes from
       the CG residual ``r``, so ``rho`` costs no product.

    ``damping`` is the initial ``lambda``; ``damping = 0`` (the default) stays 0 and is
    plain line-search Newton-CG, the method of scipy's ``method="Newton-CG"`` (which takes
    a Wolfe step and measures the forcing test in the 1-norm). Unlike Martens, the
    products are exact Hessian (not Gauss-Newton) products, CG starts from 0 rather than
    from the previous ``p``, has no preconditioner, and ``rho`` is measured at the step
    taken, ``a p``, rather than at ``p`` (the same whenever ``a = 1``, as near a minimum).

    Returns a :class:`Trace`; ``nhvp`` counts the Hessian-vector products.
    """
    theta = as_vector(theta0, "theta0", objective.dim)
    num_steps, tol = as_int(num_steps, "num_steps"), as_scalar(tol, "tol", low=0.0)
    damping = as_scalar(damping, "damping", low=0.0)
    cg_max_iter = None if cg_max_iter is None else as_int(cg_max_iter, "cg_max_iter", low=1)
    value, grad = objective.value(theta), objective.grad(theta)
    thetas, values, grad_norms = [theta], [value], [float(np.linalg.norm(grad))]
    nfev, ngev, nhvp, message = 1, 1, 0, None
    for _ in range(num_steps):
        if grad_norms[-1] <= tol:
            break
        eta = min(0.5, np.sqrt(grad_norms[-1]))
        cg = conjugate_gradient(lambda v: objective.hvp(theta, v) + damping * v, -grad, eta, cg_max_iter)
        nhvp += cg.nhvp
        direction = cg.x
        search = backtracking(objective.value, theta, value, grad, direction)
        nfev += search.nfev
        if not search.success:
            message = "line search failed"
            break
        curvature = direction @ (cg.residual - grad) - damping * (direction @ direction)  # p^T H p
        predicted = search.step * (grad @ direction) + 0.5 * search.step**2 * curvature
        damping = _adapt_damping(damping, (search.value - value) / predicted)
        theta, value = theta + search.step * direction, search.value
        grad = objective.grad(theta)
        ngev += 1
        thetas.append(theta)
        values.append(value)
        grad_norms.append(float(np.linalg.norm(grad)))
    return Trace.from_run(thetas, values, grad_norms, tol, message, nfev, ngev, nhvp)


# --- helpers ------------------------------------------------------------------------------


def _adapt_damping(damping, rho):
    """Martens' (2010) rule: more damping when the model overestimated the decrease."""
    if rho < 0.25:
        return 1.5 * damping
    if rho > 0.75:
        return damping * 2.0 / 3.0
    return damping
