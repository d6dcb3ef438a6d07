"""Wrong solutions of the problem set 'comparison': mistakes students really make.

Each entry replaces the instructor's definition of its function and must lose the points of
the test cells that TESTS names for that function (see tests/banks.py).
"""

import numpy as np

TESTS = {
    "beale_grad": ["test_beale"],
    "standardize": ["test_standardize"],
    "whiten": ["test_whiten"],
    "early_stopping": ["test_early_stopping"],
}


# ----------------------------------------------------------------------------- beale_grad


def beale_grad__no_factor_two(theta):
    """Forgets the factor 2 of the chain rule: d(r^2) = r dr instead of 2 r dr."""
    x, y = float(theta[0]), float(theta[1])
    powers = np.arange(1, 4)
    residuals = np.array([1.5, 2.25, 2.625]) - x + x * y**powers
    return np.array([residuals @ (y**powers - 1.0), residuals @ (powers * x * y ** (powers - 1))])


def beale_grad__y_derivative_without_x(theta):
    """Differentiates x y^i with respect to y as i y^(i-1), dropping the factor x."""
    x, y = float(theta[0]), float(theta[1])
    powers = np.arange(1, 4)
    residuals = np.array([1.5, 2.25, 2.625]) - x + x * y**powers
    return np.array([2.0 * residuals @ (y**powers - 1.0), 2.0 * residuals @ (powers * y ** (powers - 1))])


def beale_grad__x_derivative_without_minus_one(theta):
    """Differentiates c_i - x + x y^i with respect to x as y^i, dropping the -1."""
    x, y = float(theta[0]), float(theta[1])
    powers = np.arange(1, 4)
    residuals = np.array([1.5, 2.25, 2.625]) - x + x * y**powers
    return np.array([2.0 * residuals @ y**powers, 2.0 * residuals @ (powers * x * y ** (powers - 1))])


def beale_grad__powers_from_zero(theta):
    """Uses np.arange(3) for the powers, so the residuals hold y^0, y^1, y^2 instead of y^1, y^2, y^3."""
    x, y = float(theta[0]), float(theta[1])
    powers = np.arange(3)
    residuals = np.array([1.5, 2.25, 2.625]) - x + x * y**powers
    d_dy = powers * x * y ** np.maximum(powers - 1, 0)
    return np.array([2.0 * residuals @ (y**powers - 1.0), 2.0 * residuals @ d_dy])


def beale_grad__right_only_at_the_visible_points(theta):
    """Returns the two values the visible test checks and a one-residual formula elsewhere."""
    x, y = float(theta[0]), float(theta[1])
    if (x, y) == (1.0, 1.0):
        return np.array([0.0, 27.75])
    if (x, y) == (3.0, 0.5):
        return np.zeros(2)
    r = 1.5 - x + x * y
    return np.array([2.0 * r * (y - 1.0), 2.0 * r * x])


# ----------------------------------------------------------------------------- standardize


def standardize__validation_statistics(X_train, X_val):
    """Standardizes the validation data with their own mean and std instead of the training ones."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    Z_train = (X_train - X_train.mean(axis=0)) / X_train.std(axis=0)
    std_val = X_val.std(axis=0)
    std_val = np.where(std_val > 0, std_val, X_train.std(axis=0))  # a single validation row has std 0
    return Z_train, (X_val - X_val.mean(axis=0)) / std_val


def standardize__sample_std(X_train, X_val):
    """Divides by the sample standard deviation (ddof=1) where the population one is asked for."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0, ddof=1)
    return (X_train - mean) / std, (X_val - mean) / std


def standardize__rows_instead_of_columns(X_train, X_val):
    """Standardizes every example (row) instead of every feature (column)."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean, std = X_train.mean(axis=1, keepdims=True), X_train.std(axis=1, keepdims=True)
    std = np.where(std > 0, std, 1.0)
    val_mean, val_std = X_val.mean(axis=1, keepdims=True), X_val.std(axis=1, keepdims=True)
    return (X_train - mean) / std, (X_val - val_mean) / np.where(val_std > 0, val_std, 1.0)


def standardize__in_place(X_train, X_val):
    """Right values, but subtracts and divides in place: the caller's arrays are overwritten."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    X_train -= mean
    X_train /= std
    X_val -= mean
    X_val /= std
    return X_train, X_val


