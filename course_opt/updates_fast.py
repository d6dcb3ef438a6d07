"""In-place versions of three update rules of :mod:`course_opt.updates`, for large ``d``.

The rules in :mod:`course_opt.updates` are the ones the book shows: every step returns new
arrays and nothing is modified. That costs several parameter-sized temporaries per step
(``alpha * v``, ``lr * g``, ...), each a full pass over memory. The functions here compute
the *same numbers* (the same floating-point operations in the same order, so the results
are identical to the last bit; ``tests/test_updates_fast.py`` checks it) but:

- they overwrite ``theta`` and the state's arrays in place, like ``torch.optim`` does;
- they work through the vectors in blocks of :data:`BLOCK` entries, so that every
  elementwise operation of a block runs in the CPU cache and main memory sees each array
  read once and (for ``theta`` and the state) written once;
- the only temporaries are two scratch blocks, never a parameter-sized array.

They follow the protocol of :mod:`course_opt.updates` (``step(theta, state, grad_fn, lr,
...) -> (theta, state)``) and its conventions (``eps`` outside the square root, the step
counter ``t`` of the state, bias correction with the power ``t + 1``). Unlike the readable
rules they do not check that the gradient is finite (that would be another pass over
memory): use the rules of :mod:`course_opt.updates` to debug a run. ``theta`` and the
state's arrays must be writable, C-contiguous float64 vectors of the same length; the
states are those of the ``*_init`` functions of :mod:`course_opt.updates`.

Used by ``benchmarks/update_rules.py``; the book never needs them.
"""

import numpy as np

from course_opt._checks import as_scalar
from course_opt.updates import AdamState, MomentumState, RMSPropState

#: Entries per block: 16384 float64 = 128 KiB per array, so the five or six arrays a
#: block touches fit in a core's L2 cache.
BLOCK = 16384


def momentum_step_inplace(theta, state, grad_fn, lr, momentum=0.9):
    """:func:`course_opt.updates.momentum_step` in place:
    ``v <- alpha v - lr g(theta)``, ``theta <- theta + v``; ``theta`` and
    ``state.velocity`` are overwritten."""
    lr = as_scalar(lr, "lr", low=0.0)
    alpha = as_scalar(momentum, "momentum", low=0.0, high=1.0, high_open=True)
    velocity = _buffer(state.velocity, theta, "state.velocity")
    grad = _gradient(grad_fn, theta)
    scratch = np.empty(min(BLOCK, theta.size))
    for start in range(0, theta.size, BLOCK):
        block = slice(start, start + BLOCK)
        th, v, g = theta[block], velocity[block], grad[block]
        lr_g = scratch[: th.size]
        v *= alpha                                # alpha v
        np.multiply(g, lr, out=lr_g)              # lr g
        v -= lr_g                                 # v = alpha v - lr g
        th += v                                   # theta = theta + v
    return theta, MomentumState(t=state.t + 1, velocity=velocity)


def rmsprop_step_inplace(theta, state, grad_fn, lr=1e-3, rho=0.9, eps=1e-8, eps_inside_sqrt=False):
    """:func:`course_opt.updates.rmsprop_step` in place:
    ``s <- rho s + (1 - rho) g * g``, ``theta <- theta - lr g / (sqrt(s) + eps)``;
    ``theta`` and ``state.sq_avg`` are overwritten."""
    lr = as_scalar(lr, "lr", low=0.0)
    rho = as_scalar(rho, "rho", low=0.0, high=1.0, high_open=True)
    eps = as_scalar(eps, "eps", low=0.0, low_open=True)
    sq_avg = _buffer(state.sq_avg, theta, "state.sq_avg")
    grad = _gradient(grad_fn, theta)
    scratch = np.empty((2, min(BLOCK, theta.size)))
    for start in range(0, theta.size, BLOCK):
        block = slice(start, start + BLOCK)
        th, s, g = theta[block], sq_avg[block], grad[block]
        tmp, step = scratch[0, : th.size], scratch[1, : th.size]
        s *= rho                                  # rho s
        np.multiply(g, 1.0 - rho, out=tmp)        # (1 - rho) g
        tmp *= g                                  # (1 - rho) g * g
        s += tmp                                  # s = rho s + (1 - rho) g * g
        if eps_inside_sqrt:
            np.add(s, eps, out=tmp)
            np.sqrt(tmp, out=tmp)                 # sqrt(s + eps)
        else:
            np.sqrt(s, out=tmp)
            tmp += eps                            # sqrt(s) + eps
        np.multiply(g, lr, out=step)              # lr g
        step /= tmp                               # lr g / denom
        th -= step
    return theta, RMSPropState(t=state.t + 1, sq_avg=sq_avg)


