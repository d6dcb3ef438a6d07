"""Wrong solutions of the problem set `adaptive`: mistakes students really make.

Each entry is a complete function named `<function>__<mistake>`; the bank harness
(tests/banks.py) puts it in place of the instructor's `<function>` and checks that it loses
the points of the test cells that TESTS names for that function. `AdaGradState`,
`RMSPropState`, `AdamState` and `AdaDeltaState` are the NamedTuples that the notebook defines
before the solution cells.
"""
import numpy as np

TESTS = {
    "adagrad_step": ["test_adagrad_step"],
    "rmsprop_step": ["test_rmsprop_step"],
    "adam_step": ["test_adam_step"],
    "adamw_step": ["test_adamw_step"],
    "adadelta_step": ["test_adadelta_step"],
}


# ----------------------------------------------------------------------------- AdaGrad


def adagrad_step__accumulates_g(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Accumulates the gradient g instead of its square g * g."""
    g = grad_fn(theta)
    sum_sq = state.sum_sq + g
    return theta - lr * g / (np.sqrt(sum_sq) + eps), AdaGradState(t=state.t + 1, sum_sq=sum_sq)


def adagrad_step__accumulates_abs_g(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Accumulates |g| instead of g * g (a sum of absolute values, not of squares)."""
    g = grad_fn(theta)
    sum_sq = state.sum_sq + np.abs(g)
    return theta - lr * g / (np.sqrt(sum_sq) + eps), AdaGradState(t=state.t + 1, sum_sq=sum_sq)


def adagrad_step__old_sum_in_denominator(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Divides by the accumulator from before this step's g * g was added."""
    g = grad_fn(theta)
    new_theta = theta - lr * g / (np.sqrt(state.sum_sq) + eps)
    return new_theta, AdaGradState(t=state.t + 1, sum_sq=state.sum_sq + g * g)


def adagrad_step__eps_inside_sqrt(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Puts eps inside the square root, sqrt(sum_sq + eps), where the book adds it outside."""
    g = grad_fn(theta)
    sum_sq = state.sum_sq + g * g
    return theta - lr * g / np.sqrt(sum_sq + eps), AdaGradState(t=state.t + 1, sum_sq=sum_sq)


def adagrad_step__no_sqrt(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Divides by the sum of squares itself, forgetting its square root."""
    g = grad_fn(theta)
    sum_sq = state.sum_sq + g * g
    return theta - lr * g / (sum_sq + eps), AdaGradState(t=state.t + 1, sum_sq=sum_sq)


def adagrad_step__constant_gradient_shortcut(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Uses sqrt(t + 1) |g| for sqrt(sum_sq): right only while the gradient never changes (the visible test)."""
    g = grad_fn(theta)
    sum_sq = state.sum_sq + g * g
    new_theta = theta - lr * g / (np.sqrt(state.t + 1) * np.abs(g) + eps)
    return new_theta, AdaGradState(t=state.t + 1, sum_sq=sum_sq)


def adagrad_step__mutates_state(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Adds g * g to state.sum_sq in place: the caller's state changes."""
    g = grad_fn(theta)
    sum_sq = state.sum_sq
    sum_sq += g * g
    return theta - lr * g / (np.sqrt(sum_sq) + eps), AdaGradState(t=state.t + 1, sum_sq=sum_sq)


def adagrad_step__mutates_theta(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Updates theta in place (theta -= ...) and returns it."""
    g = grad_fn(theta)
    sum_sq = state.sum_sq + g * g
    theta -= lr * g / (np.sqrt(sum_sq) + eps)
    return theta, AdaGradState(t=state.t + 1, sum_sq=sum_sq)


def adagrad_step__counter_not_advanced(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Returns the state with the old counter t."""
    g = grad_fn(theta)
    sum_sq = state.sum_sq + g * g
    return theta - lr * g / (np.sqrt(sum_sq) + eps), AdaGradState(t=state.t, sum_sq=sum_sq)


def adagrad_step__grad_called_twice(theta, state, grad_fn, lr=0.01, eps=1e-7):
    """Calls grad_fn once for the accumulator and again for the step (two different minibatches)."""
    sum_sq = state.sum_sq + grad_fn(theta) ** 2
    new_theta = theta - lr * grad_fn(theta) / (np.sqrt(sum_sq) + eps)
    return new_theta, AdaGradState(t=state.t + 1, sum_sq=sum_sq)


def adagrad_step__torch_default_eps(theta, state, grad_fn, lr=0.01, eps=1e-10):
    """Takes PyTorch's default eps = 1e-10 instead of the book's 1e-7."""
    g = grad_fn(theta)
    sum_sq = state.sum_sq + g * g
    return theta - lr * g / (np.sqrt(sum_sq) + eps), AdaGradState(t=state.t + 1, sum_sq=sum_sq)


# ----------------------------------------------------------------------------- RMSProp


def rmsprop_step__rho_swapped(theta, state, grad_fn, lr=1e-3, rho=0.9, eps=1e-8, eps_inside_sqrt=False):
    """Swaps rho and 1 - rho: (1 - rho) * sq_avg + rho * g * g."""
    g = grad_fn(theta)
    sq_avg = (1.0 - rho) * state.sq_avg + rho * g * g
    denominator = np.sqrt(sq_avg + eps) if eps_inside_sqrt else np.sqrt(sq_avg) + eps
    return theta - lr * g / denominator, RMSPropState(t=state.t + 1, sq_avg=sq_avg)


def rmsprop_step__ignores_flag(theta, state, grad_fn, lr=1e-3, rho=0.9, eps=1e-8, eps_inside_sqrt=False):
    """Always adds eps outside the square root, whatever eps_inside_sqrt says."""
    g = grad_fn(theta)
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    return theta - lr * g / (np.sqrt(sq_avg) + eps), RMSPropState(t=state.t + 1, sq_avg=sq_avg)


def rmsprop_step__flag_inverted(theta, state, grad_fn, lr=1e-3, rho=0.9, eps=1e-8, eps_inside_sqrt=False):
    """Reads eps_inside_sqrt the wrong way round: eps inside the root by default."""
    g = grad_fn(theta)
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    denominator = np.sqrt(sq_avg) + eps if eps_inside_sqrt else np.sqrt(sq_avg + eps)
    return theta - lr * g / denominator, RMSPropState(t=state.t + 1, sq_avg=sq_avg)


def rmsprop_step__old_average_in_denominator(theta, state, grad_fn, lr=1e-3, rho=0.9, eps=1e-8,
                                             eps_inside_sqrt=False):
    """Divides by the average from before this step's g * g was added."""
    g = grad_fn(theta)
    denominator = np.sqrt(state.sq_avg + eps) if eps_inside_sqrt else np.sqrt(state.sq_avg) + eps
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    return theta - lr * g / denominator, RMSPropState(t=state.t + 1, sq_avg=sq_avg)


def rmsprop_step__bias_corrected(theta, state, grad_fn, lr=1e-3, rho=0.9, eps=1e-8, eps_inside_sqrt=False):
    """Divides sq_avg by 1 - rho^(t + 1) as Adam does: RMSProp has no bias correction."""
    g = grad_fn(theta)
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    s_hat = sq_avg / (1.0 - rho ** (state.t + 1))
    denominator = np.sqrt(s_hat + eps) if eps_inside_sqrt else np.sqrt(s_hat) + eps
    return theta - lr * g / denominator, RMSPropState(t=state.t + 1, sq_avg=sq_avg)


def rmsprop_step__mutates_theta(theta, state, grad_fn, lr=1e-3, rho=0.9, eps=1e-8, eps_inside_sqrt=False):
    """Updates theta in place (theta -= ...) and returns it."""
    g = grad_fn(theta)
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    denominator = np.sqrt(sq_avg + eps) if eps_inside_sqrt else np.sqrt(sq_avg) + eps
    theta -= lr * g / denominator
    return theta, RMSPropState(t=state.t + 1, sq_avg=sq_avg)


def rmsprop_step__mutates_state(theta, state, grad_fn, lr=1e-3, rho=0.9, eps=1e-8, eps_inside_sqrt=False):
    """Updates state.sq_avg in place (*= rho, += ...): the caller's state changes."""
    g = grad_fn(theta)
    sq_avg = state.sq_avg
    sq_avg *= rho
    sq_avg += (1.0 - rho) * g * g
    denominator = np.sqrt(sq_avg + eps) if eps_inside_sqrt else np.sqrt(sq_avg) + eps
    return theta - lr * g / denominator, RMSPropState(t=state.t + 1, sq_avg=sq_avg)


def rmsprop_step__torch_default_rho(theta, state, grad_fn, lr=1e-3, rho=0.99, eps=1e-8, eps_inside_sqrt=False):
    """Takes PyTorch's default decay rate alpha = 0.99 for rho instead of the book's 0.9."""
    g = grad_fn(theta)
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    denominator = np.sqrt(sq_avg + eps) if eps_inside_sqrt else np.sqrt(sq_avg) + eps
    return theta - lr * g / denominator, RMSPropState(t=state.t + 1, sq_avg=sq_avg)


# ----------------------------------------------------------------------------- Adam


def adam_step__no_bias_correction(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Leaves out the bias correction: steps with m / (sqrt(s) + eps)."""
    g = grad_fn(theta)
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    return theta - lr * m / (np.sqrt(s) + eps), AdamState(t=state.t + 1, m=m, s=s)


def adam_step__t_starts_at_0(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Corrects with the powers beta^t of the old counter instead of beta^(t + 1)."""
    g = grad_fn(theta)
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat = m / (1.0 - beta1**state.t)
    s_hat = s / (1.0 - beta2**state.t)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(t=state.t + 1, m=m, s=s)


def adam_step__powers_t_plus_2(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Advances the counter twice: corrects with beta^(t + 2), one step ahead."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat = m / (1.0 - beta1 ** (t + 1))
    s_hat = s / (1.0 - beta2 ** (t + 1))
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(t=t, m=m, s=s)


def adam_step__efficient_form_eps(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Uses the paper's 'efficient' form with eps added to sqrt(s) instead of sqrt(s_hat)."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    lr_t = lr * np.sqrt(1.0 - beta2**t) / (1.0 - beta1**t)
    return theta - lr_t * m / (np.sqrt(s) + eps), AdamState(t=t, m=m, s=s)


def adam_step__eps_inside_sqrt(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Puts eps inside the square root, sqrt(s_hat + eps), where the book adds it outside."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    return theta - lr * m_hat / np.sqrt(s_hat + eps), AdamState(t=t, m=m, s=s)


def adam_step__stores_corrected_moments(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Stores the bias-corrected m_hat and s_hat in the state instead of m and s."""
    g = grad_fn(theta)
    t = state.t + 1
    m_hat = (beta1 * state.m + (1.0 - beta1) * g) / (1.0 - beta1**t)
    s_hat = (beta2 * state.s + (1.0 - beta2) * g * g) / (1.0 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(t=t, m=m_hat, s=s_hat)


def adam_step__second_moment_of_m(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Averages the square of the new first moment m * m instead of g * g."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * m * m
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(t=t, m=m, s=s)


def adam_step__betas_swapped(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Uses beta2 for the first moment and beta1 for the second."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta2 * state.m + (1.0 - beta2) * g
    s = beta1 * state.s + (1.0 - beta1) * g * g
    m_hat, s_hat = m / (1.0 - beta2**t), s / (1.0 - beta1**t)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(t=t, m=m, s=s)


def adam_step__mutates_state(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Updates state.m and state.s in place (*=, +=): the caller's state changes."""
    g = grad_fn(theta)
    t = state.t + 1
    m, s = state.m, state.s
    m *= beta1
    m += (1.0 - beta1) * g
    s *= beta2
    s += (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(t=t, m=m, s=s)


def adam_step__lecture_default_beta2(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.99, eps=1e-8):
    """Takes the lecture decks' beta2 = 0.99 as the default instead of the paper's 0.999."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(t=t, m=m, s=s)


def adam_step__squeezes_theta(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Squeezes the new theta, which turns a 1-D theta of shape (1,) into a 0-d array: right for d >= 2 only."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    return np.squeeze(theta - lr * m_hat / (np.sqrt(s_hat) + eps)), AdamState(t=t, m=m, s=s)


# ----------------------------------------------------------------------------- AdamW


def adamw_step__l2_penalty(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    """Adds weight_decay * theta to the gradient (Adam with an L2 penalty), not decoupled."""
    g = grad_fn(theta) + weight_decay * theta
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(t=t, m=m, s=s)


def adamw_step__decay_after_step(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                                 weight_decay=1e-2):
    """Takes Adam's step first, then decays the new theta instead of the one from before the step."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    stepped = theta - lr * m_hat / (np.sqrt(s_hat) + eps)
    return stepped * (1.0 - lr * weight_decay), AdamState(t=t, m=m, s=s)


def adamw_step__decay_without_lr(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                                 weight_decay=1e-2):
    """Subtracts weight_decay * theta without the factor lr."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    new_theta = theta - lr * m_hat / (np.sqrt(s_hat) + eps) - weight_decay * theta
    return new_theta, AdamState(t=t, m=m, s=s)


def adamw_step__decay_normalized(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                                 weight_decay=1e-2):
    """Divides the decay by sqrt(s_hat) + eps along with m_hat."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    new_theta = theta - lr * (m_hat + weight_decay * theta) / (np.sqrt(s_hat) + eps)
    return new_theta, AdamState(t=t, m=m, s=s)


def adamw_step__no_bias_correction(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                                   weight_decay=1e-2):
    """Decays correctly but leaves out Adam's bias correction."""
    g = grad_fn(theta)
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    new_theta = theta - lr * (m / (np.sqrt(s) + eps) + weight_decay * theta)
    return new_theta, AdamState(t=state.t + 1, m=m, s=s)


def adamw_step__decay_sign_flipped(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                                   weight_decay=1e-2):
    """Adds lr * weight_decay * theta instead of subtracting it: the weights grow."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    new_theta = theta - lr * m_hat / (np.sqrt(s_hat) + eps) + lr * weight_decay * theta
    return new_theta, AdamState(t=t, m=m, s=s)


def adamw_step__mutates_theta(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    """Decays theta in place (theta *= 1 - lr * weight_decay) before Adam's step."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    theta *= 1.0 - lr * weight_decay
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), AdamState(t=t, m=m, s=s)


def adamw_step__torch_adam_weight_decay_default(theta, state, grad_fn, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                                                weight_decay=0.0):
    """Takes weight_decay = 0 as the default (PyTorch's Adam) instead of AdamW's 1e-2."""
    g = grad_fn(theta)
    t = state.t + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    s = beta2 * state.s + (1.0 - beta2) * g * g
    m_hat, s_hat = m / (1.0 - beta1**t), s / (1.0 - beta2**t)
    new_theta = theta - lr * (m_hat / (np.sqrt(s_hat) + eps) + weight_decay * theta)
    return new_theta, AdamState(t=t, m=m, s=s)


# ----------------------------------------------------------------------------- AdaDelta


def adadelta_step__lr_in_average(theta, state, grad_fn, lr=1.0, rho=0.95, eps=1e-6):
    """Averages the squares of the scaled step lr * delta in delta_sq_avg instead of delta."""
    g = grad_fn(theta)
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    step = -lr * np.sqrt(state.delta_sq_avg + eps) / np.sqrt(sq_avg + eps) * g
    delta_sq_avg = rho * state.delta_sq_avg + (1.0 - rho) * step * step
    return theta + step, AdaDeltaState(t=state.t + 1, sq_avg=sq_avg, delta_sq_avg=delta_sq_avg)


def adadelta_step__old_sq_avg(theta, state, grad_fn, lr=1.0, rho=0.95, eps=1e-6):
    """Computes the step with the old sq_avg, before this step's g * g was added."""
    g = grad_fn(theta)
    delta = -np.sqrt(state.delta_sq_avg + eps) / np.sqrt(state.sq_avg + eps) * g
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    delta_sq_avg = rho * state.delta_sq_avg + (1.0 - rho) * delta * delta
    return theta + lr * delta, AdaDeltaState(t=state.t + 1, sq_avg=sq_avg, delta_sq_avg=delta_sq_avg)


def adadelta_step__ratio_inverted(theta, state, grad_fn, lr=1.0, rho=0.95, eps=1e-6):
    """Takes the ratio of the roots upside down: sqrt(sq_avg + eps) / sqrt(delta_sq_avg + eps)."""
    g = grad_fn(theta)
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    delta = -np.sqrt(sq_avg + eps) / np.sqrt(state.delta_sq_avg + eps) * g
    delta_sq_avg = rho * state.delta_sq_avg + (1.0 - rho) * delta * delta
    return theta + lr * delta, AdaDeltaState(t=state.t + 1, sq_avg=sq_avg, delta_sq_avg=delta_sq_avg)


def adadelta_step__eps_outside_roots(theta, state, grad_fn, lr=1.0, rho=0.95, eps=1e-6):
    """Adds eps outside both square roots, as for Adam, where AdaDelta has it inside."""
    g = grad_fn(theta)
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    delta = -(np.sqrt(state.delta_sq_avg) + eps) / (np.sqrt(sq_avg) + eps) * g
    delta_sq_avg = rho * state.delta_sq_avg + (1.0 - rho) * delta * delta
    return theta + lr * delta, AdaDeltaState(t=state.t + 1, sq_avg=sq_avg, delta_sq_avg=delta_sq_avg)


def adadelta_step__step_sign_flipped(theta, state, grad_fn, lr=1.0, rho=0.95, eps=1e-6):
    """Subtracts delta, which already carries the minus sign: it climbs the gradient."""
    g = grad_fn(theta)
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    delta = -np.sqrt(state.delta_sq_avg + eps) / np.sqrt(sq_avg + eps) * g
    delta_sq_avg = rho * state.delta_sq_avg + (1.0 - rho) * delta * delta
    return theta - lr * delta, AdaDeltaState(t=state.t + 1, sq_avg=sq_avg, delta_sq_avg=delta_sq_avg)


def adadelta_step__ignores_lr(theta, state, grad_fn, lr=1.0, rho=0.95, eps=1e-6):
    """Follows the paper, which has no learning rate, and ignores lr."""
    g = grad_fn(theta)
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    delta = -np.sqrt(state.delta_sq_avg + eps) / np.sqrt(sq_avg + eps) * g
    delta_sq_avg = rho * state.delta_sq_avg + (1.0 - rho) * delta * delta
    return theta + delta, AdaDeltaState(t=state.t + 1, sq_avg=sq_avg, delta_sq_avg=delta_sq_avg)


def adadelta_step__mutates_state(theta, state, grad_fn, lr=1.0, rho=0.95, eps=1e-6):
    """Updates state.sq_avg and state.delta_sq_avg in place: the caller's state changes."""
    g = grad_fn(theta)
    sq_avg, delta_sq_avg = state.sq_avg, state.delta_sq_avg
    sq_avg *= rho
    sq_avg += (1.0 - rho) * g * g
    delta = -np.sqrt(delta_sq_avg + eps) / np.sqrt(sq_avg + eps) * g
    delta_sq_avg *= rho
    delta_sq_avg += (1.0 - rho) * delta * delta
    return theta + lr * delta, AdaDeltaState(t=state.t + 1, sq_avg=sq_avg, delta_sq_avg=delta_sq_avg)


def adadelta_step__torch_default_rho(theta, state, grad_fn, lr=1.0, rho=0.9, eps=1e-6):
    """Takes PyTorch's default rho = 0.9 instead of the paper's 0.95."""
    g = grad_fn(theta)
    sq_avg = rho * state.sq_avg + (1.0 - rho) * g * g
    delta = -np.sqrt(state.delta_sq_avg + eps) / np.sqrt(sq_avg + eps) * g
    delta_sq_avg = rho * state.delta_sq_avg + (1.0 - rho) * delta * delta
    return theta + lr * delta, AdaDeltaState(t=state.t + 1, sq_avg=sq_avg, delta_sq_avg=delta_sq_avg)
