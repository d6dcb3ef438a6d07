"""Wrong solutions of the problem set `schedules`: mistakes students make, one per function.

Each entry replaces the notebook's solution of the function before the double underscore and
must lose the points of the test cells that TESTS names for that function.
"""

import numpy as np

TESTS = {
    "linear_lr": ["test_linear_lr"],
    "exponential_lr": ["test_exponential_lr"],
    "step_lr": ["test_step_lr"],
    "cosine_lr": ["test_cosine_lr"],
    "sgdr_lr": ["test_sgdr_lr"],
}


# linear_lr ---------------------------------------------------------------------------------


def linear_lr__reaches_lr_tau_one_step_early(t, lr0, lr_tau, tau):
    """Interpolates with b = t / (tau - 1), so lr_tau is reached at t = tau - 1."""
    if t >= tau - 1:
        return float(lr_tau)
    b = t / (tau - 1)
    return (1.0 - b) * lr0 + b * lr_tau


def linear_lr__never_stops(t, lr0, lr_tau, tau):
    """Keeps the straight line going after tau instead of staying at lr_tau."""
    b = t / tau
    return (1.0 - b) * lr0 + b * lr_tau


def linear_lr__weights_swapped(t, lr0, lr_tau, tau):
    """Weights lr0 by b and lr_tau by 1 - b: starts at lr_tau and ends at lr0."""
    if t >= tau:
        return float(lr_tau)
    b = t / tau
    return b * lr0 + (1.0 - b) * lr_tau


def linear_lr__integer_division(t, lr0, lr_tau, tau):
    """b = t // tau: the rate stays lr0 until tau, then jumps to lr_tau."""
    b = min(t // tau, 1)
    return (1 - b) * lr0 + b * lr_tau


def linear_lr__clamped_below_at_lr_tau(t, lr0, lr_tau, tau):
    """max(line, lr_tau): right for decay, but a warm-up (lr_tau > lr0) is lr_tau from the start."""
    b = t / tau
    return max((1.0 - b) * lr0 + b * lr_tau, lr_tau)


def linear_lr__step_from_tau_plus_one(t, lr0, lr_tau, tau):
    """Divides the range into tau + 1 steps: (lr_tau - lr0) / (tau + 1) per step."""
    if t >= tau:
        return float(lr_tau)
    return lr0 + t * (lr_tau - lr0) / (tau + 1)


def linear_lr__single_precision(t, lr0, lr_tau, tau):
    """Computes in float32: rounding errors of 1e-8, far above the 1e-12 of double precision."""
    b = np.float32(min(t, tau)) / np.float32(tau)
    return float((np.float32(1.0) - b) * np.float32(lr0) + b * np.float32(lr_tau))


def linear_lr__fits_visible_tests(t, lr0, lr_tau, tau):
    """Right at the visible test's points (t = 0, tau / 2, tau, after tau), wrong in between."""
    if t >= tau:
        return float(lr_tau)
    if 2 * t == tau or t == 0:
        b = t / tau
    else:
        b = (t / tau) ** 2
    return (1.0 - b) * lr0 + b * lr_tau


# exponential_lr ----------------------------------------------------------------------------


def exponential_lr__exponent_t_plus_one(t, lr0, gamma):
    """lr0 * gamma**(t + 1): decays already at t = 0."""
    return lr0 * gamma ** (t + 1)


def exponential_lr__one_minus_gamma(t, lr0, gamma):
    """Reads gamma as the decay rate: lr0 * (1 - gamma)**t."""
    return lr0 * (1.0 - gamma) ** t


def exponential_lr__exp_of_minus_gamma_t(t, lr0, gamma):
    """lr0 * exp(-gamma t): the continuous form with gamma as the rate constant."""
    return lr0 * np.exp(-gamma * t)


def exponential_lr__fits_visible_tests(t, lr0, gamma):
    """A loop capped at 10 multiplications: right for the visible test's small t, wrong later."""
    lr = lr0
    for _ in range(min(int(t), 10)):
        lr *= gamma
    return lr


def exponential_lr__single_precision(t, lr0, gamma):
    """Computes gamma**t in float32."""
    return float(np.float32(lr0) * np.float32(gamma) ** np.float32(t))


# step_lr -----------------------------------------------------------------------------------


def step_lr__decays_one_step_early(t, lr0, gamma, step_size):
    """floor((t + 1) / step_size): the first decay comes at t = step_size - 1."""
    return lr0 * gamma ** ((t + 1) // step_size)


def step_lr__decays_one_step_late(t, lr0, gamma, step_size):
    """Counts decays with max(t - 1, 0) // step_size: the first decay comes at t = step_size + 1."""
    return lr0 * gamma ** (max(t - 1, 0) // step_size)


def step_lr__ceil(t, lr0, gamma, step_size):
    """ceil(t / step_size): the first decay already at t = 1."""
    return lr0 * gamma ** int(np.ceil(t / step_size))


def step_lr__rounds(t, lr0, gamma, step_size):
    """round(t / step_size) instead of the floor: decays half a period early."""
    return lr0 * gamma ** round(t / step_size)


def step_lr__no_floor(t, lr0, gamma, step_size):
    """gamma**(t / step_size): a smooth exponential decay, not a staircase."""
    return lr0 * gamma ** (t / step_size)


def step_lr__fits_visible_tests(t, lr0, gamma, step_size):
    """Decays once at t = step_size and never again (the visible test only looks up to 2 step_size)."""
    return lr0 * gamma if t >= step_size else float(lr0)


# cosine_lr ---------------------------------------------------------------------------------


def cosine_lr__rises_after_num_steps(t, lr0, num_steps, lr_min=0.0):
    """No clamp: after num_steps the cosine climbs back towards lr0."""
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * t / num_steps))


def cosine_lr__reaches_lr_min_one_step_early(t, lr0, num_steps, lr_min=0.0):
    """Divides by num_steps - 1: lr_min is reached at t = num_steps - 1."""
    if t >= num_steps - 1:
        return float(lr_min)
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * t / (num_steps - 1)))


