"""Wrong solutions of the problem set second_order: mistakes students really make.

Each entry replaces the function named before its double underscore in the instructor's
notebook; the hidden tests of the cells named in TESTS must take its points away. The
harness parses this file with ast and never imports it.
"""

import numpy as np

TESTS = {
    "backtracking": ["test_backtracking"],
    "newton_direction": ["test_newton_direction"],
    "lbfgs_direction": ["test_lbfgs_direction"],
    "hvp_finite_difference": ["test_hvp_finite_difference"],
    "conjugate_gradient": ["test_conjugate_gradient"],
}


# --- backtracking ---------------------------------------------------------------------------


def backtracking__armijo_wrong_sign(value_fn, theta, value, grad, direction, lr0=1.0, c1=1e-4, shrink=0.5,
                                    max_iter=60):
    """The Armijo bound with the sign of the slope term flipped: value - c1 a g^T d."""
    slope = float(grad @ direction)
    if slope >= 0.0:
        raise ValueError("not a descent direction")
    step = lr0
    for nfev in range(1, max_iter + 1):
        trial = value_fn(theta + step * direction)
        if trial <= value - c1 * step * slope:
            return LineSearchResult(step, trial, None, nfev, 0, True)
        step *= shrink
    return LineSearchResult(0.0, value, None, max_iter, 0, False)


def backtracking__inequality_reversed(value_fn, theta, value, grad, direction, lr0=1.0, c1=1e-4, shrink=0.5,
                                      max_iter=60):
    """The Armijo inequality reversed: accepts the first step with C(theta + a d) >= the bound."""
    slope = float(grad @ direction)
    if slope >= 0.0:
        raise ValueError("not a descent direction")
    step = lr0
    for nfev in range(1, max_iter + 1):
        trial = value_fn(theta + step * direction)
        if trial >= value + c1 * step * slope:
            return LineSearchResult(step, trial, None, nfev, 0, True)
        step *= shrink
    return LineSearchResult(0.0, value, None, max_iter, 0, False)


def backtracking__strict_inequality(value_fn, theta, value, grad, direction, lr0=1.0, c1=1e-4, shrink=0.5,
                                    max_iter=60):
    """A strict Armijo test (<): rejects a step that meets the bound with equality."""
    slope = float(grad @ direction)
    if slope >= 0.0:
        raise ValueError("not a descent direction")
    step = lr0
    for nfev in range(1, max_iter + 1):
        trial = value_fn(theta + step * direction)
        if trial < value + c1 * step * slope:
            return LineSearchResult(step, trial, None, nfev, 0, True)
        step *= shrink
    return LineSearchResult(0.0, value, None, max_iter, 0, False)


def backtracking__slope_from_gradient_norm(value_fn, theta, value, grad, direction, lr0=1.0, c1=1e-4,
                                           shrink=0.5, max_iter=60):
    """The slope taken as -||g||^2, as if the direction were always -g."""
    if float(grad @ direction) >= 0.0:
        raise ValueError("not a descent direction")
    slope = -float(grad @ grad)
    step = lr0
    for nfev in range(1, max_iter + 1):
        trial = value_fn(theta + step * direction)
        if trial <= value + c1 * step * slope:
            return LineSearchResult(step, trial, None, nfev, 0, True)
        step *= shrink
    return LineSearchResult(0.0, value, None, max_iter, 0, False)


def backtracking__evaluates_at_theta(value_fn, theta, value, grad, direction, lr0=1.0, c1=1e-4, shrink=0.5,
                                     max_iter=60):
    """Recomputes C(theta) with value_fn instead of using the given value (one call too many)."""
    slope = float(grad @ direction)
    if slope >= 0.0:
        raise ValueError("not a descent direction")
    value = value_fn(theta)
    step = lr0
    for nfev in range(1, max_iter + 1):
        trial = value_fn(theta + step * direction)
        if trial <= value + c1 * step * slope:
            return LineSearchResult(step, trial, None, nfev, 0, True)
        step *= shrink
    return LineSearchResult(0.0, value, None, max_iter, 0, False)


