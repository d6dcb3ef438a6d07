"""Input preprocessing: standardization and whitening, fitted on the training set only.

Both transforms are affine, ``z = (x - mu) W``, with the mean ``mu`` and the matrix ``W``
estimated from the training inputs and then applied unchanged to any other inputs
(validation, test, new data), so that no statistic of held-back data leaks into training.
Covariances and standard deviations are population ones, divided by ``N`` (numpy's
default ``ddof=0``), so that the transformed training set has exactly unit variances
(standardization) or the identity covariance (whitening). LeCun et al. (1998), "Efficient
BackProp", recommend both: centred inputs of equal variance make the Hessian of a linear
model better conditioned, and decorrelated ones make it the identity.
"""

import numpy as np

from course_opt._checks import as_matrix


def standardize(X_train, X_other):
    """Standardize each input feature with the training statistics (book: eq-standardize):

    ``z_j = (x_j - mu_j) / sigma_j`` with ``mu_j`` and ``sigma_j`` the mean and the
    population standard deviation of column ``j`` of ``X_train``.

    ``X_train`` has shape ``(N, d)`` with ``N >= 2``, ``X_other`` shape ``(M, d)``. Returns
    ``(Z_train, Z_other)``, new arrays; a constant training column cannot be scaled and is
    refused.
    """
    X_train, X_other = _inputs(X_train, X_other)
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    constant = np.flatnonzero((std == 0.0) | (std <= 1e-12 * np.abs(mean)))
    if constant.size:
        raise ValueError(f"column {constant[0]} of X_train is constant: its standard deviation is 0")
    return (X_train - mean) / std, (X_other - mean) / std


def whiten(X_train, X_other):
    """ZCA-whiten the inputs with the training statistics (book: eq-whiten):

    ``z = Sigma^{-1/2} (x - mu)``, with ``mu`` the mean and ``Sigma`` the population
    covariance ``(X - mu)^T (X - mu) / N`` of ``X_train``, and ``Sigma^{-1/2} = U
    Lambda^{-1/2} U^T`` from its eigendecomposition ``Sigma = U Lambda U^T``. The whitened
    training set has mean 0 and covariance ``I``. Of all whitening matrices this symmetric
    one (zero-phase component analysis, Bell & Sejnowski, 1997) moves the data least
    (Kessy et al., 2018); PCA whitening, ``Lambda^{-1/2} U^T``, differs from it by a
    rotation.

    ``X_train`` has shape ``(N, d)`` with ``N > d``, ``X_other`` shape ``(M, d)``. Returns
    ``(Z_train, Z_other)``, new arrays; a singular training covariance (collinear or
    constant features) is refused.
    """
    X_train, X_other = _inputs(X_train, X_other)
    mean = X_train.mean(axis=0)
    centred = X_train - mean
    cov = centred.T @ centred / X_train.shape[0]
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    if eigenvalues[0] <= 1e-12 * max(eigenvalues[-1], 1e-300):
        raise ValueError("the covariance of X_train is singular (collinear or constant features): "
                         "it cannot be whitened")
    inv_sqrt = (eigenvectors / np.sqrt(eigenvalues)) @ eigenvectors.T
    return centred @ inv_sqrt, (X_other - mean) @ inv_sqrt


def _inputs(X_train, X_other):
    X_train, X_other = as_matrix(X_train, "X_train"), as_matrix(X_other, "X_other")
    if X_train.shape[0] < 2:
        raise ValueError(f"X_train needs at least 2 rows to estimate a spread, got {X_train.shape[0]}")
    if X_other.shape[1] != X_train.shape[1]:
        raise ValueError(f"X_other must have {X_train.shape[1]} columns like X_train, got {X_other.shape[1]}")
    return X_train, X_other