def cosine_lr__lr_min_added_to_full_cosine(t, lr0, num_steps, lr_min=0.0):
    """lr_min + lr0 (1 + cos) / 2: starts at lr0 + lr_min instead of lr0."""
    t = min(t, num_steps)
    return lr_min + 0.5 * lr0 * (1.0 + np.cos(np.pi * t / num_steps))


def cosine_lr__full_period(t, lr0, num_steps, lr_min=0.0):
    """cos(2 pi t / num_steps): a whole period, back at lr0 at t = num_steps."""
    t = min(t, num_steps)
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(2.0 * np.pi * t / num_steps))


def cosine_lr__clamps_at_num_steps_minus_one(t, lr0, num_steps, lr_min=0.0):
    """Clamps t at num_steps - 1: never reaches lr_min."""
    t = min(t, num_steps - 1)
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * t / num_steps))


def cosine_lr__integer_division(t, lr0, num_steps, lr_min=0.0):
    """progress = t // num_steps: the rate stays lr0 until num_steps, then drops to lr_min."""
    progress = min(t, num_steps) // num_steps
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * progress))


def cosine_lr__changed_default_lr_min(t, lr0, num_steps, lr_min=1e-3):
    """Gives lr_min a small positive default instead of 0.0."""
    t = min(t, num_steps)
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * t / num_steps))


# sgdr_lr -----------------------------------------------------------------------------------


def sgdr_lr__never_multiplies_period(t, lr0, period, mult=1, lr_min=0.0):
    """Every cycle lasts period steps: mult is ignored."""
    t_cur = t % period
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * t_cur / period))


def sgdr_lr__restart_one_step_late(t, lr0, period, mult=1, lr_min=0.0):
    """Moves on to the next cycle only when t > start + length: restarts one step late."""
    start, length = 0, period
    while t > start + length:
        start += length
        length *= mult
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * (t - start) / length))


def sgdr_lr__cycle_ends_at_lr_min(t, lr0, period, mult=1, lr_min=0.0):
    """Divides by T_i - 1, so the last step of a cycle reaches lr_min."""
    start, length = 0, period
    while t >= start + length:
        start += length
        length *= mult
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * (t - start) / max(length - 1, 1)))


def sgdr_lr__period_grows_by_period(t, lr0, period, mult=1, lr_min=0.0):
    """Adds period * (mult - 1) at each restart: the cycles grow linearly, not geometrically."""
    start, length = 0, period
    while t >= start + length:
        start += length
        length += period * (mult - 1)
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * (t - start) / length))


def sgdr_lr__multiplies_before_first_restart(t, lr0, period, mult=1, lr_min=0.0):
    """Multiplies the period before the cycle is used: the first cycle lasts period * mult."""
    start, length = 0, period * mult
    while t >= start + length:
        start += length
        length *= mult
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * (t - start) / length))


def sgdr_lr__floating_point_logarithm(t, lr0, period, mult=1, lr_min=0.0):
    """Finds the cycle with floor(log(...) / log(mult)): wrong at exact powers such as 10**3."""
    import math

    if mult == 1:
        i = t // period
        start, length = i * period, period
    else:
        i = math.floor(math.log(t * (mult - 1) / period + 1) / math.log(mult))
        start, length = period * (mult**i - 1) // (mult - 1), period * mult**i
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + math.cos(math.pi * (t - start) / length))


def sgdr_lr__lr_min_ignored(t, lr0, period, mult=1, lr_min=0.0):
    """Anneals from lr0 to 0 and adds lr_min on top."""
    start, length = 0, period
    while t >= start + length:
        start += length
        length *= mult
    return lr_min + 0.5 * lr0 * (1.0 + np.cos(np.pi * (t - start) / length))


def sgdr_lr__remembers_last_cycle(t, lr0, period, mult=1, lr_min=0.0, _cache={}):
    """Caches the last cycle found and only searches forward: wrong when t goes back."""
    start, length = _cache.get((period, mult), (0, period))
    while t >= start + length:
        start += length
        length *= mult
    _cache[(period, mult)] = (start, length)
    return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * (t - start) / length))
