"""Correct solutions of the problem set `schedules`, written differently from course_opt.

Each entry replaces the notebook's solution of the function before the double underscore and
must earn full marks on every autograded part.
"""

import numpy as np


# linear_lr ---------------------------------------------------------------------------------


def linear_lr__numpy_interp(t, lr0, lr_tau, tau):
    """np.interp between (0, lr0) and (tau, lr_tau), which holds the end value after tau."""
    return np.interp(t, [0, tau], [lr0, lr_tau])


def linear_lr__step_by_step_loop(t, lr0, lr_tau, tau):
    """Walks the line one step at a time, lr0 + k (lr_tau - lr0) / tau for k = 1, ..., t."""
    if t >= tau:
        return lr_tau
    lr = lr0
    for k in range(1, int(t) + 1):
        lr = lr0 + k * (lr_tau - lr0) / tau
    return lr


def linear_lr__zero_d_array_and_print(t, lr0, lr_tau, tau):
    """lr0 + (lr_tau - lr0) min(t, tau) / tau as a 0-d array, printing the rate."""
    rate = np.asarray(lr0 + (lr_tau - lr0) * min(int(t), tau) / tau)
    print(f"linear_lr({t}) = {float(rate):.6g}")
    return rate


def linear_lr__warns_on_warm_up(t, lr0, lr_tau, tau):
    """Integer arithmetic for the fraction, and a UserWarning when lr_tau > lr0 (a warm-up)."""
    import warnings

    if lr_tau > lr0:
        warnings.warn("lr_tau > lr0: this is a warm-up, not a decay")
    remaining = max(tau - int(t), 0)
    return (remaining * lr0 + (tau - remaining) * lr_tau) / tau


# exponential_lr ----------------------------------------------------------------------------


def exponential_lr__exp_of_log(t, lr0, gamma):
    """exp(t log gamma) instead of a power."""
    import math

    return lr0 * math.exp(t * math.log(gamma))


def exponential_lr__repeated_squaring(t, lr0, gamma):
    """gamma**t by repeated squaring, in a loop over the bits of t."""
    t, result, power = int(t), 1.0, gamma
    while t:
        if t & 1:
            result *= power
        power *= power
        t >>= 1
    return lr0 * result


def exponential_lr__multiply_in_a_loop(t, lr0, gamma):
    """eta_t = gamma eta_{t-1}, t multiplications in a loop (t rounding errors add up)."""
    lr = lr0
    for _ in range(int(t)):
        lr = gamma * lr
    return lr


def exponential_lr__numpy_power_zero_d(t, lr0, gamma):
    """np.power on a 0-d array, returned as the 0-d array, with a print."""
    rate = np.asarray(lr0) * np.power(np.asarray(gamma), t)
    print("rate", rate)
    return rate


# step_lr -----------------------------------------------------------------------------------


def step_lr__divmod(t, lr0, gamma, step_size):
    """Counts the decays with divmod and multiplies in a loop."""
    decays, _ = divmod(int(t), step_size)
    lr = float(lr0)
    for _ in range(decays):
        lr *= gamma
    return lr


def step_lr__via_exponential(t, lr0, gamma, step_size):
    """Exponential decay evaluated at the number of completed periods, math.floor of a true division."""
    import math

    k = math.floor(int(t) / step_size)
    while k * step_size > t:  # guard against a true division that rounds up
        k -= 1
    while (k + 1) * step_size <= t:
        k += 1
    return lr0 * gamma**k


def step_lr__numpy_scalar(t, lr0, gamma, step_size):
    """np.float64 arithmetic throughout, returning a NumPy float."""
    return np.float64(lr0) * np.float64(gamma) ** np.floor_divide(t, step_size)


# cosine_lr ---------------------------------------------------------------------------------


def cosine_lr__math_cos_branch(t, lr0, num_steps, lr_min=0.0):
    """math.cos with an explicit branch for t >= num_steps."""
    import math

    if t >= num_steps:
        return lr_min
    return lr_min + (lr0 - lr_min) * (1.0 + math.cos(math.pi * t / num_steps)) / 2.0


def cosine_lr__squared_cosine(t, lr0, num_steps, lr_min=0.0):
    """The identity (1 + cos x) / 2 = cos(x / 2)**2, as a NumPy float."""
    x = np.pi * min(t, num_steps) / num_steps
    return lr_min + (lr0 - lr_min) * np.cos(x / 2.0) ** 2


def cosine_lr__warns_after_the_end(t, lr0, num_steps, lr_min=0.0):
    """Weights lr0 and lr_min by (1 + cos) / 2 and (1 - cos) / 2; prints a note past num_steps."""
    if t > num_steps:
        print(f"t = {t} is past num_steps = {num_steps}: the rate stays at lr_min")
        t = num_steps
    c = np.cos(np.pi * t / num_steps)
    return 0.5 * (1.0 + c) * lr0 + 0.5 * (1.0 - c) * lr_min


# sgdr_lr -----------------------------------------------------------------------------------


def sgdr_lr__closed_form_checked(t, lr0, period, mult=1, lr_min=0.0):
    """Closed form with a logarithm, the cycle index then corrected with exact integers."""
    import math

    t = int(t)
    if mult == 1:
        start, length = t - t % period, period
    else:
        i = int(math.log(t * (mult - 1) / period + 1) / math.log(mult))
        while i > 0 and period * (mult**i - 1) // (mult - 1) > t:
            i -= 1
        while period * (mult ** (i + 1) - 1) // (mult - 1) <= t:
            i += 1
        start, length = period * (mult**i - 1) // (mult - 1), period * mult**i
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + math.cos(math.pi * (t - start) / length))


def sgdr_lr__recursive(t, lr0, period, mult=1, lr_min=0.0):
    """Recursion on the remaining steps: past the first cycle, it is SGDR from period * mult."""
    import math

    t = int(t)
    while t >= period:
        if mult == 1:
            t %= period
            break
        t, period = t - period, period * mult
    return lr_min + (lr0 - lr_min) * math.cos(math.pi * t / period / 2.0) ** 2


def sgdr_lr__numpy_log_with_warning(t, lr0, period, mult=1, lr_min=0.0):
    """Computes log(mult) with NumPy before checking mult == 1 (a RuntimeWarning), then walks the cycles."""
    cycles_guess = np.log(t / period + 1.0) / np.log(float(mult))  # inf or nan for mult = 1
    if not np.isfinite(cycles_guess):
        cycles_guess = 0.0
    start, length = 0, period
    while t >= start + length:
        start += length
        length *= mult
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * (t - start) / length))
