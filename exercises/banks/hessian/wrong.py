"""Wrong solutions of the problem set `hessian`: mistakes students really make.

Each entry is a complete function named `<function>__<mistake>`; the bank harness
(tests/banks.py) puts it in place of the instructor's `<function>` and checks that it loses
the points of the test cells that TESTS names for that function.
"""

import numpy as np

TESTS = {
    "condition_number": ["test_condition_number"],
    "optimal_lr": ["test_optimal_lr"],
    "classify_critical_point": ["test_classify_critical_point"],
    "gd_steps_to_tolerance": ["test_gd_steps_to_tolerance"],
    "taylor_gd_step": ["test_taylor_gd_step"],
}


# ----------------------------------------------------------------------------- condition_number


def condition_number__no_absolute_values(hess):
    """Ratio of the largest to the smallest signed eigenvalue (no absolute values)."""
    eigenvalues = np.linalg.eigvalsh(hess)
    if eigenvalues.min() == 0.0:
        return np.inf
    return float(eigenvalues.max() / eigenvalues.min())


def condition_number__abs_of_signed_ratio(hess):
    """Absolute value taken after dividing the signed extreme eigenvalues."""
    eigenvalues = np.linalg.eigvalsh(hess)
    if np.any(eigenvalues == 0.0):
        return np.inf
    return float(abs(eigenvalues[-1] / eigenvalues[0]))


def condition_number__inverted(hess):
    """min |lambda| / max |lambda|: the reciprocal of the condition number."""
    abs_eigenvalues = np.abs(np.linalg.eigvalsh(hess))
    if abs_eigenvalues.min() == 0.0:
        return np.inf
    return float(abs_eigenvalues.min() / abs_eigenvalues.max())


def condition_number__diagonal_entries(hess):
    """Ratio of the extreme diagonal entries: right for diagonal matrices only."""
    diagonal = np.abs(np.diag(hess))
    if diagonal.min() == 0.0:
        return np.inf
    return float(diagonal.max() / diagonal.min())


def condition_number__squared(hess):
    """Eigenvalues of H^T H without the square root: kappa squared."""
    eigenvalues = np.linalg.eigvalsh(hess.T @ hess)
    if eigenvalues.min() <= 0.0:
        return np.inf
    return float(eigenvalues.max() / eigenvalues.min())


def condition_number__zero_matrix_nan(hess):
    """Relies on division by zero for singular matrices: 0 / 0 gives nan for the zero matrix."""
    abs_eigenvalues = np.abs(np.linalg.eigvalsh(hess))
    return abs_eigenvalues.max() / abs_eigenvalues.min()


def condition_number__singular_returns_zero(hess):
    """Returns 0 instead of np.inf for a singular matrix."""
    abs_eigenvalues = np.abs(np.linalg.eigvalsh(hess))
    if abs_eigenvalues.min() == 0.0:
        return 0.0
    return float(abs_eigenvalues.max() / abs_eigenvalues.min())


def condition_number__absolute_threshold(hess):
    """Treats every |lambda| below 1e-5 as zero, so a badly conditioned matrix counts as singular."""
    abs_eigenvalues = np.abs(np.linalg.eigvalsh(hess))
    if abs_eigenvalues.min() < 1e-5:
        return np.inf
    return float(abs_eigenvalues.max() / abs_eigenvalues.min())


def condition_number__two_by_two_formula(hess):
    """Eigenvalues from the trace and determinant of a 2x2 matrix: right for 2-D inputs only."""
    trace, det = hess[0, 0] + hess[1, 1], hess[0, 0] * hess[1, 1] - hess[0, 1] * hess[1, 0]
    root = np.sqrt(max(trace**2 / 4 - det, 0.0))
    lam1, lam2 = abs(trace / 2 + root), abs(trace / 2 - root)
    if min(lam1, lam2) == 0.0:
        return np.inf
    return float(max(lam1, lam2) / min(lam1, lam2))


def condition_number__scales_input_in_place(hess):
    """Right value, but divides hess by its largest entry in place: the caller's array changes."""
    scale = np.abs(hess).max()
    if scale == 0.0:
        return np.inf
    hess /= scale
    abs_eigenvalues = np.abs(np.linalg.eigvalsh(hess))
    if abs_eigenvalues.min() == 0.0:
        return np.inf
    return float(abs_eigenvalues.max() / abs_eigenvalues.min())


def condition_number__visible_inputs_only(hess):
    """Right for the visible tests' 2x2 matrices and the identity, 1.0 for everything else."""
    if hess.shape == (2, 2):
        if hess[1, 1] == 0.0:
            return np.inf
        if hess[0, 1] != 0.0:
            return 3.0
        return float(abs(hess[0, 0]) / abs(hess[1, 1]))
    return 1.0


