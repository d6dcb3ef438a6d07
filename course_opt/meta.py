"""Learning to learn, in its simplest form: the learning rate (and momentum) of gradient
descent, learned by gradient descent through the optimization it controls.

Andrychowicz et al. (2016) learn a whole update rule ``theta_{t+1} = theta_t + g_phi(grad_t)``,
an RNN with parameters ``phi``, by differentiating the loss reached after ``K`` unrolled steps
with respect to ``phi`` and training ``phi`` on a family of problems (Maclaurin, Duvenaud &
Adams, 2015, tune hyperparameters by differentiating through training the same way). Here
``phi`` holds only the learning rate and the momentum of the heavy-ball rule,

    v_{t+1} = alpha v_t - lr g(theta_t),   theta_{t+1} = theta_t + v_{t+1},

(``alpha = 0`` is gradient descent), and the family is random quadratics
``C(theta) = 1/2 sum_i k_i theta_i^2``: diagonal, since a rotation changes nothing for these
rules. The meta-loss is the mean over the problems of the final loss ``C(theta_K)`` or of the
summed losses ``sum_{t=1}^K C(theta_t)``; its gradient with respect to ``(lr, alpha)``, the
*hypergradient*, comes from autograd through the ``K`` steps.

The unrolled steps are written here in ``autograd.numpy``: the rules of
:mod:`course_opt.updates` check their arguments as floating-point arrays, which autograd
cannot trace. The tests check that both give the same iterates.
"""

from typing import NamedTuple

import autograd
import autograd.numpy as anp
import numpy as np

from course_opt._checks import as_generator, as_int, as_matrix, as_scalar


