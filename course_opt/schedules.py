"""Learning-rate schedules: pure functions of the step ``t = 0, 1, 2, ...``.

Each ``<name>_lr(t, ...)`` returns the learning rate of step ``t``. To pass a schedule where
a learning rate is expected, fix its parameters with :func:`functools.partial`::

    lr = functools.partial(cosine_lr, lr0=0.1, num_steps=1000)
    course_opt.optimizer("sgd", lr=lr)

A step counter can equally count epochs: call the schedule with the epoch number.
"""

import numpy as np

from course_opt._checks import as_int, as_scalar


def constant_lr(t, lr0):
    """``lr_t = lr0``."""
    _step(t)
    return _rate(lr0, "lr0")


def inverse_time_lr(t, lr0, decay=1.0):
    """``lr_t = lr0 / (1 + decay t)``: decays like ``1/t``, so that ``sum lr_t`` diverges and
    ``sum lr_t^2`` converges, the conditions of Robbins & Monro (1951) (book: eq-robbins-monro).
    """
    t = _step(t)
    return _rate(lr0, "lr0") / (1.0 + as_scalar(decay, "decay", low=0.0) * t)


def linear_lr(t, lr0, lr_tau, tau):
    """Linear decay from ``lr0`` to ``lr_tau`` over ``tau`` steps, then constant
    (Goodfellow et al., 2016, Sec. 8.3.1) (book: eq-linear-decay):
    ``lr_t = (1 - t/tau) lr0 + (t/tau) lr_tau`` for ``t < tau``, else ``lr_tau``.
    """
    t = _step(t)
    lr0, lr_tau = _rate(lr0, "lr0"), _rate(lr_tau, "lr_tau")
    tau = _positive_int(tau, "tau")
    b = min(t / tau, 1.0)
    return (1.0 - b) * lr0 + b * lr_tau


def exponential_lr(t, lr0, gamma):
    """``lr_t = lr0 gamma^t`` with ``0 < gamma <= 1``."""
    t = _step(t)
    gamma = as_scalar(gamma, "gamma", low=0.0, high=1.0, low_open=True)
    return _rate(lr0, "lr0") * gamma**t


def step_lr(t, lr0, gamma, step_size):
    """Step decay: ``lr_t = lr0 gamma^floor(t / step_size)``, e.g. divide by 10 every
    ``step_size`` epochs."""
    t = _step(t)
    gamma = as_scalar(gamma, "gamma", low=0.0, high=1.0, low_open=True)
    return _rate(lr0, "lr0") * gamma ** (t // _positive_int(step_size, "step_size"))


def cosine_lr(t, lr0, num_steps, lr_min=0.0):
    """Cosine decay (Loshchilov & Hutter, 2017) (book: eq-cosine):
    ``lr_t = lr_min + 1/2 (lr0 - lr_min) (1 + cos(pi t / num_steps))`` for
    ``t <= num_steps``, then ``lr_min``.
    """
    t = _step(t)
    lr0, lr_min = _rate(lr0, "lr0"), _rate(lr_min, "lr_min")
    num_steps = _positive_int(num_steps, "num_steps")
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * min(t, num_steps) / num_steps))


def sgdr_lr(t, lr0, period, mult=1, lr_min=0.0):
    """Cosine annealing with warm restarts, SGDR (Loshchilov & Hutter, 2017) (book: eq-sgdr).

    The ``i``-th cycle lasts ``T_i = period mult^i`` steps; within it, at step ``t_cur``
    since the last restart, ``lr_t = lr_min + 1/2 (lr0 - lr_min)(1 + cos(pi t_cur / T_i))``.
    At a restart the rate jumps back to ``lr0``.
    """
    t = _step(t)
    lr0, lr_min = _rate(lr0, "lr0"), _rate(lr_min, "lr_min")
    length = _positive_int(period, "period")
    mult = _positive_int(mult, "mult")
    if mult == 1:
        t %= length
    while t >= length:  # cycles grow geometrically: at most log_mult(t) passes
        t -= length
        length *= mult
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * t / length))


def _step(t):
    return as_int(t, "t", low=0)


def _positive_int(value, name):
    return as_int(value, name, low=1)


def _rate(value, name):
    return as_scalar(value, name, low=0.0)