def adam_step_inplace(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """:func:`course_opt.updates.adam_step` in place:
    ``m <- beta1 m + (1 - beta1) g``, ``s <- beta2 s + (1 - beta2) g * g``,
    ``theta <- theta - lr m_hat / (sqrt(s_hat) + eps)``; ``theta``, ``state.m`` and
    ``state.s`` are overwritten."""
    lr = as_scalar(lr, "lr", low=0.0)
    eps = as_scalar(eps, "eps", low=0.0, low_open=True)
    beta1 = as_scalar(beta1, "beta1", low=0.0, high=1.0, high_open=True)
    beta2 = as_scalar(beta2, "beta2", low=0.0, high=1.0, high_open=True)
    m_all = _buffer(state.m, theta, "state.m")
    s_all = _buffer(state.s, theta, "state.s")
    grad = _gradient(grad_fn, theta)
    t = state.t + 1
    correction1, correction2 = 1.0 - beta1**t, 1.0 - beta2**t
    scratch = np.empty((2, min(BLOCK, theta.size)))
    for start in range(0, theta.size, BLOCK):
        block = slice(start, start + BLOCK)
        th, m, s, g = theta[block], m_all[block], s_all[block], grad[block]
        tmp, step = scratch[0, : th.size], scratch[1, : th.size]
        m *= beta1                                # beta1 m
        np.multiply(g, 1.0 - beta1, out=tmp)      # (1 - beta1) g
        m += tmp                                  # m = beta1 m + (1 - beta1) g
        s *= beta2                                # beta2 s
        np.multiply(g, 1.0 - beta2, out=tmp)      # (1 - beta2) g
        tmp *= g                                  # (1 - beta2) g * g
        s += tmp                                  # s = beta2 s + (1 - beta2) g * g
        np.divide(s, correction2, out=tmp)        # s_hat
        np.sqrt(tmp, out=tmp)
        tmp += eps                                # sqrt(s_hat) + eps
        np.divide(m, correction1, out=step)       # m_hat
        step *= lr                                # lr m_hat
        step /= tmp                               # lr m_hat / (sqrt(s_hat) + eps)
        th -= step
    return theta, AdamState(t=t, m=m_all, s=s_all)


# --- helpers ------------------------------------------------------------------------------


def _buffer(array, theta, name):
    """Check that ``array`` can be overwritten in place as a vector like ``theta``."""
    for arr, label in ((theta, "theta"), (array, name)):
        if not isinstance(arr, np.ndarray) or arr.dtype != np.float64 or arr.ndim != 1:
            raise TypeError(f"{label} must be a 1-D float64 numpy array to be updated in place")
        if not (arr.flags.c_contiguous and arr.flags.writeable):
            raise ValueError(f"{label} must be C-contiguous and writable to be updated in place")
    if array.shape != theta.shape:
        raise ValueError(f"{name} has shape {array.shape} but theta has shape {theta.shape}")
    if np.shares_memory(array, theta):
        raise ValueError(f"{name} shares memory with theta")
    return array


def _gradient(grad_fn, theta):
    grad = grad_fn(theta)
    if not isinstance(grad, np.ndarray) or grad.dtype != np.float64 or grad.shape != theta.shape:
        grad = np.asarray(grad, dtype=float)
        if grad.shape != theta.shape:
            raise ValueError(f"the gradient has shape {grad.shape} but theta has shape {theta.shape}")
    return grad
