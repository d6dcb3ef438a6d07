"""Correct solutions of the problem set `learning`, written differently from course_opt.

Each entry is a complete function named `<function>__<how it differs>`; the bank harness
(tests/banks.py) puts it in place of the instructor's `<function>` and checks that it earns
full marks on every autograded part. An `empirical_risk` entry may call the instructor's
`zero_one_loss` and `cross_entropy_loss`.
"""
import numpy as np

# ----------------------------------------------------------------------------- the 0/1 loss


def zero_one_loss__boolean_array(z, y):
    """Returns a boolean array, prediction != label, which the contract accepts."""
    return (z > 0) != (y == 1.0)


def zero_one_loss__loop_with_print(z, y):
    """A Python loop over the samples building a list of floats, converted to an array; prints the count."""
    losses = []
    for z_i, y_i in zip(z, y):
        prediction = 1.0 if z_i > 0 else 0.0
        losses.append(0.0 if prediction == y_i else 1.0)
    print(f"{int(sum(losses))} mistakes in {len(losses)}")
    return np.array(losses)


def zero_one_loss__where_integer(z, y):
    """np.where(z > 0, 1 - y, y) as an integer array: the loss is 1 - y for prediction 1 and y for prediction 0."""
    return np.where(z > 0, 1 - y, y).astype(int)


# ----------------------------------------------------------------------------- the cross-entropy


def cross_entropy_loss__logaddexp_margin(z, y):
    """log(1 + e^(-m z)) with the margin sign m = 2y - 1, written with np.logaddexp."""
    margin = (2.0 * y - 1.0) * z
    return np.logaddexp(0.0, -margin)


def cross_entropy_loss__where_with_overflow_warning(z, y):
    """Evaluates both branches of np.where, so exp overflows (a numpy RuntimeWarning) on the branch not taken."""
    with np.errstate(over="warn"):
        softplus = np.where(z > 0, z + np.log1p(np.exp(-z)), np.log1p(np.exp(z)))
    return softplus - y * z


def cross_entropy_loss__loop_math(z, y):
    """A Python loop with math.log1p and math.exp on the branch that cannot overflow."""
    import math

    losses = np.empty(len(z))
    for i in range(len(z)):
        if z[i] > 0:
            losses[i] = z[i] + math.log1p(math.exp(-z[i])) - y[i] * z[i]
        else:
            losses[i] = math.log1p(math.exp(z[i])) - y[i] * z[i]
    return losses


def cross_entropy_loss__log_not_log1p(z, y):
    """np.log(1 + exp(-|z|)) instead of log1p: less accurate for large |z|, but well inside the tolerance."""
    return np.maximum(z, 0.0) - y * z + np.log(1.0 + np.exp(-np.abs(z)))


def cross_entropy_loss__by_label(z, y):
    """Chooses the branch by label: log(1 + e^(-z)) for y = 1 and log(1 + e^z) for y = 0."""
    positive = np.maximum(-z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    negative = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    return np.where(y == 1.0, positive, negative)


def cross_entropy_loss__threshold_700(z, y):
    """Takes log(1 + e^z) as z above z = 700, where they differ by e^-700, and log1p(exp(z)) below."""
    safe = np.minimum(z, 700.0)  # exp never overflows
    return np.where(z > 700.0, z, np.log1p(np.exp(safe))) - y * z


# ----------------------------------------------------------------------------- the empirical risk


def empirical_risk__loop_over_samples(w, b, X, y, loss="zero_one"):
    """Loops over the samples, computing each score with a dot product and summing Python floats."""
    if loss == "zero_one":
        function = zero_one_loss
    elif loss == "cross_entropy":
        function = cross_entropy_loss
    else:
        raise ValueError("loss must be 'zero_one' or 'cross_entropy', got " + repr(loss))
    total = 0.0
    for x_i, y_i in zip(X, y):
        score = float(np.dot(x_i, w)) + b
        total += float(function(np.array([score]), np.array([y_i]))[0])
    return total / len(y)


def empirical_risk__dict_checked_numpy_scalar(w, b, X, y, loss="zero_one"):
    """Looks the loss up in a dict after checking the name, and returns a NumPy float64."""
    losses = {"zero_one": zero_one_loss, "cross_entropy": cross_entropy_loss}
    if loss not in losses:
        raise ValueError(f"unknown loss {loss!r}")
    scores = np.dot(X, w) + b
    return np.mean(losses[loss](scores, y))


def empirical_risk__zero_d_array_and_print(w, b, X, y, loss="zero_one"):
    """Counts mistakes with count_nonzero for the 0/1 risk, returns a 0-d array, and prints the risk."""
    scores = np.einsum("ij,j->i", X, w) + b
    if loss == "zero_one":
        risk = np.array(np.count_nonzero(zero_one_loss(scores, y)) / len(y))
    elif loss == "cross_entropy":
        risk = np.array(cross_entropy_loss(scores, y).sum() / len(y))
    else:
        raise ValueError(f"loss {loss!r} is not 'zero_one' or 'cross_entropy'")
    print(f"empirical {loss} risk: {float(risk):.4f}")
    return risk