def backtracking__last_step_on_failure(value_fn, theta, value, grad, direction, lr0=1.0, c1=1e-4, shrink=0.5,
                                       max_iter=60):
    """A failed search returns the last step tried and its value instead of 0.0 and the given value."""
    slope = float(grad @ direction)
    if slope >= 0.0:
        raise ValueError("not a descent direction")
    step = lr0
    trial = value
    for nfev in range(1, max_iter + 1):
        trial = value_fn(theta + step * direction)
        if trial <= value + c1 * step * slope:
            return LineSearchResult(step, trial, None, nfev, 0, True)
        if nfev < max_iter:
            step *= shrink
    return LineSearchResult(step, trial, None, max_iter, 0, False)


def backtracking__no_descent_check(value_fn, theta, value, grad, direction, lr0=1.0, c1=1e-4, shrink=0.5,
                                   max_iter=60):
    """Never raises ValueError for an uphill direction: it just searches and fails."""
    slope = float(grad @ direction)
    step = lr0
    for nfev in range(1, max_iter + 1):
        trial = value_fn(theta + step * direction)
        if trial <= value + c1 * step * slope:
            return LineSearchResult(step, trial, None, nfev, 0, True)
        step *= shrink
    return LineSearchResult(0.0, value, None, max_iter, 0, False)


def backtracking__shrinks_before_first_trial(value_fn, theta, value, grad, direction, lr0=1.0, c1=1e-4,
                                             shrink=0.5, max_iter=60):
    """Shrinks the step before each trial, so the first step tried is shrink * lr0 instead of lr0."""
    slope = float(grad @ direction)
    if slope >= 0.0:
        raise ValueError("not a descent direction")
    step = lr0
    for nfev in range(1, max_iter + 1):
        step *= shrink
        trial = value_fn(theta + step * direction)
        if trial <= value + c1 * step * slope:
            return LineSearchResult(step, trial, None, nfev, 0, True)
    return LineSearchResult(0.0, value, None, max_iter, 0, False)


def backtracking__moves_theta_in_place(value_fn, theta, value, grad, direction, lr0=1.0, c1=1e-4, shrink=0.5,
                                       max_iter=60):
    """Walks theta in place along the direction: right steps, but the caller's theta is changed."""
    slope = float(grad @ direction)
    if slope >= 0.0:
        raise ValueError("not a descent direction")
    step = lr0
    taken = 0.0
    for nfev in range(1, max_iter + 1):
        theta += (step - taken) * direction
        taken = step
        trial = value_fn(theta)
        if trial <= value + c1 * step * slope:
            return LineSearchResult(step, trial, None, nfev, 0, True)
        step *= shrink
    return LineSearchResult(0.0, value, None, max_iter, 0, False)


# --- newton_direction -----------------------------------------------------------------------


def newton_direction__wrong_sign(grad, hess, damping=0.0):
    """Solves (H + damping I) p = +g: the step points uphill."""
    return np.linalg.solve(hess + damping * np.eye(grad.size), grad)


def newton_direction__damping_added_to_every_entry(grad, hess, damping=0.0):
    """Adds damping to every entry of H (hess + damping) instead of to its diagonal."""
    return np.linalg.solve(hess + damping, -grad)


def newton_direction__diagonal_only(grad, hess, damping=0.0):
    """Divides by the diagonal of H: right only for the diagonal Hessians of the visible tests."""
    diagonal = np.diag(hess) + damping
    if np.any(diagonal == 0.0):
        raise ValueError("singular Hessian")
    return -grad / diagonal


def newton_direction__pseudo_inverse(grad, hess, damping=0.0):
    """Uses the pseudo-inverse, which silently returns a least-squares step for a singular matrix."""
    return -np.linalg.pinv(hess + damping * np.eye(grad.size)) @ grad


