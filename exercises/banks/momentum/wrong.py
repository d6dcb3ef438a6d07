"""Wrong solutions of the problem set `momentum`: mistakes students make, one per function.

Each entry replaces the notebook's solution of the function before the double underscore and
must lose the points of the test cells that TESTS names for that function. The entries use
the notebook's `MomentumState`.
"""

import numpy as np

TESTS = {
    "momentum_init": ["test_momentum"],
    "momentum_step": ["test_momentum", "test_long_run"],
    "nesterov_step": ["test_nesterov_step"],
    "gd_contraction": ["test_contraction"],
    "heavy_ball_contraction": ["test_contraction"],
}


# momentum_init -----------------------------------------------------------------------------


def momentum_init__counter_starts_at_one(theta):
    """Starts the step counter at t = 1."""
    return MomentumState(t=1, velocity=np.zeros_like(theta))


def momentum_init__scalar_velocity(theta):
    """Keeps the velocity as the number 0.0 instead of an array of theta's shape."""
    return MomentumState(t=0, velocity=0.0)


def momentum_init__two_dimensional_only(theta):
    """A velocity of shape (2,) whatever theta's shape (right for the visible test only)."""
    return MomentumState(t=0, velocity=np.zeros(2))


def momentum_init__zeroes_theta(theta):
    """Builds the zero velocity by zeroing theta in place (velocity = theta; velocity *= 0)."""
    velocity = theta
    velocity *= 0.0
    return MomentumState(t=0, velocity=velocity)


def momentum_init__plain_tuple(theta):
    """Returns a plain tuple (0, zeros) instead of a MomentumState with named fields."""
    return (0, np.zeros_like(theta))


def momentum_init__velocity_of_theta(theta):
    """Starts the velocity at theta instead of zero."""
    return MomentumState(t=0, velocity=np.array(theta, dtype=float))


def momentum_init__list_of_zeros(theta):
    """A Python list of zeros: momentum * velocity then repeats the list instead of scaling it."""
    return MomentumState(t=0, velocity=[0.0] * len(theta))


def momentum_init__integer_zeros(theta):
    """Zeros of integer dtype: an in-place update velocity -= lr * g then fails or truncates."""
    return MomentumState(t=0, velocity=np.zeros(len(theta), dtype=int))


# momentum_step -----------------------------------------------------------------------------


def momentum_step__gradient_sign_flipped(theta, state, grad_fn, lr, momentum=0.9):
    """Adds the gradient step: v <- momentum v + lr g (gradient ascent)."""
    g = grad_fn(theta)
    velocity = momentum * state.velocity + lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__no_momentum_decay(theta, state, grad_fn, lr, momentum=0.9):
    """Forgets to multiply the old velocity by momentum: v <- v - lr g."""
    g = grad_fn(theta)
    velocity = state.velocity - lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__negated_velocity_in_state(theta, state, grad_fn, lr, momentum=0.9):
    """Keeps -v in the state (u <- momentum u + lr g, theta <- theta - u): right iterates, wrong state."""
    g = grad_fn(theta)
    u = momentum * state.velocity + lr * g
    return theta - u, MomentumState(t=state.t + 1, velocity=u)


def momentum_step__moves_by_old_velocity(theta, state, grad_fn, lr, momentum=0.9):
    """Moves theta by the old velocity, then updates the velocity."""
    g = grad_fn(theta)
    new_theta = theta + state.velocity
    velocity = momentum * state.velocity - lr * g
    return new_theta, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__exponential_average(theta, state, grad_fn, lr, momentum=0.9):
    """Averages the gradients, v <- momentum v - (1 - momentum) lr g (Adam's first moment)."""
    g = grad_fn(theta)
    velocity = momentum * state.velocity - (1.0 - momentum) * lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__torch_buffer_in_state(theta, state, grad_fn, lr, momentum=0.9):
    """Keeps PyTorch's buffer b <- momentum b + g in the state and steps theta - lr b."""
    g = grad_fn(theta)
    buffer = momentum * state.velocity + g
    return theta - lr * buffer, MomentumState(t=state.t + 1, velocity=buffer)