def standardize__statistics_of_all_data(X_train, X_val):
    """Takes the mean and std of training and validation data together, leaking the validation set."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    both = np.vstack([X_train, X_val])
    mean, std = both.mean(axis=0), both.std(axis=0)
    return (X_train - mean) / std, (X_val - mean) / std


# ----------------------------------------------------------------------------- whiten


def whiten__pca_rotation(X_train, X_val):
    """PCA whitening, Lambda^(-1/2) U^T (x - mu): identity covariance, but rotated away from ZCA."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean = X_train.mean(axis=0)
    centred = X_train - mean
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred / len(X_train))
    W = eigenvectors / np.sqrt(eigenvalues)
    return centred @ W, (X_val - mean) @ W


def whiten__sample_covariance(X_train, X_val):
    """Uses np.cov, which divides by N - 1, where the population covariance is asked for."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean = X_train.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.atleast_2d(np.cov(X_train, rowvar=False)))
    W = eigenvectors @ np.diag(1.0 / np.sqrt(eigenvalues)) @ eigenvectors.T
    return (X_train - mean) @ W, (X_val - mean) @ W


def whiten__uncentred_second_moment(X_train, X_val):
    """Centres the data but takes X^T X / N of the uncentred data as the covariance."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean = X_train.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(X_train.T @ X_train / len(X_train))
    W = eigenvectors @ np.diag(1.0 / np.sqrt(eigenvalues)) @ eigenvectors.T
    return (X_train - mean) @ W, (X_val - mean) @ W


def whiten__inverse_instead_of_inverse_sqrt(X_train, X_val):
    """Multiplies by Sigma^(-1) = U Lambda^(-1) U^T instead of Sigma^(-1/2)."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean = X_train.mean(axis=0)
    centred = X_train - mean
    W = np.linalg.inv(centred.T @ centred / len(X_train))
    return centred @ W, (X_val - mean) @ W


def whiten__validation_statistics(X_train, X_val):
    """Whitens the validation data with their own mean and covariance (falls back to the
    training ones when there are too few validation rows)."""
    def zca(X):
        mean = X.mean(axis=0)
        eigenvalues, eigenvectors = np.linalg.eigh((X - mean).T @ (X - mean) / len(X))
        return mean, eigenvectors @ np.diag(1.0 / np.sqrt(eigenvalues)) @ eigenvectors.T

    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean, W = zca(X_train)
    val_mean, val_W = zca(X_val) if len(X_val) > X_val.shape[1] else (mean, W)
    return (X_train - mean) @ W, (X_val - val_mean) @ val_W


def whiten__standardizes_only(X_train, X_val):
    """Divides each centred column by its standard deviation: unit variances, correlations kept."""
    X_train, X_val = np.asarray(X_train, dtype=float), np.asarray(X_val, dtype=float)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / std, (X_val - mean) / std


# ----------------------------------------------------------------------------- early_stopping


def early_stopping__patience_off_by_one(val_losses, patience):
    """Stops only after patience + 1 epochs without an improvement (waited > patience)."""
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best, waited = epoch, 0
        else:
            waited += 1
            if waited > patience:
                return best, epoch
    return best, len(val_losses) - 1


def early_stopping__ties_count_as_improvement(val_losses, patience):
    """Counts a tie with the best loss as an improvement (<=), moving best and resetting the count."""
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] <= val_losses[best]:
            best, waited = epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best, epoch
    return best, len(val_losses) - 1


def early_stopping__best_of_the_whole_curve(val_losses, patience):
    """Finds the stopping epoch correctly but keeps the best epoch of the whole curve, even after the stop."""
    best, waited, stop = 0, 0, len(val_losses) - 1
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best, waited = epoch, 0
        else:
            waited += 1
            if waited == patience:
                stop = epoch
                break
    return int(np.argmin(val_losses)), stop


def early_stopping__compares_with_previous_epoch(val_losses, patience):
    """Counts an epoch as an improvement when it beats the previous epoch, not the best so far."""
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[epoch - 1]:
            waited = 0
            if val_losses[epoch] < val_losses[best]:
                best = epoch
        else:
            waited += 1
            if waited == patience:
                return best, epoch
    return best, len(val_losses) - 1


def early_stopping__stop_is_the_length(val_losses, patience):
    """Returns len(val_losses) instead of the last epoch len(val_losses) - 1 when training never stops early."""
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best, waited = epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best, epoch
    return best, len(val_losses)