def newton_direction__damps_hess_in_place(grad, hess, damping=0.0):
    """Adds the damping to the caller's hess in place (hess += damping I)."""
    hess += damping * np.eye(grad.size)
    return np.linalg.solve(hess, -grad)


# --- lbfgs_direction ------------------------------------------------------------------------


def lbfgs_direction__loops_in_wrong_order(grad, s_history, y_history, gamma=None):
    """The two loops run in the wrong order: the first from oldest to newest, the second newest to oldest."""
    m = len(s_history)
    if gamma is None:
        gamma = 1.0 if m == 0 else (s_history[-1] @ y_history[-1]) / (y_history[-1] @ y_history[-1])
    q = np.array(grad, dtype=float)
    alphas = [0.0] * m
    for i in range(m):
        rho = 1.0 / (y_history[i] @ s_history[i])
        alphas[i] = rho * (s_history[i] @ q)
        q = q - alphas[i] * y_history[i]
    r = gamma * q
    for i in reversed(range(m)):
        rho = 1.0 / (y_history[i] @ s_history[i])
        beta = rho * (y_history[i] @ r)
        r = r + (alphas[i] - beta) * s_history[i]
    return -r


def lbfgs_direction__alphas_of_wrong_pairs(grad, s_history, y_history, gamma=None):
    """Appends a_i newest first and reads them oldest first: each pair gets another pair's a_i."""
    m = len(s_history)
    if gamma is None:
        gamma = 1.0 if m == 0 else (s_history[-1] @ y_history[-1]) / (y_history[-1] @ y_history[-1])
    q = np.array(grad, dtype=float)
    alphas = []
    for i in reversed(range(m)):
        a = (s_history[i] @ q) / (y_history[i] @ s_history[i])
        alphas.append(a)
        q = q - a * y_history[i]
    r = gamma * q
    for i in range(m):
        beta = (y_history[i] @ r) / (y_history[i] @ s_history[i])
        r = r + (alphas[i] - beta) * s_history[i]
    return -r


def lbfgs_direction__gamma_from_oldest_pair(grad, s_history, y_history, gamma=None):
    """gamma=None is taken from the oldest pair (index 0) instead of the newest."""
    m = len(s_history)
    if gamma is None:
        gamma = 1.0 if m == 0 else (s_history[0] @ y_history[0]) / (y_history[0] @ y_history[0])
    q = np.array(grad, dtype=float)
    alphas = [0.0] * m
    for i in reversed(range(m)):
        alphas[i] = (s_history[i] @ q) / (y_history[i] @ s_history[i])
        q = q - alphas[i] * y_history[i]
    r = gamma * q
    for i in range(m):
        beta = (y_history[i] @ r) / (y_history[i] @ s_history[i])
        r = r + (alphas[i] - beta) * s_history[i]
    return -r


def lbfgs_direction__gamma_inverted(grad, s_history, y_history, gamma=None):
    """gamma = y^T y / s^T y, the curvature instead of its inverse."""
    m = len(s_history)
    if gamma is None:
        gamma = 1.0 if m == 0 else (y_history[-1] @ y_history[-1]) / (s_history[-1] @ y_history[-1])
    q = np.array(grad, dtype=float)
    alphas = [0.0] * m
    for i in reversed(range(m)):
        alphas[i] = (s_history[i] @ q) / (y_history[i] @ s_history[i])
        q = q - alphas[i] * y_history[i]
    r = gamma * q
    for i in range(m):
        beta = (y_history[i] @ r) / (y_history[i] @ s_history[i])
        r = r + (alphas[i] - beta) * s_history[i]
    return -r


