"""Objectives: a cost ``C(theta)`` with its gradient, Hessian and Hessian-vector product.

Every derivative is derived by automatic differentiation (autograd) from one value
function, so a new objective is one line of ``autograd.numpy`` and its derivatives can
never disagree with it. Where long runs need speed (Beale, Rosenbrock, the double well),
an objective also carries its gradient in closed form, about twenty times faster than
autograd's; the tests check it against autograd and finite differences.
"""

import autograd
import autograd.numpy as anp
import numpy as np

from course_opt._checks import as_int, as_matrix, as_scalar, as_symmetric, as_vector


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

    grad : callable, optional
        A closed-form gradient ``grad(theta) -> g`` (``grad(theta, idx)`` with samples), used
        by :meth:`grad` instead of automatic differentiation, for speed; ``hess`` and ``hvp``
        still differentiate ``value``.
    num_samples : int, optional
        For a cost that is a mean over ``N`` samples,
        ``C(theta) = 1/N sum_i c_i(theta)``: then ``value(theta, idx)`` takes the sample
        indices ``idx`` as a second argument and returns the mean loss over them, and every
        method below accepts ``batch=idx`` for the minibatch estimate (all samples when
        ``batch`` is ``None``).

    Attributes ``value``, ``grad``, ``hess`` and ``hvp`` evaluate

    .. math::
        C(\\theta), \\quad g = \\nabla C(\\theta), \\quad H = \\nabla^2 C(\\theta),
        \\quad H v

    where ``hvp`` differentiates ``theta -> g(theta)^T v`` (reverse over reverse mode) and
    never forms ``H``.
    """

    def __init__(self, value, dim, name="objective", minimizer=None, num_samples=None, grad=None):
        if not callable(value):
            raise TypeError("value must be a callable theta -> scalar")
        if grad is not None and not callable(grad):
            raise TypeError("grad must be a callable theta -> gradient, or None")
        self.dim = as_int(dim, "dim", low=1)
        self.name = str(name)
        self.num_samples = None if num_samples is None else as_int(num_samples, "num_samples", low=1)
        self.minimizer = None if minimizer is None else as_vector(minimizer, "minimizer", self.dim)
        self._value = value
        auto_grad = autograd.grad(value)
        self._grad = auto_grad if grad is None else grad
        self._hess = autograd.hessian(value)
        self._hvp = autograd.grad(lambda theta, v, *batch: anp.dot(auto_grad(theta, *batch), v))

    def __repr__(self):
        return f"Objective(name={self.name!r}, dim={self.dim})"

    def __call__(self, theta, batch=None):
        return self.value(theta, batch)

    def value(self, theta, batch=None):
        """The cost ``C(theta)`` as a Python float; on a minibatch, the mean loss over it."""
        return float(self._value(self._theta(theta), *self._batch(batch)))

    def grad(self, theta, batch=None):
        """The gradient ``g = nabla C(theta)``, shape ``(d,)``; on a minibatch, the
        minibatch gradient ``1/m sum_{i in batch} nabla c_i(theta)``."""
        return np.asarray(self._grad(self._theta(theta), *self._batch(batch)), dtype=float)

    def hess(self, theta, batch=None):
        """The Hessian ``H = nabla^2 C(theta)``, shape ``(d, d)``, symmetrized."""
        hess = np.asarray(self._hess(self._theta(theta), *self._batch(batch)), dtype=float)
        hess = hess.reshape(self.dim, self.dim)
        return 0.5 * (hess + hess.T)

    def hvp(self, theta, v, batch=None):
        """The Hessian-vector product ``H v`` without forming ``H``, shape ``(d,)``."""
        v = as_vector(v, "v", self.dim)
        return np.asarray(self._hvp(self._theta(theta), v, *self._batch(batch)), dtype=float)

    @property
    def min_value(self):
        """``C(theta*)`` when the minimizer is known, else ``None``."""
        return None if self.minimizer is None else self.value(self.minimizer)

    def _theta(self, theta):
        return as_vector(theta, "theta", self.dim)

    def _batch(self, batch):
        """The extra argument of the value function: the sample indices, if it has samples."""
        if self.num_samples is None:
            if batch is not None:
                raise ValueError(f"{self.name} is not a sum over samples: it takes no batch")
            return ()
        if batch is None:
            return (np.arange(self.num_samples),)
        idx = np.asarray(batch)
        if idx.ndim != 1 or idx.size == 0 or not np.issubdtype(idx.dtype, np.integer):
            raise ValueError("batch must be a non-empty 1-D array of sample indices")
        if idx.min() < 0 or idx.max() >= self.num_samples:
            raise ValueError(f"batch indices must lie in [0, {self.num_samples})")
        return (idx,)


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
    dim = as_int(dim, "dim", low=2)

    def value(theta):
        head, tail = theta[:-1], theta[1:]
        return anp.sum(100.0 * (tail - head**2) ** 2 + (1.0 - head) ** 2)

    def grad(theta):
        head, tail = theta[:-1], theta[1:]
        g = np.zeros_like(theta)
        g[:-1] = -400.0 * head * (tail - head**2) - 2.0 * (1.0 - head)
        g[1:] += 200.0 * (tail - head**2)
        return g

    return Objective(value, dim, name="Rosenbrock", minimizer=np.ones(dim), grad=grad)


def beale():
    """Beale's function, ``C(x, y) = sum_{i=1}^{3} (c_i - x + x y^i)^2`` with
    ``c = (1.5, 2.25, 2.625)``; its minimum ``C = 0`` is at ``(3, 0.5)`` (Beale, 1958)
    (book: eq-beale). With the residuals ``r_i = c_i - x + x y^i`` the gradient is
    ``(2 sum_i r_i (y^i - 1), 2 sum_i r_i i x y^(i-1))`` (book: eq-beale-grad).
    """
    c = np.array([1.5, 2.25, 2.625])
    powers = np.array([1.0, 2.0, 3.0])

    def value(theta):
        x, y = theta[0], theta[1]
        return anp.sum((c - x + x * y**powers) ** 2)

    def grad(theta):
        x, y = float(theta[0]), float(theta[1])  # scalar arithmetic: 20 times faster than arrays of 3
        r1, r2, r3 = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
        return np.array([2.0 * (r1 * (y - 1.0) + r2 * (y**2 - 1.0) + r3 * (y**3 - 1.0)),
                         2.0 * x * (r1 + 2.0 * r2 * y + 3.0 * r3 * y**2)])

    return Objective(value, 2, name="Beale", minimizer=[3.0, 0.5], grad=grad)


def double_well(tilt=0.2):
    """A tilted double well with a local and a global minimum (book: eq-double-well):

    ``C(theta) = theta_1^4 / 4 - theta_1^2 / 2 + tilt theta_1 + theta_2^2 / 2``.

    Its critical points lie on ``theta_2 = 0`` at the real roots of
    ``theta_1^3 - theta_1 + tilt = 0``. For ``0 < tilt < 2 / sqrt(27)`` there are three:
    a global minimum at the negative root, a saddle near ``theta_1 = tilt``, and a local
    minimum at the largest root, higher by about ``2 tilt``. ``minimizer`` is the global
    one; ``local_minimizer`` the other. A symmetric double well (``tilt = 0``) is the
    textbook picture of a non-convex cost with more than one minimum (Goodfellow et al.,
    2016, ch. 8).
    """
    tilt = as_scalar(tilt, "tilt", low=0.0, high=2.0 / np.sqrt(27.0), low_open=True, high_open=True)
    roots = np.sort(np.roots([1.0, 0.0, -1.0, tilt]).real)

    def value(theta):
        x = theta[0]
        return x**4 / 4.0 - x**2 / 2.0 + tilt * x + theta[1] ** 2 / 2.0

    def grad(theta):
        return np.array([theta[0] ** 3 - theta[0] + tilt, theta[1]])

    objective = Objective(value, 2, name="double well", minimizer=[roots[0], 0.0], grad=grad)
    objective.local_minimizer = np.array([roots[2], 0.0])
    return objective


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

    def value(theta, idx):
        residual = anp.dot(X[idx], theta) - y[idx]
        return 0.5 * anp.mean(residual**2)

    return Objective(value, dim, name="least squares", minimizer=minimizer, num_samples=n)


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

    def value(theta, idx):
        z = anp.dot(X[idx], theta)
        return anp.mean(anp.logaddexp(0.0, z) - y[idx] * z) + 0.5 * l2 * anp.dot(theta, theta)

    return Objective(value, dim, name="logistic regression", num_samples=n)