# ----------------------------------------------------------------------------- optimal_lr


def optimal_lr__inverted(grad, hess):
    """g^T H g / g^T g: the directional curvature instead of its reciprocal."""
    squared_norm = grad @ grad
    if squared_norm == 0.0:
        raise ValueError("zero gradient")
    curvature = grad @ hess @ grad
    if curvature <= 0.0:
        return np.inf
    return float(curvature / squared_norm)


def optimal_lr__no_curvature_check(grad, hess):
    """Never returns np.inf: a negative curvature gives a negative step."""
    squared_norm = grad @ grad
    if squared_norm == 0.0:
        raise ValueError("zero gradient")
    return float(squared_norm / (grad @ hess @ grad))


def optimal_lr__absolute_curvature(grad, hess):
    """Divides by |g^T H g|: a negative curvature gives a finite positive step."""
    squared_norm = grad @ grad
    if squared_norm == 0.0:
        raise ValueError("zero gradient")
    curvature = abs(grad @ hess @ grad)
    if curvature == 0.0:
        return np.inf
    return float(squared_norm / curvature)


def optimal_lr__zero_curvature_divides(grad, hess):
    """Checks curvature < 0 only, then divides Python floats: zero curvature raises ZeroDivisionError."""
    squared_norm = float(grad @ grad)
    if squared_norm == 0.0:
        raise ValueError("zero gradient")
    curvature = float(grad @ hess @ grad)
    if curvature < 0.0:
        return np.inf
    return squared_norm / curvature


def optimal_lr__small_gradient_raises(grad, hess):
    """Treats a gradient of norm below 1e-8 as zero and raises ValueError."""
    if np.linalg.norm(grad) < 1e-8:
        raise ValueError("zero gradient")
    curvature = grad @ hess @ grad
    if curvature <= 0.0:
        return np.inf
    return float(grad @ grad / curvature)


def optimal_lr__zero_gradient_returns_inf(grad, hess):
    """Returns np.inf for a zero gradient instead of raising ValueError."""
    curvature = grad @ hess @ grad
    if curvature <= 0.0:
        return np.inf
    return float(grad @ grad / curvature)


def optimal_lr__eps_in_denominator(grad, hess):
    """Adds 1e-12 to g^T H g "for safety": far off when the gradient is small."""
    squared_norm = grad @ grad
    if squared_norm == 0.0:
        raise ValueError("zero gradient")
    curvature = grad @ hess @ grad
    if curvature <= 0.0:
        return np.inf
    return float(squared_norm / (curvature + 1e-12))


def optimal_lr__curvature_threshold(grad, hess):
    """Treats g^T H g below 1e-12 as zero curvature: np.inf for a small gradient with positive curvature."""
    squared_norm = grad @ grad
    if squared_norm == 0.0:
        raise ValueError("zero gradient")
    curvature = grad @ hess @ grad
    if curvature <= 1e-12:
        return np.inf
    return float(squared_norm / curvature)


def optimal_lr__largest_eigenvalue(grad, hess):
    """1 / lambda_max, the safe step for every direction, instead of the best step along g."""
    if not np.any(grad):
        raise ValueError("zero gradient")
    curvature = grad @ hess @ grad
    if curvature <= 0.0:
        return np.inf
    return float(1.0 / np.linalg.eigvalsh(hess).max())


def optimal_lr__column_vectors(grad, hess):
    """Works with grad as a column: returns a (1, 1) array instead of a number."""
    g = grad.reshape(-1, 1)
    squared_norm = g.T @ g
    if squared_norm == 0.0:
        raise ValueError("zero gradient")
    curvature = g.T @ hess @ g
    if curvature <= 0.0:
        return np.inf
    return squared_norm / curvature


def optimal_lr__normalizes_grad_in_place(grad, hess):
    """Right value from the unit gradient, but normalizes grad in place: the caller's array changes."""
    norm = np.linalg.norm(grad)
    if norm == 0.0:
        raise ValueError("zero gradient")
    grad /= norm
    curvature = grad @ hess @ grad
    if curvature <= 0.0:
        return np.inf
    return float(1.0 / curvature)


# ----------------------------------------------------------------------------- classify_critical_point


def classify_critical_point__non_strict(hess, tol=1e-8):
    """Compares with >= tol and <= -tol: with tol = 0 an exact zero eigenvalue counts as positive."""
    eigenvalues = np.linalg.eigvalsh(hess)
    positive, negative = eigenvalues >= tol, eigenvalues <= -tol
    if positive.any() and negative.any():
        return "saddle"
    if positive.all():
        return "minimum"
    if negative.all():
        return "maximum"
    return "inconclusive"


