"""Wrong solutions of the problem set `learning`: mistakes students really make.

Each entry is a complete function named `<function>__<mistake>`; the bank harness
(tests/banks.py) puts it in place of the instructor's `<function>` and checks that it loses
the points of the test cells that TESTS names for that function. An `empirical_risk` entry
may call the instructor's `zero_one_loss` and `cross_entropy_loss`.
"""
import numpy as np

TESTS = {
    "zero_one_loss": ["test_zero_one_loss"],
    "cross_entropy_loss": ["test_cross_entropy_loss"],
    "empirical_risk": ["test_empirical_risk_zero_one", "test_empirical_risk_cross_entropy"],
}


# ----------------------------------------------------------------------------- the 0/1 loss


def zero_one_loss__tie_predicts_one(z, y):
    """Predicts class 1 for a score of exactly 0 (z >= 0 instead of z > 0)."""
    return ((z >= 0).astype(float) != y).astype(float)


def zero_one_loss__rounded_sigmoid(z, y):
    """Predicts with the rounded probability sigmoid(z) > 0.5, which is 0.5 for tiny positive scores."""
    probability = 1.0 / (1.0 + np.exp(-z))
    return ((probability > 0.5).astype(float) != y).astype(float)


def zero_one_loss__sign_against_labels(z, y):
    """Compares np.sign(z) with 2y - 1: a score of 0 (sign 0) is then a mistake for either label."""
    return (np.sign(z) != 2.0 * y - 1.0).astype(float)


def zero_one_loss__margin_nonpositive(z, y):
    """Counts a mistake where the margin (2y - 1) z is <= 0, so a score of 0 is wrong for y = 0 too."""
    return ((2.0 * y - 1.0) * z <= 0).astype(float)


def zero_one_loss__returns_error_rate(z, y):
    """Returns the mean of the losses (one number) instead of the array of losses."""
    return np.mean((z > 0).astype(float) != y)


def zero_one_loss__thresholds_in_place(z, y):
    """Turns z into the predictions in place (z[z > 0] = 1, z[z <= 0] = 0): the caller's scores change."""
    z[z <= 0] = 0.0
    z[z > 0] = 1.0
    return (z != y).astype(float)


def zero_one_loss__rounds_scores(z, y):
    """Predicts np.round(z) clipped to [0, 1], which is 0 for every score up to 0.5."""
    predictions = np.clip(np.round(z), 0.0, 1.0)
    return (predictions != y).astype(float)


def zero_one_loss__squeezed(z, y):
    """Squeezes the result, so that one score gives a 0-d array instead of shape (1,): right for N >= 2 only."""
    return np.squeeze((z > 0) != (y == 1)).astype(float)


# ----------------------------------------------------------------------------- the cross-entropy


def cross_entropy_loss__naive_overflow(z, y):
    """Evaluates log(1 + exp(z)) directly, which overflows to inf for z > 709.78."""
    return np.log(1.0 + np.exp(z)) - y * z


def cross_entropy_loss__clipped_probabilities(z, y):
    """Uses the form with sigmoid, clipping the probability to [1e-15, 1 - 1e-15]: caps the loss near 34.5."""
    p = np.clip(1.0 / (1.0 + np.exp(-z)), 1e-15, 1.0 - 1e-15)
    return -y * np.log(p) - (1.0 - y) * np.log(1.0 - p)


