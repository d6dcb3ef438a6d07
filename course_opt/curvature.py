"""Curvature: what the Hessian says about a gradient step.

All functions take a symmetric Hessian ``hess`` (and a gradient ``grad`` where needed) as
arrays, so they apply equally to an exact Hessian, a Hessian at a critical point, or the
constant Hessian ``A`` of a quadratic.
"""

import numpy as np

from course_opt._checks import as_scalar, as_symmetric, as_vector


def hessian_eigh(hess):
    """Eigendecomposition ``H = Q diag(lambda) Q^T`` of a symmetric Hessian.

    Returns ``(eigenvalues, eigenvectors)`` with the eigenvalues in ascending order and
    the orthonormal eigenvectors as the columns of ``eigenvectors``.
    """
    return np.linalg.eigh(as_symmetric(hess, "hess"))


def condition_number(hess):
    """The condition number ``kappa = sigma_max / sigma_min`` of a symmetric Hessian.

    The singular values of a symmetric matrix are the absolute values of its eigenvalues,
    so ``kappa = max_i |lambda_i| / min_i |lambda_i|`` (LeCun et al., 1998). It is
    ``1`` for a multiple of the identity and ``inf`` for a singular Hessian.
    """
    abs_eig = np.abs(np.linalg.eigvalsh(as_symmetric(hess, "hess")))
    largest, smallest = abs_eig.max(), abs_eig.min()
    if smallest <= np.finfo(float).eps * largest or largest == 0.0:
        return np.inf
    return float(largest / smallest)


def directional_curvature(hess, d):
    """The second derivative along the direction ``d``: ``d^T H d / d^T d``.

    For a unit eigenvector it equals the eigenvalue; for any ``d`` it lies between the
    smallest and the largest eigenvalue.
    """
    hess = as_symmetric(hess, "hess")
    d = as_vector(d, "d", hess.shape[0])
    dd = d @ d
    if dd == 0.0:
        raise ValueError("d must be a non-zero direction")
    return float(d @ hess @ d / dd)


def taylor_gd_step(value, grad, hess, lr):
    """The second-order Taylor model of one gradient step of size ``lr``:

    ``C(theta - lr g) ~ C(theta) - lr g^T g + 1/2 lr^2 g^T H g``.

    Exact for a quadratic; the linear term is the first-order decrease, the quadratic
    term the curvature penalty that a too large ``lr`` pays.
    """
    value = as_scalar(value, "value")
    hess = as_symmetric(hess, "hess")
    grad = as_vector(grad, "grad", hess.shape[0])
    lr = as_scalar(lr, "lr", low=0.0)
    return float(value - lr * (grad @ grad) + 0.5 * lr**2 * (grad @ hess @ grad))


def optimal_lr(grad, hess):
    """The step along ``-g`` that minimizes the Taylor model: ``g^T g / g^T H g``.

    When ``g^T H g <= 0`` the model decreases without bound along ``-g`` and the result is
    ``inf``; a zero gradient raises, since every step is then optimal.
    """
    hess = as_symmetric(hess, "hess")
    grad = as_vector(grad, "grad", hess.shape[0])
    gg = grad @ grad
    if gg == 0.0:
        raise ValueError("grad is zero: theta is a critical point and no step is needed")
    gHg = grad @ hess @ grad
    return np.inf if gHg <= 0.0 else float(gg / gHg)


def classify_critical_point(hess, tol=1e-8):
    """The second-derivative test at a critical point, from the Hessian's eigenvalues.

    Returns ``"minimum"`` if every eigenvalue exceeds ``tol``, ``"maximum"`` if every one is
    below ``-tol``, ``"saddle"`` if at least one of each exists, and ``"inconclusive"``
    otherwise (some eigenvalue within ``tol`` of zero and no opposite signs).
    """
    eig = np.linalg.eigvalsh(as_symmetric(hess, "hess"))
    tol = as_scalar(tol, "tol", low=0.0)
    positive, negative = np.any(eig > tol), np.any(eig < -tol)
    if positive and negative:
        return "saddle"
    if np.all(eig > tol):
        return "minimum"
    if np.all(eig < -tol):
        return "maximum"
    return "inconclusive"


def gd_contraction(kappa):
    """Worst-case factor ``(kappa - 1) / (kappa + 1)`` by which gradient descent with
    ``lr = 2 / (L + mu)`` shrinks the distance to the minimizer of a quadratic whose
    Hessian has condition number ``kappa = L / mu`` (Polyak, 1964).
    """
    kappa = as_scalar(kappa, "kappa", low=1.0)
    return (kappa - 1.0) / (kappa + 1.0)


def heavy_ball_contraction(kappa):
    """Asymptotic factor ``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)`` of the heavy-ball
    method with its optimal learning rate and momentum on a quadratic (Polyak, 1964).
    """
    root = np.sqrt(as_scalar(kappa, "kappa", low=1.0))
    return float((root - 1.0) / (root + 1.0))


def gd_steps_to_tolerance(kappa, tol):
    """The fewest gradient steps ``k`` after which the bound ``gd_contraction(kappa)^k``
    on ``||theta_k - theta*|| / ||theta_0 - theta*||`` is at most ``tol``.

    That is ``ceil(log(tol) / log((kappa - 1) / (kappa + 1)))``, ``0`` when ``tol >= 1``
    and ``1`` when ``kappa = 1`` (one step of ``lr = 1 / L`` lands on the minimizer).
    """
    rate = gd_contraction(kappa)
    tol = as_scalar(tol, "tol", low=0.0, low_open=True)
    if tol >= 1.0:
        return 0
    if rate == 0.0:
        return 1
    # log((kappa - 1)/(kappa + 1)) = log1p(-2/(kappa + 1)) keeps its accuracy for large kappa,
    # where the rounded rate loses about kappa * 1e-16 of it.
    log_rate = np.log1p(-2.0 / (kappa + 1.0))
    # A tie within rounding counts as reached, so that (1/3)^2 reaches tol = 1/9 in 2 steps.
    log_tol = np.log(tol) * (1.0 - 8 * np.finfo(float).eps)
    steps = int(np.ceil(log_tol / log_rate))
    # Guard the rounding of the division: the smallest k with k log(rate) <= log(tol).
    while steps > 0 and (steps - 1) * log_rate <= log_tol:
        steps -= 1
    while steps * log_rate > log_tol:
        steps += 1
    return steps


def effective_condition_number(hess, precond):
    """The condition number of a gradient step preconditioned by ``P``:
    ``theta <- theta - lr P^{-1} g``.

    For a symmetric positive definite ``P = L L^T`` the step is gradient descent in
    coordinates ``phi = L^T theta``, whose Hessian is ``L^{-1} H L^{-T}``; its condition
    number is returned. ``P = H`` gives ``1`` (Newton), ``P = I`` gives ``kappa(H)``.
    """
    hess = as_symmetric(hess, "hess")
    precond = as_symmetric(precond, "precond")
    if precond.shape != hess.shape:
        raise ValueError(f"precond must have the shape of hess {hess.shape}, got {precond.shape}")
    try:
        chol = np.linalg.cholesky(precond)
    except np.linalg.LinAlgError:
        raise ValueError("precond must be symmetric positive definite") from None
    half = np.linalg.solve(chol, hess)  # L^{-1} H
    transformed = np.linalg.solve(chol, half.T)  # L^{-1} H L^{-T}
    return condition_number(0.5 * (transformed + transformed.T))