def classify_critical_point__ignores_tol(hess, tol=1e-8):
    """Compares the eigenvalues with 0 instead of tol."""
    eigenvalues = np.linalg.eigvalsh(hess)
    if np.any(eigenvalues > 0) and np.any(eigenvalues < 0):
        return "saddle"
    if np.all(eigenvalues > 0):
        return "minimum"
    if np.all(eigenvalues < 0):
        return "maximum"
    return "inconclusive"


def classify_critical_point__zero_before_saddle(hess, tol=1e-8):
    """Any eigenvalue within tol makes the test inconclusive, even with both signs beyond tol."""
    eigenvalues = np.linalg.eigvalsh(hess)
    if np.any(np.abs(eigenvalues) <= tol):
        return "inconclusive"
    if np.all(eigenvalues > tol):
        return "minimum"
    if np.all(eigenvalues < -tol):
        return "maximum"
    return "saddle"


def classify_critical_point__diagonal_entries(hess, tol=1e-8):
    """Classifies by the signs of the diagonal entries instead of the eigenvalues."""
    diagonal = np.diag(hess)
    if np.any(diagonal > tol) and np.any(diagonal < -tol):
        return "saddle"
    if np.all(diagonal > tol):
        return "minimum"
    if np.all(diagonal < -tol):
        return "maximum"
    return "inconclusive"


def classify_critical_point__determinant_test(hess, tol=1e-8):
    """The 2x2 determinant-and-trace test: right for 2-D inputs only."""
    det = hess[0, 0] * hess[1, 1] - hess[0, 1] * hess[1, 0]
    trace = hess[0, 0] + hess[1, 1]
    if abs(det) <= tol:
        return "inconclusive"
    if det < 0:
        return "saddle"
    return "minimum" if trace > 0 else "maximum"


def classify_critical_point__unsorted_eigvals_ends(hess, tol=1e-8):
    """Takes the first and last of np.linalg.eigvals as the extremes, but eigvals does not sort."""
    eigenvalues = np.real(np.linalg.eigvals(hess))
    smallest, largest = eigenvalues[0], eigenvalues[-1]
    if largest > tol and smallest < -tol:
        return "saddle"
    if smallest > tol:
        return "minimum"
    if largest < -tol:
        return "maximum"
    return "inconclusive"


def classify_critical_point__default_tol_too_large(hess, tol=1e-6):
    """Default tol of 1e-6 instead of the stated 1e-8."""
    eigenvalues = np.linalg.eigvalsh(hess)
    if np.any(eigenvalues > tol) and np.any(eigenvalues < -tol):
        return "saddle"
    if np.all(eigenvalues > tol):
        return "minimum"
    if np.all(eigenvalues < -tol):
        return "maximum"
    return "inconclusive"


def classify_critical_point__capitalized(hess, tol=1e-8):
    """Returns capitalized labels ("Minimum") instead of the four lowercase strings."""
    eigenvalues = np.linalg.eigvalsh(hess)
    if np.any(eigenvalues > tol) and np.any(eigenvalues < -tol):
        return "Saddle"
    if np.all(eigenvalues > tol):
        return "Minimum"
    if np.all(eigenvalues < -tol):
        return "Maximum"
    return "Inconclusive"


def classify_critical_point__relative_tol(hess, tol=1e-8):
    """Scales tol by the largest |eigenvalue|: a relative instead of the stated absolute tolerance."""
    eigenvalues = np.linalg.eigvalsh(hess)
    threshold = tol * np.abs(eigenvalues).max()
    if np.any(eigenvalues > threshold) and np.any(eigenvalues < -threshold):
        return "saddle"
    if np.all(eigenvalues > threshold):
        return "minimum"
    if np.all(eigenvalues < -threshold):
        return "maximum"
    return "inconclusive"


# ----------------------------------------------------------------------------- gd_steps_to_tolerance


def gd_steps_to_tolerance__truncates(kappa, tol):
    """int() of the ratio of logarithms: rounds down instead of up."""
    if tol >= 1.0:
        return 0
    if kappa == 1.0:
        return 1
    q = (kappa - 1.0) / (kappa + 1.0)
    return int(np.log(tol) / np.log(q))


def gd_steps_to_tolerance__strict_inequality(kappa, tol):
    """The smallest k with q**k < tol (strict), one step too many when q**k equals tol."""
    if tol >= 1.0:
        return 0
    if kappa == 1.0:
        return 1
    q = (kappa - 1.0) / (kappa + 1.0)
    return int(np.floor(np.log(tol) / np.log(q))) + 1