def momentum_step__torch_buffer_divides_by_lr(theta, state, grad_fn, lr, momentum=0.9):
    """Converts v to PyTorch's buffer b = -v / lr and back: breaks for lr = 0."""
    g = grad_fn(theta)
    buffer = momentum * (-state.velocity / lr) + g
    velocity = -lr * buffer
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__in_place(theta, state, grad_fn, lr, momentum=0.9):
    """Updates theta and the velocity in place (theta += v): changes the caller's arrays."""
    g = grad_fn(theta)
    velocity = state.velocity
    velocity *= momentum
    velocity -= lr * g
    theta += velocity
    return theta, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__updates_theta_in_place_only(theta, state, grad_fn, lr, momentum=0.9):
    """Builds a new velocity but moves the caller's theta in place (theta += v)."""
    g = grad_fn(theta)
    velocity = momentum * state.velocity - lr * g
    theta += velocity
    return theta, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__counter_not_advanced(theta, state, grad_fn, lr, momentum=0.9):
    """Returns the old step counter t."""
    g = grad_fn(theta)
    velocity = momentum * state.velocity - lr * g
    return theta + velocity, MomentumState(t=state.t, velocity=velocity)


def momentum_step__gradient_at_look_ahead(theta, state, grad_fn, lr, momentum=0.9):
    """Takes the gradient at theta + momentum v: Nesterov, not the heavy ball."""
    g = grad_fn(theta + momentum * state.velocity)
    velocity = momentum * state.velocity - lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__calls_grad_fn_twice(theta, state, grad_fn, lr, momentum=0.9):
    """Calls grad_fn a second time to print the gradient norm."""
    velocity = momentum * state.velocity - lr * grad_fn(theta)
    print("gradient norm", np.linalg.norm(grad_fn(theta)))
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__momentum_ignored_when_starting(theta, state, grad_fn, lr, momentum=0.9):
    """Resets the velocity whenever state.t is 0, ignoring a velocity the state holds."""
    g = grad_fn(theta)
    old = np.zeros_like(theta) if state.t == 0 else state.velocity
    velocity = momentum * old - lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__default_momentum_zero_point_nine_nine(theta, state, grad_fn, lr, momentum=0.99):
    """Changes the default momentum to 0.99."""
    g = grad_fn(theta)
    velocity = momentum * state.velocity - lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__single_precision(theta, state, grad_fn, lr, momentum=0.9):
    """Computes the step in float32."""
    g = np.asarray(grad_fn(theta), dtype=np.float32)
    velocity = np.float32(momentum) * np.asarray(state.velocity, dtype=np.float32) - np.float32(lr) * g
    return (theta + velocity).astype(np.float32), MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__returns_lists(theta, state, grad_fn, lr, momentum=0.9):
    """Loops over the coordinates and returns Python lists, which theta + v concatenates."""
    g = grad_fn(theta)
    velocity = [momentum * v_i - lr * g_i for v_i, g_i in zip(state.velocity, g)]
    new_theta = [theta_i + v_i for theta_i, v_i in zip(theta, velocity)]
    return new_theta, MomentumState(t=state.t + 1, velocity=velocity)


def momentum_step__velocity_kept_in_memory(theta, state, grad_fn, lr, momentum=0.9, _memory={}):
    """Remembers the velocity between calls instead of reading it from the state."""
    old = _memory.get("velocity")
    if old is None or np.shape(old) != np.shape(theta) or state.t == 0:
        old = np.zeros_like(theta)
    velocity = momentum * old - lr * grad_fn(theta)
    _memory["velocity"] = velocity
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


# nesterov_step -----------------------------------------------------------------------------


def nesterov_step__gradient_at_theta(theta, state, grad_fn, lr, momentum=0.9):
    """Takes the gradient at theta: the heavy ball, not Nesterov."""
    g = grad_fn(theta)
    velocity = momentum * state.velocity - lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def nesterov_step__look_ahead_backwards(theta, state, grad_fn, lr, momentum=0.9):
    """Looks back instead of ahead: the gradient at theta - momentum v."""
    g = grad_fn(theta - momentum * state.velocity)
    velocity = momentum * state.velocity - lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def nesterov_step__look_ahead_without_momentum(theta, state, grad_fn, lr, momentum=0.9):
    """Looks ahead by the whole velocity: the gradient at theta + v."""
    g = grad_fn(theta + state.velocity)
    velocity = momentum * state.velocity - lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def nesterov_step__moves_from_look_ahead(theta, state, grad_fn, lr, momentum=0.9):
    """Returns the look-ahead point plus the new velocity instead of theta plus the new velocity."""
    look_ahead = theta + momentum * state.velocity
    velocity = momentum * state.velocity - lr * grad_fn(look_ahead)
    return look_ahead + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def nesterov_step__torch_form(theta, state, grad_fn, lr, momentum=0.9):
    """PyTorch's form, theta + momentum v - lr g(theta): its parameters are the look-ahead point."""
    g = grad_fn(theta)
    velocity = momentum * state.velocity - lr * g
    return theta + momentum * velocity - lr * g, MomentumState(t=state.t + 1, velocity=velocity)


