"""First-order update rules: SGD, momentum, Nesterov, AdaGrad, RMSProp, AdaDelta, Adam, AdamW.

Every rule follows one protocol, in the spirit of optax and CS231n:

- ``<rule>_init(theta) -> state`` makes the rule's initial state, a NamedTuple whose field
  ``t`` counts the steps taken so far;
- ``<rule>_step(theta, state, grad_fn, lr, ...) -> (theta, state)`` takes one step. It
  calls ``grad_fn(theta')`` once, at the point the rule needs (``theta`` itself, or
  Nesterov's look-ahead point), and returns the new parameters and the new state. Nothing
  is modified in place.

``lr`` is the learning rate of this step; a schedule ``t -> lr_t`` is applied by
:func:`optimizer`, which binds a rule to its hyperparameters. The defaults are those of the
papers the docstrings cite. Where the lecture decks and the popular libraries disagree, the
book's choice is stated in the docstring:

- ``eps`` is added *outside* the square root (Kingma & Ba; torch); RMSProp's
  ``eps_inside_sqrt=True`` gives ``sqrt(s + eps)`` (Goodfellow et al.; TensorFlow 1).
- Adam's ``beta2`` defaults to ``0.999`` (Kingma & Ba; torch); the decks use ``0.99``.
- The step counter starts at ``t = 0`` in the state, and the bias correction of step
  ``t`` uses the power ``t + 1`` (the paper's ``t = 1`` for the first step).
"""

from typing import Callable, NamedTuple

import numpy as np

from course_opt._checks import as_scalar, as_vector


# --- states -------------------------------------------------------------------------------


class SGDState(NamedTuple):
    t: int


class MomentumState(NamedTuple):
    t: int
    velocity: np.ndarray


class AdaGradState(NamedTuple):
    t: int
    sum_sq: np.ndarray


class RMSPropState(NamedTuple):
    t: int
    sq_avg: np.ndarray


class RMSPropNesterovState(NamedTuple):
    t: int
    sq_avg: np.ndarray
    velocity: np.ndarray


class AdaDeltaState(NamedTuple):
    t: int
    sq_avg: np.ndarray
    delta_sq_avg: np.ndarray


class AdamState(NamedTuple):
    t: int
    m: np.ndarray
    s: np.ndarray


# --- rules --------------------------------------------------------------------------------


def sgd_init(theta):
    return SGDState(t=0)


def sgd_step(theta, state, grad_fn, lr):
    """(Stochastic) gradient descent, ``theta <- theta - lr g(theta)`` (book: eq-gd-update).

    With a minibatch ``grad_fn`` this is SGD (Robbins & Monro, 1951); with the full
    gradient it is gradient descent (Cauchy, 1847).
    """
    theta, lr = _theta(theta), _lr(lr)
    g = _grad(grad_fn, theta)
    return theta - lr * g, SGDState(t=state.t + 1)


def momentum_init(theta):
    return MomentumState(t=0, velocity=np.zeros_like(_theta(theta)))


def momentum_step(theta, state, grad_fn, lr, momentum=0.9):
    """Heavy-ball momentum (Polyak, 1964) (book: eq-momentum):

    ``v <- alpha v - lr g(theta)``, ``theta <- theta + v``, with ``alpha = momentum``.

    torch.optim.SGD keeps ``b = -v / lr`` instead; for a constant ``lr`` the iterates
    are the same.
    """
    theta, lr, alpha = _theta(theta), _lr(lr), _decay(momentum, "momentum")
    g = _grad(grad_fn, theta)
    velocity = alpha * _like(state.velocity, theta, "state.velocity") - lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


nesterov_init = momentum_init


def nesterov_step(theta, state, grad_fn, lr, momentum=0.9):
    """Nesterov momentum (Nesterov, 1983; Sutskever et al., 2013) (book: eq-nesterov):

    the gradient is taken at the look-ahead point ``theta + alpha v``:
    ``v <- alpha v - lr g(theta + alpha v)``, ``theta <- theta + v``.
    """
    theta, lr, alpha = _theta(theta), _lr(lr), _decay(momentum, "momentum")
    velocity = _like(state.velocity, theta, "state.velocity")
    g = _grad(grad_fn, theta + alpha * velocity)
    velocity = alpha * velocity - lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def adagrad_init(theta):
    return AdaGradState(t=0, sum_sq=np.zeros_like(_theta(theta)))