def gd_steps_to_tolerance__returns_float(kappa, tol):
    """Returns np.ceil's float (such as 4.0) instead of an integer."""
    if tol >= 1.0:
        return 0
    if kappa == 1.0:
        return 1
    q = (kappa - 1.0) / (kappa + 1.0)
    return np.ceil(np.log(tol) / np.log(q))


def gd_steps_to_tolerance__no_tol_above_one_case(kappa, tol):
    """No special case for tol >= 1: tol > 1 gives a negative number of steps."""
    if kappa == 1.0:
        return 1
    q = (kappa - 1.0) / (kappa + 1.0)
    return int(np.ceil(np.log(tol) / np.log(q)))


def gd_steps_to_tolerance__kappa_one_gives_zero(kappa, tol):
    """No special case for kappa = 1: log(0) = -inf makes the answer 0 instead of 1."""
    if tol >= 1.0:
        return 0
    q = (kappa - 1.0) / (kappa + 1.0)
    with np.errstate(divide="ignore"):
        return int(np.ceil(np.log(tol) / np.log(q)))


def gd_steps_to_tolerance__sqrt_kappa_rate(kappa, tol):
    """Uses the heavy-ball rate (sqrt(kappa) - 1) / (sqrt(kappa) + 1) instead of (kappa - 1) / (kappa + 1)."""
    if tol >= 1.0:
        return 0
    if kappa == 1.0:
        return 1
    root = np.sqrt(kappa)
    q = (root - 1.0) / (root + 1.0)
    return int(np.ceil(np.log(tol) / np.log(q)))


def gd_steps_to_tolerance__rate_one_minus_inverse_kappa(kappa, tol):
    """Uses q = 1 - 1/kappa (the rate of lr = 1/L) instead of (kappa - 1) / (kappa + 1)."""
    if tol >= 1.0:
        return 0
    if kappa == 1.0:
        return 1
    q = 1.0 - 1.0 / kappa
    return int(np.ceil(np.log(tol) / np.log(q)))


def gd_steps_to_tolerance__kappa_log_approximation(kappa, tol):
    """The rule of thumb ceil(kappa / 2 * log(1 / tol)) instead of the exact count."""
    if tol >= 1.0:
        return 0
    if kappa == 1.0:
        return 1
    return int(np.ceil(kappa / 2.0 * np.log(1.0 / tol)))


def gd_steps_to_tolerance__plus_one(kappa, tol):
    """Counts the starting point as a step: one more than the smallest k."""
    if tol >= 1.0:
        return 0
    if kappa == 1.0:
        return 1
    q = (kappa - 1.0) / (kappa + 1.0)
    return int(np.ceil(np.log(tol) / np.log(q))) + 1


# ----------------------------------------------------------------------------- taylor_gd_step


def taylor_gd_step__sign_flipped(value, grad, hess, lr):
    """Adds the first-order term: the model of a step up the gradient."""
    return float(value + lr * (grad @ grad) + 0.5 * lr**2 * (grad @ hess @ grad))


def taylor_gd_step__no_half(value, grad, hess, lr):
    """Forgets the factor 1/2 of the second-order term."""
    return float(value - lr * (grad @ grad) + lr**2 * (grad @ hess @ grad))


def taylor_gd_step__lr_not_squared(value, grad, hess, lr):
    """Multiplies the curvature term by lr instead of lr**2."""
    return float(value - lr * (grad @ grad) + 0.5 * lr * (grad @ hess @ grad))


def taylor_gd_step__first_order_only(value, grad, hess, lr):
    """Drops the curvature term: the first-order model."""
    return float(value - lr * (grad @ grad))


def taylor_gd_step__norm_not_squared(value, grad, hess, lr):
    """Uses the norm ||g|| instead of g^T g in the first-order term."""
    return float(value - lr * np.linalg.norm(grad) + 0.5 * lr**2 * (grad @ hess @ grad))


def taylor_gd_step__curvature_sign_flipped(value, grad, hess, lr):
    """Subtracts the curvature term."""
    return float(value - lr * (grad @ grad) - 0.5 * lr**2 * (grad @ hess @ grad))


def taylor_gd_step__column_vectors(value, grad, hess, lr):
    """Works with grad as a column: returns a (1, 1) array instead of a number."""
    g = grad.reshape(-1, 1)
    return value - lr * (g.T @ g) + 0.5 * lr**2 * (g.T @ hess @ g)


def taylor_gd_step__scales_hess_in_place(value, grad, hess, lr):
    """Right value, but multiplies hess by lr**2 / 2 in place: the caller's array changes."""
    hess *= 0.5 * lr**2
    return float(value - lr * (grad @ grad) + grad @ hess @ grad)
