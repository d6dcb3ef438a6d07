"""Correct solutions of the problem set `hessian`, written differently from course_opt.

Each entry is a complete function named `<function>__<how it differs>`; the bank harness
(tests/banks.py) puts it in place of the instructor's `<function>` and checks that it earns
full marks on every autograded part.
"""

import numpy as np


# ----------------------------------------------------------------------------- condition_number


def condition_number__numpy_cond(hess):
    """np.linalg.cond: the ratio of singular values from an SVD, a NumPy scalar (inf when singular)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.linalg.cond(hess)


def condition_number__loop_over_eigenvalues(hess):
    """A Python loop over the eigenvalues of np.linalg.eigh, extremes tracked by hand."""
    eigenvalues, _ = np.linalg.eigh(hess)
    largest, smallest = 0.0, np.inf
    for eigenvalue in eigenvalues:
        size = abs(float(eigenvalue))
        largest = max(largest, size)
        smallest = min(smallest, size)
    if smallest == 0.0:
        return np.inf
    return largest / smallest


def condition_number__sorted_abs_zero_d_array(hess):
    """Sorted absolute eigenvalues, returned as a 0-d array; prints the eigenvalues."""
    abs_eigenvalues = np.sort(np.abs(np.linalg.eigvalsh(hess)))
    print("eigenvalues by size:", abs_eigenvalues)
    if abs_eigenvalues[0] == 0.0:
        return np.array(np.inf)
    return np.array(abs_eigenvalues[-1] / abs_eigenvalues[0])


def condition_number__division_warns(hess):
    """Lets 3 / 0 give inf with numpy's RuntimeWarning; only the zero matrix is a special case."""
    abs_eigenvalues = np.abs(np.linalg.eigvalsh(hess))
    if abs_eigenvalues.max() == 0.0:
        return np.inf
    return abs_eigenvalues.max() / abs_eigenvalues.min()


def condition_number__warns_when_singular(hess):
    """Emits a UserWarning with warnings.warn before returning np.inf for a singular matrix."""
    import warnings

    abs_eigenvalues = np.abs(np.linalg.eigvalsh(hess))
    if abs_eigenvalues.min() == 0.0:
        warnings.warn("hess is singular: its condition number is infinite")
        return np.inf
    return float(abs_eigenvalues.max() / abs_eigenvalues.min())


# ----------------------------------------------------------------------------- optimal_lr


def optimal_lr__rayleigh_quotient(grad, hess):
    """1 / (u^T H u) with the unit vector u = g / ||g|| (the norm computed on a copy)."""
    norm = np.linalg.norm(grad)
    if norm == 0.0:
        raise ValueError("the gradient is zero")
    direction = grad / norm
    curvature = direction @ (hess @ direction)
    if curvature <= 0.0:
        return np.inf
    return 1.0 / curvature


def optimal_lr__loops(grad, hess):
    """Double loop over the entries, Python floats throughout."""
    d = len(grad)
    squared_norm = sum(float(grad[i]) ** 2 for i in range(d))
    if squared_norm == 0.0:
        raise ValueError("zero gradient: no best step")
    curvature = 0.0
    for i in range(d):
        for j in range(d):
            curvature += float(grad[i]) * float(hess[i, j]) * float(grad[j])
    if curvature <= 0.0:
        return float("inf")
    return squared_norm / curvature


def optimal_lr__einsum_zero_d_array(grad, hess):
    """np.einsum for both forms, the result a 0-d array; prints the curvature."""
    if not np.any(grad):
        raise ValueError("grad is the zero vector")
    squared_norm = np.einsum("i,i->", grad, grad)
    curvature = np.einsum("i,ij,j->", grad, hess, grad)
    print("curvature along the gradient:", curvature)
    if curvature <= 0:
        return np.array(np.inf)
    return np.asarray(squared_norm / curvature)


# ----------------------------------------------------------------------------- classify_critical_point


def classify_critical_point__count_signs(hess, tol=1e-8):
    """Counts the eigenvalues beyond tol on each side in a loop over eigvals' real parts."""
    num_positive = num_negative = 0
    eigenvalues = np.real(np.linalg.eigvals(hess))
    for eigenvalue in eigenvalues:
        if eigenvalue > tol:
            num_positive += 1
        elif eigenvalue < -tol:
            num_negative += 1
    if num_positive and num_negative:
        return "saddle"
    if num_positive == len(eigenvalues):
        return "minimum"
    if num_negative == len(eigenvalues):
        return "maximum"
    return "inconclusive"