def lbfgs_direction__returns_r_not_minus_r(grad, s_history, y_history, gamma=None):
    """Returns M g instead of -M g: the direction points uphill."""
    m = len(s_history)
    if gamma is None:
        gamma = 1.0 if m == 0 else (s_history[-1] @ y_history[-1]) / (y_history[-1] @ y_history[-1])
    q = np.array(grad, dtype=float)
    alphas = [0.0] * m
    for i in reversed(range(m)):
        alphas[i] = (s_history[i] @ q) / (y_history[i] @ s_history[i])
        q = q - alphas[i] * y_history[i]
    r = gamma * q
    for i in range(m):
        beta = (y_history[i] @ r) / (y_history[i] @ s_history[i])
        r = r + (alphas[i] - beta) * s_history[i]
    return r


def lbfgs_direction__gamma_ignored_without_pairs(grad, s_history, y_history, gamma=None):
    """Returns -g when there are no pairs, ignoring a given gamma."""
    m = len(s_history)
    if m == 0:
        return -np.array(grad, dtype=float)
    if gamma is None:
        gamma = (s_history[-1] @ y_history[-1]) / (y_history[-1] @ y_history[-1])
    q = np.array(grad, dtype=float)
    alphas = [0.0] * m
    for i in reversed(range(m)):
        alphas[i] = (s_history[i] @ q) / (y_history[i] @ s_history[i])
        q = q - alphas[i] * y_history[i]
    r = gamma * q
    for i in range(m):
        beta = (y_history[i] @ r) / (y_history[i] @ s_history[i])
        r = r + (alphas[i] - beta) * s_history[i]
    return -r


def lbfgs_direction__updates_grad_in_place(grad, s_history, y_history, gamma=None):
    """Runs the first loop on grad itself (q = grad; q -= ...), changing the caller's gradient."""
    m = len(s_history)
    if gamma is None:
        gamma = 1.0 if m == 0 else (s_history[-1] @ y_history[-1]) / (y_history[-1] @ y_history[-1])
    q = grad
    alphas = [0.0] * m
    for i in reversed(range(m)):
        alphas[i] = (s_history[i] @ q) / (y_history[i] @ s_history[i])
        q -= alphas[i] * y_history[i]
    r = gamma * q
    for i in range(m):
        beta = (y_history[i] @ r) / (y_history[i] @ s_history[i])
        r = r + (alphas[i] - beta) * s_history[i]
    return -r


# --- hvp_finite_difference ------------------------------------------------------------------


def hvp_finite_difference__forward_difference(grad_fn, theta, v, eps=None):
    """A forward difference (g(theta + eps v) - g(theta)) / eps with the step sqrt(u) max(1, ||theta||) / ||v||."""
    v_norm = np.linalg.norm(v)
    if v_norm == 0.0:
        return np.zeros(v.shape)
    if eps is None:
        eps = np.sqrt(np.finfo(float).eps) * max(1.0, np.linalg.norm(theta)) / v_norm
    return (np.asarray(grad_fn(theta + eps * v)) - np.asarray(grad_fn(theta))) / eps


def hvp_finite_difference__divides_by_eps(grad_fn, theta, v, eps=None):
    """Divides the central difference by eps instead of 2 eps: twice the product."""
    v_norm = np.linalg.norm(v)
    if v_norm == 0.0:
        return np.zeros(v.shape)
    if eps is None:
        eps = np.cbrt(np.finfo(float).eps) * max(1.0, np.linalg.norm(theta)) / v_norm
    return (np.asarray(grad_fn(theta + eps * v)) - np.asarray(grad_fn(theta - eps * v))) / eps


def hvp_finite_difference__step_not_divided_by_v_norm(grad_fn, theta, v, eps=None):
    """The default step u^(1/3) max(1, ||theta||) without the division by ||v||."""
    if not np.any(v):
        return np.zeros(v.shape)
    if eps is None:
        eps = np.cbrt(np.finfo(float).eps) * max(1.0, np.linalg.norm(theta))
    return (np.asarray(grad_fn(theta + eps * v)) - np.asarray(grad_fn(theta - eps * v))) / (2.0 * eps)


