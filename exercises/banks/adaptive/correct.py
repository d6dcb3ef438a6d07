"""Correct solutions of the problem set `adaptive`, written differently from course_opt.

Each entry is a complete function named `<function>__<how it differs>`; the bank harness
(tests/banks.py) puts it in place of the instructor's `<function>` and checks that it earns
full marks on every autograded part. `AdaGradState`, `RMSPropState`, `AdamState` and
`AdaDeltaState` are the NamedTuples that the notebook defines before the solution cells, and
`adam_step` is the instructor's, which an AdamW entry may call.
"""
import numpy as np

# ----------------------------------------------------------------------------- AdaGrad


def adagrad_step__loop_over_coordinates(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """A Python loop over the coordinates with math.sqrt; t returned as a NumPy integer."""
    import math

    g = grad_fn(theta)
    new_theta, sum_sq = np.empty(len(theta)), np.empty(len(theta))
    for i in range(len(theta)):
        sum_sq[i] = state.sum_sq[i] + g[i] ** 2
        new_theta[i] = theta[i] - lr * g[i] / (math.sqrt(sum_sq[i]) + eps)
    return new_theta, AdaGradState(t=np.int64(state.t) + 1, sum_sq=sum_sq)


def adagrad_step__replace_and_print(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Builds the new state with state._replace, multiplies lr by a precomputed factor, and prints."""
    g = np.array(grad_fn(theta))
    sum_sq = state.sum_sq + np.square(g)
    factor = lr / (np.sqrt(sum_sq) + eps)
    print(f"AdaGrad step {state.t + 1}: largest factor {factor.max():.3g}")
    return theta - factor * g, state._replace(t=state.t + 1, sum_sq=sum_sq)


def adagrad_step__power_and_warning(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Writes the root as a power 0.5 and prints g / sqrt(sum_sq), whose 0 / 0 emits a numpy RuntimeWarning."""
    g = grad_fn(theta)
    sum_sq = state.sum_sq + g**2
    root = sum_sq**0.5
    with np.errstate(invalid="warn"):
        ratio = np.abs(g) / root  # 0 / 0 = nan where a coordinate has never had a gradient
    print("AdaGrad: |g| / sqrt(sum_sq) =", ratio)
    return theta - lr * g / (root + eps), AdaGradState(state.t + 1, sum_sq)


# ----------------------------------------------------------------------------- RMSProp


def rmsprop_step__incremental_average(theta, state, grad_fn, lr=1e-3, rho=0.9, eps=1e-8, eps_inside_sqrt=False):
    """Updates the average as sq_avg + (1 - rho) * (g * g - sq_avg), and passes positional state fields."""
    g = grad_fn(theta)
    sq_avg = state.sq_avg + (1.0 - rho) * (g * g - state.sq_avg)
    root = np.sqrt(sq_avg + eps) if eps_inside_sqrt else np.sqrt(sq_avg) + eps
    return theta - (lr / root) * g, RMSPropState(state.t + 1, sq_avg)


def rmsprop_step__loop_over_coordinates(theta, state, grad_fn, lr=1e-3, rho=0.9, eps=1e-8, eps_inside_sqrt=False):
    """A Python loop over the coordinates with math.sqrt, returning theta as a list."""
    import math

    g = grad_fn(theta)
    new_theta, sq_avg = [], np.zeros(len(theta))
    for i, (theta_i, g_i) in enumerate(zip(theta, g)):
        sq_avg[i] = rho * state.sq_avg[i] + (1 - rho) * g_i * g_i
        root = math.sqrt(sq_avg[i] + eps) if eps_inside_sqrt else math.sqrt(sq_avg[i]) + eps
        new_theta.append(float(theta_i - lr * g_i / root))
    print("rmsprop:", state.t + 1, "steps")
    return new_theta, RMSPropState(t=state.t + 1, sq_avg=sq_avg)


# ----------------------------------------------------------------------------- Adam


def adam_step__efficient_form_scaled_eps(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """The paper's efficient form with eps * sqrt(1 - beta2^t), which is identical to the book's."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    correction2 = np.sqrt(1.0 - beta2**t)
    lr_t = lr * correction2 / (1.0 - beta1**t)
    return theta - lr_t * m / (np.sqrt(s) + eps * correction2), AdamState(t=t, m=m, s=s)


def adam_step__incremental_moments(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Moves the moments towards g: m + (1 - beta1)(g - m); a warning is printed on the way."""
    import warnings

    g = grad_fn(theta)
    t = state.t + 1
    m = state.m + (1.0 - beta1) * (g - state.m)
    s = state.s + (1.0 - beta2) * (g**2 - state.s)
    if t == 1:
        warnings.warn("Adam: first step, the moments are bias-corrected", RuntimeWarning)
    m_hat = m * (1.0 / (1.0 - beta1**t))
    s_hat = s * (1.0 / (1.0 - beta2**t))
    return theta - lr * (m_hat / (np.sqrt(s_hat) + eps)), AdamState(t, m, s)


def adam_step__loop_over_coordinates(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """A Python loop over the coordinates with Python floats and math.sqrt."""
    import math

    g = grad_fn(theta)
    t = int(state.t) + 1
    new_theta, m, s = np.empty(len(theta)), np.empty(len(theta)), np.empty(len(theta))
    for i in range(len(theta)):
        m[i] = beta1 * float(state.m[i]) + (1 - beta1) * float(g[i])
        s[i] = beta2 * float(state.s[i]) + (1 - beta2) * float(g[i]) ** 2
        m_hat = m[i] / (1 - beta1**t)
        s_hat = s[i] / (1 - beta2**t)
        new_theta[i] = theta[i] - lr * m_hat / (math.sqrt(s_hat) + eps)
    return new_theta, AdamState(t=t, m=m, s=s)


# ----------------------------------------------------------------------------- AdamW


def adamw_step__decay_then_adam(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    """PyTorch's order: the Adam step of adam_step, then subtract lr * weight_decay * theta (old theta)."""
    stepped, new_state = adam_step(theta, state, grad_fn, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    return stepped - lr * weight_decay * theta, new_state


def adamw_step__shrink_factor(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    """Multiplies theta by 1 - lr * weight_decay and takes Adam's step written inline; prints the factor."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1 - beta1) * g
    s = beta2 * state.s + (1 - beta2) * np.square(g)
    shrink = 1.0 - lr * weight_decay
    print("AdamW shrink factor", shrink)
    adam_direction = (m / (1 - beta1**t)) / (np.sqrt(s / (1 - beta2**t)) + eps)
    return shrink * theta - lr * adam_direction, AdamState(t=t, m=m, s=s)


# ----------------------------------------------------------------------------- AdaDelta


def adadelta_step__root_of_ratio(theta, state, grad_fn, lr=1.0, rho=0.95, eps=1e-6):
    """Takes one square root of the ratio, sqrt((u + eps) / (s + eps)), and the incremental averages."""
    g = grad_fn(theta)
    sq_avg = state.sq_avg + (1 - rho) * (g * g - state.sq_avg)
    delta = -np.sqrt((state.delta_sq_avg + eps) / (sq_avg + eps)) * g
    delta_sq_avg = state.delta_sq_avg + (1 - rho) * (delta * delta - state.delta_sq_avg)
    return theta + lr * delta, AdaDeltaState(state.t + 1, sq_avg, delta_sq_avg)


def adadelta_step__loop_over_coordinates(theta, state, grad_fn, lr=1.0, rho=0.95, eps=1e-6):
    """A Python loop over the coordinates with math.sqrt, scaling the step after the averages."""
    import math

    g = grad_fn(theta)
    d = len(theta)
    sq_avg, delta_sq_avg, new_theta = np.zeros(d), np.zeros(d), np.zeros(d)
    for i in range(d):
        sq_avg[i] = rho * state.sq_avg[i] + (1.0 - rho) * g[i] * g[i]
        delta = -math.sqrt(state.delta_sq_avg[i] + eps) * g[i] / math.sqrt(sq_avg[i] + eps)
        delta_sq_avg[i] = rho * state.delta_sq_avg[i] + (1.0 - rho) * delta**2
        new_theta[i] = theta[i] + lr * delta
    return new_theta, AdaDeltaState(t=state.t + 1, sq_avg=sq_avg, delta_sq_avg=delta_sq_avg)