def random_quadratics(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """A family of ``num_problems`` quadratics ``C(theta) = 1/2 sum_i k_i theta_i^2`` in ``dim``
    dimensions, with curvatures ``k_i ~ U(curvature_range)`` and starting points
    ``theta_0 ~ N(0, I)``. Returns ``(curvatures, theta0)``, both of shape
    ``(num_problems, dim)``.
    """
    num_problems = as_int(num_problems, "num_problems", low=1)
    dim = as_int(dim, "dim", low=1)
    rng = as_generator(rng)
    if np.shape(curvature_range) != (2,):
        raise ValueError(f"curvature_range must be a pair (k_min, k_max), got {curvature_range!r}")
    low, high = curvature_range
    low = as_scalar(low, "curvature_range[0]", low=0.0, low_open=True)
    high = as_scalar(high, "curvature_range[1]", low=low)
    return rng.uniform(low, high, (num_problems, dim)), rng.standard_normal((num_problems, dim))


def unrolled_loss(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """The meta-loss of ``(lr, momentum)``: run ``num_steps`` heavy-ball steps on every problem
    from its ``theta0`` and average over the problems the final loss ``C(theta_K)``, or, with
    ``summed=True``, the sum ``sum_{t=1}^K C(theta_t)`` (the choice of Andrychowicz et al.,
    which rewards getting low early as well).

    ``curvatures`` and ``theta0`` have shape ``(num_problems, dim)``, as from
    :func:`random_quadratics`; ``momentum = 0`` is gradient descent.
    """
    args = _check(lr, momentum, curvatures, theta0, num_steps)
    return float(_unrolled_loss(*args, summed=bool(summed)))


def hypergradient(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """The gradient ``(dL/dlr, dL/dmomentum)`` of :func:`unrolled_loss`, by reverse-mode
    automatic differentiation through the ``num_steps`` unrolled steps."""
    lr, momentum, curvatures, theta0, num_steps = _check(lr, momentum, curvatures, theta0, num_steps)

    def loss(hyper):
        return _unrolled_loss(hyper[0], hyper[1], curvatures, theta0, num_steps, bool(summed))

    return np.asarray(autograd.grad(loss)(np.array([lr, momentum])), dtype=float)


class MetaResult(NamedTuple):
    """What :func:`meta_train` learned: the final ``lr`` and ``momentum``, and the meta-training
    curve, one entry per meta-step plus the last: the meta-loss ``losses``, and the
    hyperparameters ``lrs`` and ``momenta`` at which it was measured."""

    lr: float
    momentum: float
    losses: np.ndarray
    lrs: np.ndarray
    momenta: np.ndarray


def meta_train(curvatures, theta0, num_steps, meta_opt, num_meta_steps, lr=0.01, momentum=None, summed=False,
               log_loss=False):
    """Learn the learning rate (and the momentum) by descending the hypergradient.

    The meta-optimizer ``meta_opt`` (from :func:`course_opt.optimizer`, e.g. Adam with a
    decaying ``lr``) minimizes :func:`unrolled_loss` ``L`` over ``phi = log(lr)``, and over
    ``logit(momentum)`` too unless ``momentum`` is ``None`` (gradient descent, ``momentum``
    fixed at ``0``). ``lr`` and ``momentum`` are the starting values. The changes of variables
    do not move the minimizer:

    - ``log(lr)`` and ``logit(momentum)`` keep ``lr > 0`` and ``0 < momentum < 1`` without
      constraints, and make each meta-step a relative change;
    - ``log_loss=True`` descends ``log L`` instead of ``L``. After several steps ``L`` is a
      mean of products like ``(1 - lr k)^{2K}`` and spans many orders of magnitude, so its
      gradient is huge on the walls and tiny in the valley, where an adaptive meta-optimizer
      tuned to the walls stalls; the gradient of ``log L`` is relative and stays well
      scaled. Where ``L`` can reach exactly ``0`` (a single quadratic), ``log L`` has a
      singularity at the optimum: keep ``log_loss=False`` there.

    Returns a :class:`MetaResult`.
    """
    lr = as_scalar(lr, "lr", low=0.0, low_open=True)
    learn_momentum = momentum is not None
    if learn_momentum:
        momentum = as_scalar(momentum, "momentum", low=0.0, high=1.0, low_open=True, high_open=True)
    _, _, curvatures, theta0, num_steps = _check(lr, momentum if learn_momentum else 0.0, curvatures, theta0,
                                                 num_steps)
    num_meta_steps = as_int(num_meta_steps, "num_meta_steps")

    def hyperparameters(phi):
        return anp.exp(phi[0]), (1.0 / (1.0 + anp.exp(-phi[1])) if learn_momentum else 0.0)

    def meta_objective(phi):
        loss = _unrolled_loss(*hyperparameters(phi), curvatures, theta0, num_steps, bool(summed))
        return anp.log(loss) if log_loss else loss

    phi = np.array([np.log(lr), np.log(momentum / (1.0 - momentum))] if learn_momentum else [np.log(lr)])
    state = meta_opt.init(phi)
    history = [phi]
    for _ in range(num_meta_steps):
        phi, state = meta_opt.step(phi, state, autograd.grad(meta_objective))
        history.append(phi)
    lrs, momenta = np.array([[float(h) for h in hyperparameters(phi)] for phi in history]).T
    losses = np.array([_unrolled_loss(lr_i, momentum_i, curvatures, theta0, num_steps, bool(summed))
                       for lr_i, momentum_i in zip(lrs, momenta)])
    return MetaResult(lr=lrs[-1], momentum=momenta[-1], losses=losses, lrs=lrs, momenta=momenta)


# --- helpers ------------------------------------------------------------------------------


def _unrolled_loss(lr, momentum, curvatures, theta0, num_steps, summed):
    """The heavy-ball steps and the meta-loss, in ``autograd.numpy`` with no checks."""
    theta, velocity, total = theta0, np.zeros_like(theta0), 0.0
    for _ in range(num_steps):
        velocity = momentum * velocity - lr * curvatures * theta
        theta = theta + velocity
        loss = anp.mean(0.5 * anp.sum(curvatures * theta**2, axis=1))
        total = total + loss
    return total if summed else loss


def _check(lr, momentum, curvatures, theta0, num_steps):
    lr = as_scalar(lr, "lr", low=0.0)
    momentum = as_scalar(momentum, "momentum", low=0.0, high=1.0, high_open=True)
    curvatures = as_matrix(curvatures, "curvatures")
    theta0 = as_matrix(theta0, "theta0")
    if theta0.shape != curvatures.shape:
        raise ValueError(f"theta0 must have the shape of curvatures {curvatures.shape}, got {theta0.shape}")
    return lr, momentum, curvatures, theta0, as_int(num_steps, "num_steps", low=1)