def hvp_finite_difference__step_without_theta_scale(grad_fn, theta, v, eps=None):
    """The default step u^(1/3) / ||v||, forgetting the factor max(1, ||theta||)."""
    v_norm = np.linalg.norm(v)
    if v_norm == 0.0:
        return np.zeros(v.shape)
    if eps is None:
        eps = np.cbrt(np.finfo(float).eps) / v_norm
    return (np.asarray(grad_fn(theta + eps * v)) - np.asarray(grad_fn(theta - eps * v))) / (2.0 * eps)


def hvp_finite_difference__given_eps_ignored(grad_fn, theta, v, eps=None):
    """Always uses the default step, even when eps is given."""
    v_norm = np.linalg.norm(v)
    if v_norm == 0.0:
        return np.zeros(v.shape)
    step = np.cbrt(np.finfo(float).eps) * max(1.0, np.linalg.norm(theta)) / v_norm
    return (np.asarray(grad_fn(theta + step * v)) - np.asarray(grad_fn(theta - step * v))) / (2.0 * step)


def hvp_finite_difference__zero_v_not_handled(grad_fn, theta, v, eps=None):
    """Divides by ||v|| = 0 when v is zero and returns nan instead of the zero vector."""
    if eps is None:
        eps = np.cbrt(np.finfo(float).eps) * max(1.0, np.linalg.norm(theta)) / np.linalg.norm(v)
    return (np.asarray(grad_fn(theta + eps * v)) - np.asarray(grad_fn(theta - eps * v))) / (2.0 * eps)


def hvp_finite_difference__three_gradients(grad_fn, theta, v, eps=None):
    """Also computes g(theta) (unused in the result): three gradients instead of two."""
    v_norm = np.linalg.norm(v)
    if v_norm == 0.0:
        return np.zeros(v.shape)
    if eps is None:
        eps = np.cbrt(np.finfo(float).eps) * max(1.0, np.linalg.norm(theta)) / v_norm
    centre = np.asarray(grad_fn(theta))
    forward = np.asarray(grad_fn(theta + eps * v)) - centre
    backward = centre - np.asarray(grad_fn(theta - eps * v))
    return (forward + backward) / (2.0 * eps)


def hvp_finite_difference__moves_theta_in_place(grad_fn, theta, v, eps=None):
    """Steps theta in place to theta + eps v and theta - eps v, leaving the caller's theta moved."""
    v_norm = np.linalg.norm(v)
    if v_norm == 0.0:
        return np.zeros(v.shape)
    if eps is None:
        eps = np.cbrt(np.finfo(float).eps) * max(1.0, np.linalg.norm(theta)) / v_norm
    theta += eps * v
    forward = np.array(grad_fn(theta), dtype=float)
    theta -= 2.0 * eps * v
    backward = np.array(grad_fn(theta), dtype=float)
    return (forward - backward) / (2.0 * eps)


# --- conjugate_gradient ---------------------------------------------------------------------


def conjugate_gradient__gradient_instead_of_residual(hvp_fn, b, tol=1e-10, max_iter=None):
    """Builds each new direction from the gradient at the start, -b, instead of the current residual."""
    if max_iter is None:
        max_iter = 2 * b.size
    threshold = tol * np.linalg.norm(b)
    grad = -np.array(b, dtype=float)  # the gradient of 1/2 x^T A x - b^T x at x = 0
    x = np.zeros(b.shape)
    r = grad.copy()
    p = -grad
    for k in range(max_iter):
        if np.linalg.norm(r) <= threshold:
            return CGResult(x, r, k, "converged")
        Ap = np.asarray(hvp_fn(p), dtype=float)
        curvature = p @ Ap
        if curvature <= 0.0:
            if k == 0:
                return CGResult(p.copy(), r + Ap, 1, "negative curvature")
            return CGResult(x, r, k + 1, "negative curvature")
        alpha = (r @ r) / curvature
        x = x + alpha * p
        r_new = r + alpha * Ap
        beta = (r_new @ r_new) / (r @ r)
        p = -grad + beta * p
        r = r_new
    status = "converged" if np.linalg.norm(r) <= threshold else "max_iter"
    return CGResult(x, r, max_iter, status)


