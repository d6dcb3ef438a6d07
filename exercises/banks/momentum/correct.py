"""Correct solutions of the problem set `momentum`, written differently from course_opt.

Each entry replaces the notebook's solution of the function before the double underscore and
must earn full marks on every autograded part. The entries use the notebook's `MomentumState`.
"""

import numpy as np


# momentum_init -----------------------------------------------------------------------------


def momentum_init__positional_and_multiplied(theta):
    """MomentumState built positionally, the zeros made as 0.0 * theta (a new array)."""
    return MomentumState(0, 0.0 * np.asarray(theta, dtype=float))


def momentum_init__list_comprehension(theta):
    """The zero velocity from a list comprehension, with a print."""
    velocity = np.array([0.0 for _ in range(len(theta))])
    print(f"momentum_init: d = {len(velocity)}")
    return MomentumState(t=0, velocity=velocity)


def momentum_init__full_like(theta):
    """np.full(theta.shape, 0.0) and a NumPy integer for t."""
    return MomentumState(t=np.int64(0), velocity=np.full(np.shape(theta), 0.0))


# momentum_step -----------------------------------------------------------------------------


def momentum_step__coordinate_loop(theta, state, grad_fn, lr, momentum=0.9):
    """A loop over the coordinates, building new lists."""
    g = grad_fn(theta)
    velocity = [momentum * state.velocity[i] - lr * g[i] for i in range(len(theta))]
    new_theta = [theta[i] + velocity[i] for i in range(len(theta))]
    return np.array(new_theta), MomentumState(t=state.t + 1, velocity=np.array(velocity))


def momentum_step__position_form(theta, state, grad_fn, lr, momentum=0.9):
    """theta + momentum (theta - theta_prev) - lr g, with the velocity recovered as a difference."""
    theta_prev = theta - state.velocity
    new_theta = theta - lr * grad_fn(theta) + momentum * (theta - theta_prev)
    return new_theta, MomentumState(state.t + 1, new_theta - theta)


def momentum_step__torch_buffer_inside(theta, state, grad_fn, lr, momentum=0.9):
    """Computes with PyTorch's buffer b = -v / lr when lr > 0, returns v; a list as the pair."""
    g = np.asarray(grad_fn(theta), dtype=float)
    if lr > 0:
        buffer = momentum * (-state.velocity / lr) + g
        velocity = -lr * buffer
    else:
        velocity = momentum * state.velocity
    return [theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)]


def momentum_step__warns_and_prints(theta, state, grad_fn, lr, momentum=0.9):
    """The reference's update, negated sum order; warns when lr = 0 and prints the step length."""
    import warnings

    if lr == 0:
        warnings.warn("lr = 0: only the velocity decays", RuntimeWarning)
    velocity = -(lr * grad_fn(theta) - momentum * state.velocity)
    print(f"step {state.t + 1}: |v| = {np.linalg.norm(velocity):.3e}")
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


# nesterov_step -----------------------------------------------------------------------------


def nesterov_step__coordinate_loop(theta, state, grad_fn, lr, momentum=0.9):
    """The look-ahead point and the update in loops over the coordinates."""
    d = len(theta)
    look_ahead = np.empty(d)
    for i in range(d):
        look_ahead[i] = theta[i] + momentum * state.velocity[i]
    g = grad_fn(look_ahead)
    velocity, new_theta = np.empty(d), np.empty(d)
    for i in range(d):
        velocity[i] = momentum * state.velocity[i] - lr * g[i]
        new_theta[i] = theta[i] + velocity[i]
    return new_theta, MomentumState(state.t + 1, velocity)


def nesterov_step__from_look_ahead(theta, state, grad_fn, lr, momentum=0.9):
    """The new theta as look_ahead - lr g (another order of the same sum); prints the look-ahead."""
    look_ahead = theta + momentum * state.velocity
    print("look-ahead point", look_ahead)
    g = grad_fn(look_ahead)
    new_theta = look_ahead - lr * g
    velocity = momentum * state.velocity - lr * g
    return new_theta, MomentumState(t=state.t + 1, velocity=velocity)


def nesterov_step__damped_velocity_form(theta, state, grad_fn, lr, momentum=0.9):
    """Copies the inputs first, then updates the copies in place."""
    theta, velocity = np.array(theta, dtype=float), np.array(state.velocity, dtype=float)
    velocity *= momentum
    velocity -= lr * np.asarray(grad_fn(theta + velocity))
    theta += velocity
    return theta, MomentumState(t=state.t + 1, velocity=velocity)


# gd_contraction ----------------------------------------------------------------------------


def gd_contraction__tanh(kappa):
    """tanh(log(kappa) / 2), which equals (kappa - 1) / (kappa + 1)."""
    import math

    return math.tanh(math.log(kappa) / 2.0)


def gd_contraction__one_minus(kappa):
    """1 - 2 / (kappa + 1) as a 0-d array, with a print."""
    q = np.asarray(1.0 - 2.0 / (kappa + 1.0))
    print("gd factor", q)
    return q


def gd_contraction__from_mu_and_L(kappa):
    """With mu = 1 and L = kappa: (L - mu) / (L + mu) as a NumPy float."""
    mu, L = np.float64(1.0), np.float64(kappa)
    return (L - mu) / (L + mu)


# heavy_ball_contraction --------------------------------------------------------------------


def heavy_ball_contraction__tanh(kappa):
    """tanh(log(kappa) / 4), which equals (sqrt(kappa) - 1) / (sqrt(kappa) + 1)."""
    import math

    return math.tanh(math.log(kappa) / 4.0)


def heavy_ball_contraction__sqrt_of_alpha(kappa):
    """sqrt(alpha) with Polyak's alpha = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2, via kappa**0.5."""
    alpha = ((kappa**0.5 - 1) / (kappa**0.5 + 1)) ** 2
    return alpha**0.5


def heavy_ball_contraction__one_minus_and_warn(kappa):
    """1 - 2 / (sqrt(kappa) + 1) as a 0-d array; warns for an ill-conditioned kappa."""
    import warnings

    if kappa > 1e8:
        warnings.warn(f"kappa = {kappa:g}: the heavy ball will need about {kappa ** 0.5 / 2:.0f} steps per factor e")
    return np.asarray(1.0 - 2.0 / (np.sqrt(kappa) + 1.0))
