"""Objectives: a cost ``C(theta)`` with its gradient, Hessian and Hessian-vector product.

Every derivative is derived by automatic differentiation (autograd) from one value
function, so a new objective is one line of ``autograd.numpy`` and its derivatives can
never disagree with it.
"""

import autograd
import autograd.numpy as anp
import numpy as np

from course_opt._checks import as_matrix, as_scalar, as_symmetric, as_vector


class Objective:
    """A differentiable cost ``C: R^d -> R``.

    Parameters
    ----------
    value : callable
        ``value(theta) -> scalar``, written with ``autograd.numpy`` so that it can be
        differentiated.
    dim : int
        The number ``d`` of parameters.
    name : str
        A label for plots and messages.
    minimizer : array_like, optional
        The known global minimizer ``theta*``, when there is a closed form.

    Attributes ``value``, ``grad``, ``hess`` and ``hvp`` evaluate

    .. math::
        C(\\theta), \\quad g = \\nabla C(\\theta), \\quad H = \\nabla^2 C(\\theta),
        \\quad H v

    where ``hvp`` differentiates ``theta -> g(theta)^T v`` (reverse over reverse mode) and
    never forms ``H``.
    """

    def __init__(self, value, dim, name="objective", minimizer=None):
        if not callable(value):
            raise TypeError("value must be a callable theta -> scalar")
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
            raise ValueError(f"dim must be a positive integer, got {dim!r}")
        self.dim = int(dim)
        self.name = str(name)
        self.minimizer = None if minimizer is None else as_vector(minimizer, "minimizer", self.dim)
        self._value = value
        self._grad = autograd.grad(value)
        self._hess = autograd.hessian(value)
        self._hvp = autograd.grad(lambda theta, v: anp.dot(self._grad(theta), v))

    def __repr__(self):
        return f"Objective(name={self.name!r}, dim={self.dim})"

    def __call__(self, theta):
        return self.value(theta)

    def value(self, theta):
        """The cost ``C(theta)`` as a Python float."""
        return float(self._value(self._theta(theta)))

    def grad(self, theta):
        """The gradient ``g = nabla C(theta)``, shape ``(d,)``."""
        return np.asarray(self._grad(self._theta(theta)), dtype=float)

    def hess(self, theta):
        """The Hessian ``H = nabla^2 C(theta)``, shape ``(d, d)``, symmetrized."""
        hess = np.asarray(self._hess(self._theta(theta)), dtype=float).reshape(self.dim, self.dim)
        return 0.5 * (hess + hess.T)

    def hvp(self, theta, v):
        """The Hessian-vector product ``H v`` without forming ``H``, shape ``(d,)``."""
        v = as_vector(v, "v", self.dim)
        return np.asarray(self._hvp(self._theta(theta), v), dtype=float)

    @property
    def min_value(self):
        """``C(theta*)`` when the minimizer is known, else ``None``."""
        return None if self.minimizer is None else self.value(self.minimizer)

    def _theta(self, theta):
        return as_vector(theta, "theta", self.dim)


def quadratic(A, b=None):
    """The quadratic ``C(theta) = 1/2 theta^T A theta - b^T theta``.

    ``A`` must be symmetric. Its gradient is ``A theta - b`` and its Hessian is ``A``
    everywhere. When ``A`` is positive definite the unique minimizer ``theta* = A^{-1} b``
    is recorded.
    """
    A = as_symmetric(A, "A")
    dim = A.shape[0]
    b = np.zeros(dim) if b is None else as_vector(b, "b", dim)
    minimizer = np.linalg.solve(A, b) if np.linalg.eigvalsh(A)[0] > 0 else None

    def value(theta):
        return 0.5 * anp.dot(theta, anp.dot(A, theta)) - anp.dot(b, theta)

    return Objective(value, dim, name="quadratic", minimizer=minimizer)


def rosenbrock(dim=2):
    """The (extended) Rosenbrock function.

    ``C(theta) = sum_{i=1}^{d-1} 100 (theta_{i+1} - theta_i^2)^2 + (1 - theta_i)^2``,
    a curved valley whose minimum ``C = 0`` is at ``theta* = (1, ..., 1)``
    (Rosenbrock, 1960).
    """
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 2:
        raise ValueError(f"dim must be an integer >= 2, got {dim!r}")

    def value(theta):
        head, tail = theta[:-1], theta[1:]
        return anp.sum(100.0 * (tail - head**2) ** 2 + (1.0 - head) ** 2)

    return Objective(value, dim, name="Rosenbrock", minimizer=np.ones(dim))


def beale():
    """Beale's function, ``C(x, y) = sum_{i=1}^{3} (c_i - x + x y^i)^2`` with
    ``c = (1.5, 2.25, 2.625)``; its minimum ``C = 0`` is at ``(3, 0.5)`` (Beale, 1958).
    """
    c = np.array([1.5, 2.25, 2.625])

    def value(theta):
        x, y = theta[0], theta[1]
        return anp.sum((c - x + x * y ** anp.array([1.0, 2.0, 3.0])) ** 2)

    return Objective(value, 2, name="Beale", minimizer=[3.0, 0.5])


def saddle():
    """The saddle ``C(theta) = 1/2 (theta_1^2 - theta_2^2)``: a critical point at the
    origin that is a minimum along ``theta_1`` and a maximum along ``theta_2``; no minimizer.
    """

    def value(theta):
        return 0.5 * (theta[0] ** 2 - theta[1] ** 2)

    return Objective(value, 2, name="saddle")


def least_squares(X, y):
    """Linear least squares, ``C(theta) = 1/(2N) ||X theta - y||^2`` for data ``X`` of
    shape ``(N, d)`` and targets ``y`` of shape ``(N,)``. Its Hessian is ``X^T X / N``;
    when ``X`` has full column rank the minimizer solves the normal equations.
    """
    X = as_matrix(X, "X")
    n, dim = X.shape
    y = as_vector(y, "y", n)
    minimizer = np.linalg.lstsq(X, y, rcond=None)[0] if np.linalg.matrix_rank(X) == dim else None

    def value(theta):
        residual = anp.dot(X, theta) - y
        return 0.5 * anp.dot(residual, residual) / n

    return Objective(value, dim, name="least squares", minimizer=minimizer)


def logistic_regression(X, y, l2=0.0):
    """L2-regularized logistic regression with labels ``y_i`` in ``{0, 1}``:

    ``C(theta) = 1/N sum_i [log(1 + exp(z_i)) - y_i z_i] + l2/2 ||theta||^2``,
    ``z = X theta``, the mean cross-entropy of ``sigma(z_i)`` against ``y_i``. It is convex,
    and strictly convex for ``l2 > 0``; the minimizer has no closed form.
    """
    X = as_matrix(X, "X")
    n, dim = X.shape
    y = as_vector(y, "y", n)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold labels 0 or 1 only")
    l2 = as_scalar(l2, "l2", low=0.0)

    def value(theta):
        z = anp.dot(X, theta)
        return anp.mean(anp.logaddexp(0.0, z) - y * z) + 0.5 * l2 * anp.dot(theta, theta)

    return Objective(value, dim, name="logistic regression")