def adagrad_step(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """AdaGrad (Duchi et al., 2011) (book: eq-adagrad):

    ``r <- r + g * g``, ``theta <- theta - lr g / (sqrt(r) + eps)``, elementwise.
    ``eps = 1e-7`` as in Goodfellow et al. (2016); torch uses ``1e-10``.
    """
    theta, lr, eps = _theta(theta), _lr(lr), _eps(eps)
    g = _grad(grad_fn, theta)
    sum_sq = _like(state.sum_sq, theta, "state.sum_sq") + g * g
    return theta - lr * g / (np.sqrt(sum_sq) + eps), AdaGradState(t=state.t + 1, sum_sq=sum_sq)


def rmsprop_init(theta):
    return RMSPropState(t=0, sq_avg=np.zeros_like(_theta(theta)))


def rmsprop_step(theta, state, grad_fn, lr=1e-3, rho=0.9, eps=1e-8, eps_inside_sqrt=False):
    """RMSProp (Tieleman & Hinton, 2012) (book: eq-rmsprop):

    ``s <- rho s + (1 - rho) g * g``, ``theta <- theta - lr g / (sqrt(s) + eps)``.
    ``eps_inside_sqrt=True`` divides by ``sqrt(s + eps)`` instead, as Goodfellow et al.
    (2016) and TensorFlow 1 do.
    """
    theta, lr, rho, eps = _theta(theta), _lr(lr), _decay(rho, "rho"), _eps(eps)
    g = _grad(grad_fn, theta)
    sq_avg = rho * _like(state.sq_avg, theta, "state.sq_avg") + (1.0 - rho) * g * g
    denom = np.sqrt(sq_avg + eps) if eps_inside_sqrt else np.sqrt(sq_avg) + eps
    return theta - lr * g / denom, RMSPropState(t=state.t + 1, sq_avg=sq_avg)


def rmsprop_nesterov_init(theta):
    zeros = np.zeros_like(_theta(theta))
    return RMSPropNesterovState(t=0, sq_avg=zeros, velocity=zeros.copy())


def rmsprop_nesterov_step(theta, state, grad_fn, lr=1e-3, rho=0.9, momentum=0.9, eps=1e-8):
    """RMSProp with Nesterov momentum (Goodfellow et al., 2016, Algorithm 8.6)
    (book: eq-rmsprop-nesterov):

    ``g = g(theta + alpha v)``, ``s <- rho s + (1 - rho) g * g``,
    ``v <- alpha v - lr g / (sqrt(s) + eps)``, ``theta <- theta + v``.
    """
    theta, lr, rho = _theta(theta), _lr(lr), _decay(rho, "rho")
    alpha, eps = _decay(momentum, "momentum"), _eps(eps)
    velocity = _like(state.velocity, theta, "state.velocity")
    g = _grad(grad_fn, theta + alpha * velocity)
    sq_avg = rho * _like(state.sq_avg, theta, "state.sq_avg") + (1.0 - rho) * g * g
    velocity = alpha * velocity - lr * g / (np.sqrt(sq_avg) + eps)
    return theta + velocity, RMSPropNesterovState(t=state.t + 1, sq_avg=sq_avg, velocity=velocity)


def adadelta_init(theta):
    zeros = np.zeros_like(_theta(theta))
    return AdaDeltaState(t=0, sq_avg=zeros, delta_sq_avg=zeros.copy())


def adadelta_step(theta, state, grad_fn, lr=1.0, rho=0.95, eps=1e-6):
    """AdaDelta (Zeiler, 2012) (book: eq-adadelta), which needs no learning rate:

    ``s <- rho s + (1 - rho) g * g``,
    ``delta = -sqrt(u + eps) / sqrt(s + eps) * g``,
    ``u <- rho u + (1 - rho) delta * delta``, ``theta <- theta + lr delta``.

    The paper's rule is ``lr = 1``, the default. Another ``lr`` scales the step taken but not
    the ``delta`` that ``u`` averages, as in torch.optim.Adadelta. ``rho = 0.95`` and
    ``eps = 1e-6`` are the paper's values.
    """
    theta, lr, rho, eps = _theta(theta), _lr(lr), _decay(rho, "rho"), _eps(eps)
    g = _grad(grad_fn, theta)
    sq_avg = rho * _like(state.sq_avg, theta, "state.sq_avg") + (1.0 - rho) * g * g
    delta_sq_avg = _like(state.delta_sq_avg, theta, "state.delta_sq_avg")
    delta = -np.sqrt(delta_sq_avg + eps) / np.sqrt(sq_avg + eps) * g
    delta_sq_avg = rho * delta_sq_avg + (1.0 - rho) * delta * delta
    return theta + lr * delta, AdaDeltaState(t=state.t + 1, sq_avg=sq_avg, delta_sq_avg=delta_sq_avg)


def adam_init(theta):
    zeros = np.zeros_like(_theta(theta))
    return AdamState(t=0, m=zeros, s=zeros.copy())


def adam_step(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam (Kingma & Ba, 2015) (book: eq-adam), for the ``t``-th step (``t = 1, 2, ...``):

    ``m <- beta1 m + (1 - beta1) g``, ``s <- beta2 s + (1 - beta2) g * g``,
    ``m_hat = m / (1 - beta1^t)``, ``s_hat = s / (1 - beta2^t)``,
    ``theta <- theta - lr m_hat / (sqrt(s_hat) + eps)``.
    """
    theta, lr, eps = _theta(theta), _lr(lr), _eps(eps)
    beta1, beta2 = _decay(beta1, "beta1"), _decay(beta2, "beta2")
    g = _grad(grad_fn, theta)
    t = state.t + 1
    m = beta1 * _like(state.m, theta, "state.m") + (1.0 - beta1) * g
    s = beta2 * _like(state.s, theta, "state.s") + (1.0 - beta2) * g * g
    m_hat = m / (1.0 - beta1**t)
    s_hat = s / (1.0 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(t=t, m=m, s=s)


adamw_init = adam_init


def adamw_step(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    """AdamW (Loshchilov & Hutter, 2019) (book: eq-adamw): Adam with decoupled weight decay,

    ``theta <- theta - lr (m_hat / (sqrt(s_hat) + eps) + weight_decay theta)``,

    with ``m_hat`` and ``s_hat`` as in :func:`adam_step`. The decay acts on ``theta``
    directly instead of entering ``g``, so it is not rescaled by ``sqrt(s_hat)``. The same
    as torch.optim.AdamW, which multiplies ``theta`` by ``1 - lr weight_decay`` first.
    """
    theta = _theta(theta)
    weight_decay = as_scalar(weight_decay, "weight_decay", low=0.0)
    adam_theta, state = adam_step(theta, state, grad_fn, lr, beta1, beta2, eps)
    return adam_theta - lr * weight_decay * theta, state


# --- binding a rule to its hyperparameters --------------------------------------------------


class Optimizer(NamedTuple):
    """An update rule with its hyperparameters bound: ``init(theta) -> state`` and
    ``step(theta, state, grad_fn) -> (theta, state)``."""

    name: str
    init: Callable
    step: Callable


RULES = {
    "sgd": ("SGD", sgd_init, sgd_step),
    "momentum": ("momentum", momentum_init, momentum_step),
    "nesterov": ("Nesterov", nesterov_init, nesterov_step),
    "adagrad": ("AdaGrad", adagrad_init, adagrad_step),
    "rmsprop": ("RMSProp", rmsprop_init, rmsprop_step),
    "rmsprop_nesterov": ("RMSProp + Nesterov", rmsprop_nesterov_init, rmsprop_nesterov_step),
    "adadelta": ("AdaDelta", adadelta_init, adadelta_step),
    "adam": ("Adam", adam_init, adam_step),
    "adamw": ("AdamW", adamw_init, adamw_step),
}


def optimizer(rule, **hyperparameters):
    """Bind the update rule named ``rule`` (a key of :data:`RULES`) to hyperparameters.

    ``lr`` may be a number or a schedule ``t -> lr_t`` (see :mod:`course_opt.schedules`),
    evaluated at the state's step counter ``t``. The hyperparameters are checked once
    here by a trial step on ``theta = 0``, so that a bad value fails before a run starts.

    >>> opt = optimizer("adam", lr=0.1)
    >>> state = opt.init(np.ones(2))
    >>> theta, state = opt.step(np.ones(2), state, lambda theta: 2 * theta)
    """
    if rule not in RULES:
        raise ValueError(f"unknown update rule {rule!r}; choose one of {sorted(RULES)}")
    name, init, step = RULES[rule]
    schedule = hyperparameters.pop("lr", None)

    def bound_step(theta, state, grad_fn):
        if schedule is None:
            return step(theta, state, grad_fn, **hyperparameters)
        if callable(schedule):
            return step(theta, state, grad_fn, lr=_lr(schedule(state.t), f"lr at step {state.t}"), **hyperparameters)
        return step(theta, state, grad_fn, lr=schedule, **hyperparameters)

    probe = np.zeros(1)
    bound_step(probe, init(probe), np.zeros_like)
    return Optimizer(name=name, init=init, step=bound_step)


# --- helpers ------------------------------------------------------------------------------


def _theta(theta):
    return as_vector(theta, "theta")


def _grad(grad_fn, theta):
    g = np.asarray(grad_fn(theta), dtype=float)
    if g.shape != theta.shape:
        raise ValueError(f"the gradient has shape {g.shape} but theta has shape {theta.shape}")
    if not np.all(np.isfinite(g)):
        raise ValueError("the gradient contains NaN or infinite entries: lower lr or clip the gradient")
    return g


def _like(array, theta, name):
    return as_vector(array, name, theta.shape[0])


def _lr(lr, name="lr"):
    return as_scalar(lr, name, low=0.0)


def _decay(value, name):
    return as_scalar(value, name, low=0.0, high=1.0, high_open=True)


def _eps(eps):
    return as_scalar(eps, "eps", low=0.0, low_open=True)