def conjugate_gradient__residual_sign_flipped(hvp_fn, b, tol=1e-10, max_iter=None):
    """Returns b - A x as the residual instead of A x - b."""
    if max_iter is None:
        max_iter = 2 * b.size
    threshold = tol * np.linalg.norm(b)
    x = np.zeros(b.shape)
    r = np.array(b, dtype=float)  # b - A x
    p = r.copy()
    for k in range(max_iter):
        if np.linalg.norm(r) <= threshold:
            return CGResult(x, r, k, "converged")
        Ap = np.asarray(hvp_fn(p), dtype=float)
        curvature = p @ Ap
        if curvature <= 0.0:
            if k == 0:
                return CGResult(p.copy(), r - Ap, 1, "negative curvature")
            return CGResult(x, r, k + 1, "negative curvature")
        alpha = (r @ r) / curvature
        x = x + alpha * p
        r_new = r - alpha * Ap
        p = r_new + (r_new @ r_new) / (r @ r) * p
        r = r_new
    status = "converged" if np.linalg.norm(r) <= threshold else "max_iter"
    return CGResult(x, r, max_iter, status)


def conjugate_gradient__absolute_tolerance(hvp_fn, b, tol=1e-10, max_iter=None):
    """Stops when ||r|| <= tol, an absolute test, instead of tol ||b||."""
    if max_iter is None:
        max_iter = 2 * b.size
    x = np.zeros(b.shape)
    r = -np.array(b, dtype=float)
    p = -r
    for k in range(max_iter):
        if np.linalg.norm(r) <= tol:
            return CGResult(x, r, k, "converged")
        Ap = np.asarray(hvp_fn(p), dtype=float)
        curvature = p @ Ap
        if curvature <= 0.0:
            if k == 0:
                return CGResult(p.copy(), r + Ap, 1, "negative curvature")
            return CGResult(x, r, k + 1, "negative curvature")
        alpha = (r @ r) / curvature
        x = x + alpha * p
        r_new = r + alpha * Ap
        p = -r_new + (r_new @ r_new) / (r @ r) * p
        r = r_new
    status = "converged" if np.linalg.norm(r) <= tol else "max_iter"
    return CGResult(x, r, max_iter, status)


def conjugate_gradient__zero_curvature_accepted(hvp_fn, b, tol=1e-10, max_iter=None):
    """Tests p^T A p < 0 (strict), so a zero curvature divides by zero instead of stopping."""
    if max_iter is None:
        max_iter = 2 * b.size
    threshold = tol * np.linalg.norm(b)
    x = np.zeros(b.shape)
    r = -np.array(b, dtype=float)
    p = -r
    for k in range(max_iter):
        if np.linalg.norm(r) <= threshold:
            return CGResult(x, r, k, "converged")
        Ap = np.asarray(hvp_fn(p), dtype=float)
        curvature = p @ Ap
        if curvature < 0.0:
            if k == 0:
                return CGResult(p.copy(), r + Ap, 1, "negative curvature")
            return CGResult(x, r, k + 1, "negative curvature")
        alpha = (r @ r) / curvature
        x = x + alpha * p
        r_new = r + alpha * Ap
        p = -r_new + (r_new @ r_new) / (r @ r) * p
        r = r_new
    status = "converged" if np.linalg.norm(r) <= threshold else "max_iter"
    return CGResult(x, r, max_iter, status)