def nesterov_step__velocity_decay_missing(theta, state, grad_fn, lr, momentum=0.9):
    """Looks ahead correctly but forgets momentum on the old velocity: v <- v - lr g(look-ahead)."""
    g = grad_fn(theta + momentum * state.velocity)
    velocity = state.velocity - lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def nesterov_step__in_place_velocity(theta, state, grad_fn, lr, momentum=0.9):
    """Scales the caller's velocity in place (v *= momentum) before the look-ahead."""
    velocity = state.velocity
    velocity *= momentum
    velocity -= lr * grad_fn(theta + velocity)
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


def nesterov_step__gradient_sign_flipped(theta, state, grad_fn, lr, momentum=0.9):
    """Adds the gradient step at the look-ahead point: v <- momentum v + lr g."""
    g = grad_fn(theta + momentum * state.velocity)
    velocity = momentum * state.velocity + lr * g
    return theta + velocity, MomentumState(t=state.t + 1, velocity=velocity)


# gd_contraction ----------------------------------------------------------------------------


def gd_contraction__one_minus_inverse_kappa(kappa):
    """1 - 1 / kappa: the factor with lr = 1 / L, not with the best lr = 2 / (L + mu)."""
    return 1.0 - 1.0 / kappa


def gd_contraction__squared(kappa):
    """((kappa - 1) / (kappa + 1))**2: the factor of the cost, not of the distance."""
    return ((kappa - 1.0) / (kappa + 1.0)) ** 2


def gd_contraction__with_square_roots(kappa):
    """(sqrt(kappa) - 1) / (sqrt(kappa) + 1): the heavy ball's factor."""
    return (np.sqrt(kappa) - 1.0) / (np.sqrt(kappa) + 1.0)


def gd_contraction__floor_division(kappa):
    """(kappa - 1) // (kappa + 1): floor division makes every factor 0."""
    return (kappa - 1) // (kappa + 1)


def gd_contraction__inverted(kappa):
    """(kappa + 1) / (kappa - 1) with 0 for kappa = 1: the reciprocal."""
    if kappa == 1:
        return 0.0
    return (kappa + 1.0) / (kappa - 1.0)


# heavy_ball_contraction --------------------------------------------------------------------


def heavy_ball_contraction__returns_alpha(kappa):
    """((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2: Polyak's momentum alpha, not sqrt(alpha)."""
    root = np.sqrt(kappa)
    return ((root - 1.0) / (root + 1.0)) ** 2


def heavy_ball_contraction__no_square_root(kappa):
    """(kappa - 1) / (kappa + 1): gradient descent's factor."""
    return (kappa - 1.0) / (kappa + 1.0)


def heavy_ball_contraction__one_minus_inverse_sqrt(kappa):
    """1 - 1 / sqrt(kappa): the rough rate, off by a factor 2 in the gap to 1."""
    return 1.0 - 1.0 / np.sqrt(kappa)


def heavy_ball_contraction__array_of_shape_one(kappa):
    """Returns np.array([q]), an array of shape (1,) instead of a number."""
    root = np.sqrt(np.atleast_1d(kappa))
    return (root - 1.0) / (root + 1.0)


def heavy_ball_contraction__square_root_of_gd(kappa):
    """sqrt((kappa - 1) / (kappa + 1)): the square root in the wrong place."""
    return np.sqrt((kappa - 1.0) / (kappa + 1.0))


def heavy_ball_contraction__single_precision(kappa):
    """Computes in float32: wrong by 1e-7 relative, and far off for kappa near 1e12."""
    root = np.sqrt(np.float32(kappa))
    return (root - np.float32(1.0)) / (root + np.float32(1.0))


def heavy_ball_contraction__integer_square_root(kappa):
    """math.isqrt(int(kappa)): right for perfect squares (1, 4, 9, 400) only."""
    import math

    root = math.isqrt(int(kappa))
    return (root - 1) / (root + 1)