def cross_entropy_loss__log_base_2(z, y):
    """Measures the loss in bits (log base 2) instead of nats."""
    return (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / np.log(2.0) - y * z / np.log(2.0)


def cross_entropy_loss__forgets_max(z, y):
    """Writes the stable form without its max(z, 0) term: log1p(exp(-|z|)) - y z."""
    return np.log1p(np.exp(-np.abs(z))) - y * z


def cross_entropy_loss__softplus_threshold_20(z, y):
    """Replaces log(1 + e^z) by z above z = 20 (the softplus threshold of PyTorch), off by up to 2e-9."""
    with np.errstate(over="ignore"):
        softplus = np.where(z > 20.0, z, np.log1p(np.exp(z)))
    return softplus - y * z


def cross_entropy_loss__labels_swapped(z, y):
    """Subtracts (1 - y) z instead of y z: the loss of the other label."""
    return np.logaddexp(0.0, z) - (1.0 - y) * z


def cross_entropy_loss__clips_in_place(z, y):
    """Computes max(z, 0) in place (z[z < 0] = 0): right values, but the caller's scores change."""
    yz = y * z
    tail = np.log1p(np.exp(-np.abs(z)))
    z[z < 0] = 0.0
    return z + tail - yz


def cross_entropy_loss__float32(z, y):
    """Computes in single precision (float32), whose rounding of 1e-7 is far outside the tolerance."""
    z32, y32 = z.astype(np.float32), y.astype(np.float32)
    return np.logaddexp(np.float32(0.0), z32) - y32 * z32


# ----------------------------------------------------------------------------- the empirical risk


def empirical_risk__sum_not_mean(w, b, X, y, loss="zero_one"):
    """Returns the sum of the losses instead of their mean."""
    if loss == "zero_one":
        return float(np.sum(zero_one_loss(X @ w + b, y)))
    if loss == "cross_entropy":
        return float(np.sum(cross_entropy_loss(X @ w + b, y)))
    raise ValueError(f"unknown loss {loss!r}")


def empirical_risk__dict_key_error(w, b, X, y, loss="zero_one"):
    """Looks the loss up in a dict, so an unknown name raises KeyError instead of ValueError."""
    losses = {"zero_one": zero_one_loss, "cross_entropy": cross_entropy_loss}
    return float(np.mean(losses[loss](X @ w + b, y)))


def empirical_risk__unknown_is_cross_entropy(w, b, X, y, loss="zero_one"):
    """Treats every name other than 'zero_one' as the cross-entropy: no ValueError."""
    function = zero_one_loss if loss == "zero_one" else cross_entropy_loss
    return float(np.mean(function(X @ w + b, y)))


def empirical_risk__bias_subtracted(w, b, X, y, loss="zero_one"):
    """Computes the scores as X w - b."""
    if loss not in ("zero_one", "cross_entropy"):
        raise ValueError(f"unknown loss {loss!r}")
    function = zero_one_loss if loss == "zero_one" else cross_entropy_loss
    return float(np.mean(function(X @ w - b, y)))


def empirical_risk__column_weights(w, b, X, y, loss="zero_one"):
    """Makes w a column, so that the scores have shape (N, 1) and broadcast against y into an N x N table."""
    if loss not in ("zero_one", "cross_entropy"):
        raise ValueError(f"unknown loss {loss!r}")
    function = zero_one_loss if loss == "zero_one" else cross_entropy_loss
    scores = X @ w.reshape(-1, 1) + b
    return float(np.mean(function(scores, y)))


def empirical_risk__keeps_shape_1(w, b, X, y, loss="zero_one"):
    """Returns the mean as an array of shape (1,) instead of a single number."""
    if loss not in ("zero_one", "cross_entropy"):
        raise ValueError(f"unknown loss {loss!r}")
    function = zero_one_loss if loss == "zero_one" else cross_entropy_loss
    return np.mean(function(X @ w + b, y), keepdims=True).reshape(1)


def empirical_risk__naive_cross_entropy(w, b, X, y, loss="zero_one"):
    """Writes the cross-entropy inline as log(1 + exp(z)) - y z, which overflows for large scores."""
    z = X @ w + b
    if loss == "zero_one":
        return float(np.mean(zero_one_loss(z, y)))
    if loss == "cross_entropy":
        return float(np.mean(np.log(1.0 + np.exp(z)) - y * z))
    raise ValueError(f"unknown loss {loss!r}")


def empirical_risk__tie_inline(w, b, X, y, loss="zero_one"):
    """Writes the 0/1 risk inline with z >= 0, so a score of exactly 0 predicts class 1."""
    z = X @ w + b
    if loss == "zero_one":
        return float(np.mean((z >= 0) != (y == 1)))
    if loss == "cross_entropy":
        return float(np.mean(cross_entropy_loss(z, y)))
    raise ValueError(f"unknown loss {loss!r}")


def empirical_risk__labels_to_signs_in_place(w, b, X, y, loss="zero_one"):
    """Turns the labels into -1/+1 in place (y[y == 0] = -1) for the margin form: the caller's y changes."""
    if loss not in ("zero_one", "cross_entropy"):
        raise ValueError(f"unknown loss {loss!r}")
    z = X @ w + b
    if loss == "zero_one":
        return float(np.mean(zero_one_loss(z, y)))
    y[y == 0] = -1.0
    return float(np.mean(np.logaddexp(0.0, -y * z)))


def empirical_risk__ignores_loss(w, b, X, y, loss="zero_one"):
    """Checks the name but always returns the 0/1 risk."""
    if loss not in ("zero_one", "cross_entropy"):
        raise ValueError(f"unknown loss {loss!r}")
    return float(np.mean(zero_one_loss(X @ w + b, y)))


def empirical_risk__per_feature_bias(w, b, X, y, loss="zero_one"):
    """Adds b to every input before the product, (X + b) w, which is right only when w sums to 1 or b = 0."""
    if loss not in ("zero_one", "cross_entropy"):
        raise ValueError(f"unknown loss {loss!r}")
    function = zero_one_loss if loss == "zero_one" else cross_entropy_loss
    return float(np.mean(function((X + b) @ w, y)))


def empirical_risk__divides_by_dimension(w, b, X, y, loss="zero_one"):
    """Divides the sum of the losses by X.shape[1], the dimension d, instead of the sample size N."""
    if loss not in ("zero_one", "cross_entropy"):
        raise ValueError(f"unknown loss {loss!r}")
    function = zero_one_loss if loss == "zero_one" else cross_entropy_loss
    return float(np.sum(function(X @ w + b, y)) / X.shape[1])


def empirical_risk__squeezes_w(w, b, X, y, loss="zero_one"):
    """Squeezes w, so that for d = 1 the scores np.dot(X, w) have shape (N, 1): right for d >= 2 only."""
    if loss not in ("zero_one", "cross_entropy"):
        raise ValueError(f"unknown loss {loss!r}")
    function = zero_one_loss if loss == "zero_one" else cross_entropy_loss
    return float(np.mean(function(np.dot(X, np.squeeze(w)) + b, y)))