def classify_critical_point__extremes_first(hess, tol=1e-8):
    """Decides from the smallest and largest eigenvalue only, minimum and maximum checked first."""
    eigenvalues = np.linalg.eigvalsh(hess)
    smallest, largest = eigenvalues[0], eigenvalues[-1]
    if smallest > tol:
        return "minimum"
    if largest < -tol:
        return "maximum"
    if smallest < -tol and largest > tol:
        return "saddle"
    return "inconclusive"


def classify_critical_point__numpy_string(hess, tol=1e-8):
    """Picks the label from a NumPy array of strings (returns a numpy.str_); prints the eigenvalues."""
    eigenvalues = np.linalg.eigvalsh(hess)
    print("eigenvalues:", eigenvalues)
    labels = np.array(["inconclusive", "minimum", "maximum", "saddle"])
    positive, negative = bool(np.any(eigenvalues > tol)), bool(np.any(eigenvalues < -tol))
    if positive and negative:
        return labels[3]
    if np.all(eigenvalues > tol):
        return labels[1]
    if np.all(eigenvalues < -tol):
        return labels[2]
    return labels[0]


# ----------------------------------------------------------------------------- gd_steps_to_tolerance


def gd_steps_to_tolerance__textbook_formula(kappa, tol):
    """ceil(log(tol) / log(q)) exactly as the problem states it, np.log of the rounded q, no guard."""
    if tol >= 1:
        return 0
    if kappa == 1:
        return 1
    q = (kappa - 1) / (kappa + 1)
    return int(np.ceil(np.log(tol) / np.log(q)))


def gd_steps_to_tolerance__plain_log_with_guard(kappa, tol):
    """math.log of the rounded q (no log1p), then the neighbours of the ceiling checked."""
    import math

    if tol >= 1:
        return 0
    if kappa == 1:
        return 1
    q = (kappa - 1) / (kappa + 1)
    k = math.ceil(math.log(tol) / math.log(q))
    if k > 1 and q ** (k - 1) <= tol:
        k -= 1
    elif q**k > tol:
        k += 1
    return k


def gd_steps_to_tolerance__doubling_search(kappa, tol):
    """No division of logarithms: doubling then bisection on k * log(q) <= log(tol), a NumPy integer."""
    if tol >= 1.0:
        return np.int64(0)
    if kappa == 1.0:
        return np.int64(1)
    log_q = np.log1p(-2.0 / (kappa + 1.0))
    log_tol = np.log(tol)
    high = 1
    while high * log_q > log_tol:
        high *= 2
    low = high // 2  # low * log_q > log_tol, or low = 0
    while high - low > 1:
        middle = (low + high) // 2
        if middle * log_q <= log_tol:
            high = middle
        else:
            low = middle
    return np.int64(high)


def gd_steps_to_tolerance__log_ratio_warns(kappa, tol):
    """ceil(log(tol) / log(q)) with no special case for kappa = 1: log(0) warns, q = 0 handled after."""
    if tol >= 1.0:
        return 0
    q = (kappa - 1.0) / (kappa + 1.0)
    k = np.log(tol) / np.log(q)  # RuntimeWarning: divide by zero in log when q = 0
    if q == 0.0:
        return 1
    k = int(np.ceil(k))
    if k > 1 and q ** (k - 1) <= tol:
        return k - 1
    if q**k > tol:
        return k + 1
    return k


# ----------------------------------------------------------------------------- taylor_gd_step


def taylor_gd_step__step_vector(value, grad, hess, lr):
    """Writes the step s = -lr g and evaluates value + g^T s + 1/2 s^T H s (another order of operations)."""
    step = -lr * grad
    return value + grad @ step + 0.5 * step @ hess @ step


def taylor_gd_step__loops(value, grad, hess, lr):
    """Python loops over the entries, Python floats throughout."""
    d = len(grad)
    first = sum(float(g) * float(g) for g in grad)
    second = 0.0
    for i in range(d):
        row = 0.0
        for j in range(d):
            row += float(hess[i][j]) * float(grad[j])
        second += float(grad[i]) * row
    return value - lr * first + lr * lr * second / 2


def taylor_gd_step__zero_d_array_prints(value, grad, hess, lr):
    """np.dot and np.linalg.multi_dot, the result a 0-d array; prints the two terms."""
    decrease = lr * np.dot(grad, grad)
    penalty = 0.5 * lr**2 * np.linalg.multi_dot([grad, hess, grad])
    print(f"first-order decrease {decrease:.3g}, curvature penalty {penalty:.3g}")
    return np.asarray(value - decrease + penalty)
