"""Correct solutions of the problem set 'comparison', written differently from course_opt.

Each entry replaces the instructor's definition of its function and must earn full marks on
every autograded part (see tests/banks.py).
"""

import numpy as np


# ----------------------------------------------------------------------------- beale_grad


def beale_grad__loop_with_python_floats(theta):
    """A Python loop over the three residuals, returning a list of two Python floats."""
    x, y = theta[0], theta[1]
    d_dx = d_dy = 0.0
    for i, c in ((1, 1.5), (2, 2.25), (3, 2.625)):
        residual = c - x + x * y**i
        d_dx += 2 * residual * (y**i - 1)
        d_dy += 2 * residual * i * x * y ** (i - 1)
    return [float(d_dx), float(d_dy)]


def beale_grad__expanded_by_hand(theta):
    """Each residual and derivative written out term by term, returned as a tuple."""
    x, y = float(theta[0]), float(theta[1])
    r1 = 1.5 - x * (1.0 - y)
    r2 = 2.25 - x * (1.0 - y * y)
    r3 = 2.625 - x * (1.0 - y * y * y)
    g_x = -2.0 * (r1 * (1.0 - y) + r2 * (1.0 - y * y) + r3 * (1.0 - y * y * y))
    g_y = 2.0 * x * (r1 + 2.0 * y * r2 + 3.0 * y * y * r3)
    return (g_x, g_y)


def beale_grad__divides_by_y_and_warns(theta):
    """Writes i y^(i-1) as i y^i / y and patches y = 0 with np.where: correct, but NumPy warns
    (divide by zero, invalid value) at y = 0, and it prints the point."""
    x, y = np.float64(theta[0]), np.float64(theta[1])
    print("beale_grad at", (float(x), float(y)))
    powers = np.array([1.0, 2.0, 3.0])
    residuals = np.array([1.5, 2.25, 2.625]) - x + x * y**powers
    lowered = np.where(y != 0.0, y**powers / y, (powers == 1.0).astype(float))
    return 2.0 * np.array([np.sum(residuals * (y**powers - 1.0)), np.sum(residuals * powers * x * lowered)])


# ----------------------------------------------------------------------------- standardize


def standardize__loops_over_columns(X_train, X_val):
    """Python loops over columns and rows for the mean and the variance; returns nested lists."""
    X_train = [[float(v) for v in row] for row in X_train]
    X_val = [[float(v) for v in row] for row in X_val]
    n, d = len(X_train), len(X_train[0])
    means = [sum(row[j] for row in X_train) / n for j in range(d)]
    stds = [(sum((row[j] - means[j]) ** 2 for row in X_train) / n) ** 0.5 for j in range(d)]
    Z_train = [[(row[j] - means[j]) / stds[j] for j in range(d)] for row in X_train]
    Z_val = [[(row[j] - means[j]) / stds[j] for j in range(d)] for row in X_val]
    return Z_train, Z_val


def standardize__sample_std_rescaled(X_train, X_val):
    """Computes the sample std (ddof=1) and rescales it by sqrt((N - 1) / N) to the population one."""
    X_train, X_val = np.array(X_train, dtype=float), np.array(X_val, dtype=float)
    n = X_train.shape[0]
    mean = np.sum(X_train, axis=0) / n
    std = np.std(X_train, axis=0, ddof=1) * np.sqrt((n - 1) / n)
    scale = 1.0 / std
    return (X_train - mean) * scale, (X_val - mean) * scale


def standardize__prints_and_returns_a_list(X_train, X_val):
    """Prints the training statistics and returns [Z_train, Z_val] as a list."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean = X_train.mean(axis=0)
    std = np.sqrt(((X_train - mean) ** 2).mean(axis=0))
    print("training mean", mean, "and std", std)
    return [(X_train - mean) / std, (X_val - mean) / std]


# ----------------------------------------------------------------------------- whiten


def whiten__singular_value_decomposition(X_train, X_val):
    """Takes Sigma^(-1/2) from the SVD of the centred data, centred = U S V^T, Sigma = V S^2 V^T / N."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean = X_train.mean(axis=0)
    centred = X_train - mean
    _, singular_values, vt = np.linalg.svd(centred, full_matrices=False)
    W = vt.T @ np.diag(np.sqrt(len(X_train)) / singular_values) @ vt
    return centred @ W, (X_val - mean) @ W


def whiten__loops_over_examples(X_train, X_val):
    """The covariance as a sum of outer products over a Python loop, each row transformed on its own."""
    X_train, X_val = np.array(X_train, dtype=float), np.array(X_val, dtype=float)
    n, d = X_train.shape
    mean = np.zeros(d)
    for row in X_train:
        mean += row / n
    cov = np.zeros((d, d))
    for row in X_train:
        cov += np.outer(row - mean, row - mean)
    cov /= n
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    W = sum(np.outer(eigenvectors[:, k], eigenvectors[:, k]) / np.sqrt(eigenvalues[k]) for k in range(d))
    return [W @ (row - mean) for row in X_train], [W @ (row - mean) for row in X_val]


def whiten__prints_eigenvalues_returns_list(X_train, X_val):
    """Prints the covariance's eigenvalues and returns [Z_train, Z_val] as a list; W applied as (W (x - mu)^T)^T."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean = X_train.mean(axis=0)
    cov = np.cov(X_train, rowvar=False, bias=True).reshape(X_train.shape[1], -1)
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    print("eigenvalues of the training covariance:", eigenvalues)
    W = (eigenvectors * eigenvalues**-0.5) @ eigenvectors.T
    return [(W @ (X_train - mean).T).T, (W @ (X_val - mean).T).T]


# ----------------------------------------------------------------------------- early_stopping


def early_stopping__definition_by_windows(val_losses, patience):
    """Stops at the first epoch whose last `patience` losses all fail to beat the best before them."""
    losses = list(val_losses)
    stop = len(losses) - 1
    for epoch in range(patience, len(losses)):
        if min(losses[epoch - patience + 1 : epoch + 1]) >= min(losses[: epoch - patience + 1]):
            stop = epoch
            break
    kept = losses[: stop + 1]
    return kept.index(min(kept)), stop


def early_stopping__running_minimum(val_losses, patience):
    """Marks improvements with np.minimum.accumulate and returns NumPy integers."""
    losses = np.asarray(val_losses, dtype=float)
    best_before = np.minimum.accumulate(losses)[:-1]
    improved = np.concatenate([[True], losses[1:] < best_before])
    last_improvement = np.maximum.accumulate(np.where(improved, np.arange(losses.size), 0))
    waited = np.arange(losses.size) - last_improvement
    stops = np.flatnonzero(waited >= patience)
    stop = stops[0] if stops.size else np.int64(losses.size - 1)
    return last_improvement[stop], stop


def early_stopping__prints_progress(val_losses, patience):
    """Prints every epoch's decision and returns [best, stop] as a list."""
    best_loss, best, waited = val_losses[0], 0, 0
    for epoch, loss in enumerate(val_losses):
        if epoch == 0:
            continue
        if loss < best_loss:
            best_loss, best, waited = loss, epoch, 0
            print(f"epoch {epoch}: new best {loss}")
        else:
            waited += 1
            print(f"epoch {epoch}: no improvement for {waited} epoch(s)")
            if waited >= patience:
                return [best, epoch]
    return [best, len(val_losses) - 1]