def conjugate_gradient__zero_on_first_negative_curvature(hvp_fn, b, tol=1e-10, max_iter=None):
    """Negative curvature at the first iteration returns x = 0 instead of x = b."""
    if max_iter is None:
        max_iter = 2 * b.size
    threshold = tol * np.linalg.norm(b)
    x = np.zeros(b.shape)
    r = -np.array(b, dtype=float)
    p = -r
    for k in range(max_iter):
        if np.linalg.norm(r) <= threshold:
            return CGResult(x, r, k, "converged")
        Ap = np.asarray(hvp_fn(p), dtype=float)
        curvature = p @ Ap
        if curvature <= 0.0:
            return CGResult(x, r, k + 1, "negative curvature")
        alpha = (r @ r) / curvature
        x = x + alpha * p
        r_new = r + alpha * Ap
        p = -r_new + (r_new @ r_new) / (r @ r) * p
        r = r_new
    status = "converged" if np.linalg.norm(r) <= threshold else "max_iter"
    return CGResult(x, r, max_iter, status)


def conjugate_gradient__max_iter_default_d(hvp_fn, b, tol=1e-10, max_iter=None):
    """max_iter=None means d products instead of 2 d."""
    if max_iter is None:
        max_iter = b.size
    threshold = tol * np.linalg.norm(b)
    x = np.zeros(b.shape)
    r = -np.array(b, dtype=float)
    p = -r
    for k in range(max_iter):
        if np.linalg.norm(r) <= threshold:
            return CGResult(x, r, k, "converged")
        Ap = np.asarray(hvp_fn(p), dtype=float)
        curvature = p @ Ap
        if curvature <= 0.0:
            if k == 0:
                return CGResult(p.copy(), r + Ap, 1, "negative curvature")
            return CGResult(x, r, k + 1, "negative curvature")
        alpha = (r @ r) / curvature
        x = x + alpha * p
        r_new = r + alpha * Ap
        p = -r_new + (r_new @ r_new) / (r @ r) * p
        r = r_new
    status = "converged" if np.linalg.norm(r) <= threshold else "max_iter"
    return CGResult(x, r, max_iter, status)


def conjugate_gradient__max_iter_status_without_final_test(hvp_fn, b, tol=1e-10, max_iter=None):
    """Reports "max_iter" whenever the loop runs out, even if the last iteration converged."""
    if max_iter is None:
        max_iter = 2 * b.size
    threshold = tol * np.linalg.norm(b)
    x = np.zeros(b.shape)
    r = -np.array(b, dtype=float)
    p = -r
    for k in range(max_iter):
        if np.linalg.norm(r) <= threshold:
            return CGResult(x, r, k, "converged")
        Ap = np.asarray(hvp_fn(p), dtype=float)
        curvature = p @ Ap
        if curvature <= 0.0:
            if k == 0:
                return CGResult(p.copy(), r + Ap, 1, "negative curvature")
            return CGResult(x, r, k + 1, "negative curvature")
        alpha = (r @ r) / curvature
        x = x + alpha * p
        r_new = r + alpha * Ap
        p = -r_new + (r_new @ r_new) / (r @ r) * p
        r = r_new
    return CGResult(x, r, max_iter, "max_iter")


def conjugate_gradient__residual_recomputed(hvp_fn, b, tol=1e-10, max_iter=None):
    """Recomputes the residual as hvp_fn(x) - b at every iteration: two products per iteration."""
    if max_iter is None:
        max_iter = 2 * b.size
    threshold = tol * np.linalg.norm(b)
    x = np.zeros(b.shape)
    r = -np.array(b, dtype=float)
    p = -r
    nhvp = 0
    for k in range(max_iter):
        if np.linalg.norm(r) <= threshold:
            return CGResult(x, r, nhvp, "converged")
        Ap = np.asarray(hvp_fn(p), dtype=float)
        nhvp += 1
        curvature = p @ Ap
        if curvature <= 0.0:
            if k == 0:
                return CGResult(p.copy(), r + Ap, nhvp, "negative curvature")
            return CGResult(x, r, nhvp, "negative curvature")
        alpha = (r @ r) / curvature
        x = x + alpha * p
        r_new = np.asarray(hvp_fn(x), dtype=float) - b
        p = -r_new + (r_new @ r_new) / (r @ r) * p
        r = r_new
    status = "converged" if np.linalg.norm(r) <= threshold else "max_iter"
    return CGResult(x, r, nhvp, status)
