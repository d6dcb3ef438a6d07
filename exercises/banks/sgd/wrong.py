"""Wrong solutions of the problem set `sgd`: mistakes students really make.

Each entry is a complete function named `<function>__<mistake>`; the bank harness
(tests/banks.py) puts it in place of the instructor's `<function>` and checks that it loses
the points of the test cells that TESTS names for that function. `SGDState` is the
NamedTuple that the notebook defines before the solution cells.
"""

import numpy as np

TESTS = {
    "minibatches": ["test_minibatches"],
    "sgd_step": ["test_sgd_step"],
    "inverse_time_lr": ["test_inverse_time_lr"],
    "linear_regression_data": ["test_linear_regression_data"],
}


# ----------------------------------------------------------------------------- minibatches


def minibatches__never_reshuffles(num_samples, batch_size, rng, num_epochs=1):
    """Draws one permutation and reuses it in every epoch."""
    permutation = rng.permutation(num_samples)
    for _ in range(num_epochs):
        for start in range(0, num_samples, batch_size):
            yield permutation[start:start + batch_size]


def minibatches__drops_last_partial_batch(num_samples, batch_size, rng, num_epochs=1):
    """Yields only full batches: the last partial batch of each epoch is dropped."""
    for _ in range(num_epochs):
        permutation = rng.permutation(num_samples)
        for start in range(0, num_samples - batch_size + 1, batch_size):
            yield permutation[start:start + batch_size]


def minibatches__no_shuffle(num_samples, batch_size, rng, num_epochs=1):
    """Cuts range(num_samples) in order: the samples are never shuffled."""
    indices = np.arange(num_samples)
    for _ in range(num_epochs):
        for start in range(0, num_samples, batch_size):
            yield indices[start:start + batch_size]


def minibatches__with_replacement(num_samples, batch_size, rng, num_epochs=1):
    """Draws each batch with replacement: samples repeat and others are never used in an epoch."""
    for _ in range(num_epochs):
        for start in range(0, num_samples, batch_size):
            size = min(batch_size, num_samples - start)
            yield rng.integers(0, num_samples, size=size)


def minibatches__global_numpy_random(num_samples, batch_size, rng, num_epochs=1):
    """Shuffles with np.random.permutation instead of the given rng."""
    for _ in range(num_epochs):
        permutation = np.random.permutation(num_samples)
        for start in range(0, num_samples, batch_size):
            yield permutation[start:start + batch_size]


def minibatches__new_generator(num_samples, batch_size, rng, num_epochs=1):
    """Shuffles with a new, unseeded generator instead of the given rng."""
    own_rng = np.random.default_rng()
    for _ in range(num_epochs):
        permutation = own_rng.permutation(num_samples)
        for start in range(0, num_samples, batch_size):
            yield permutation[start:start + batch_size]


def minibatches__shuffles_batch_order_only(num_samples, batch_size, rng, num_epochs=1):
    """Shuffles the order of fixed consecutive blocks, not the samples."""
    blocks = [np.arange(start, min(start + batch_size, num_samples)) for start in range(0, num_samples, batch_size)]
    for _ in range(num_epochs):
        for k in rng.permutation(len(blocks)):
            yield blocks[k]


def minibatches__balanced_array_split(num_samples, batch_size, rng, num_epochs=1):
    """np.array_split into ceil(N / m) parts: balanced sizes (4, 3, 3) instead of (4, 4, 2)."""
    num_batches = -(-num_samples // batch_size)
    for _ in range(num_epochs):
        yield from np.array_split(rng.permutation(num_samples), num_batches)


def minibatches__floor_number_of_batches(num_samples, batch_size, rng, num_epochs=1):
    """np.array_split into N // m parts: the remainder is spread over the batches (sizes above m)."""
    num_batches = max(num_samples // batch_size, 1)
    for _ in range(num_epochs):
        yield from np.array_split(rng.permutation(num_samples), num_batches)


def minibatches__partial_batch_merged(num_samples, batch_size, rng, num_epochs=1):
    """Merges the last partial batch into the one before it."""
    for _ in range(num_epochs):
        permutation = rng.permutation(num_samples)
        starts = list(range(0, num_samples, batch_size))
        if len(starts) > 1 and num_samples % batch_size:
            starts.pop()
        for k, start in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else num_samples
            yield permutation[start:end]


def minibatches__ignores_num_epochs(num_samples, batch_size, rng, num_epochs=1):
    """Yields a single epoch whatever num_epochs is."""
    permutation = rng.permutation(num_samples)
    for start in range(0, num_samples, batch_size):
        yield permutation[start:start + batch_size]


def minibatches__slice_one_short(num_samples, batch_size, rng, num_epochs=1):
    """Off by one in the slice: permutation[start:start + batch_size - 1] skips a sample per batch."""
    for _ in range(num_epochs):
        permutation = rng.permutation(num_samples)
        for start in range(0, num_samples, batch_size):
            yield permutation[start:start + batch_size - 1]


def minibatches__float_indices(num_samples, batch_size, rng, num_epochs=1):
    """Shuffles a float array (np.linspace) of the indices: batches of floats, not integers."""
    indices = np.linspace(0, num_samples - 1, num_samples)
    for _ in range(num_epochs):
        permutation = rng.permutation(indices)
        for start in range(0, num_samples, batch_size):
            yield permutation[start:start + batch_size]


# ----------------------------------------------------------------------------- sgd_step


def sgd_step__updates_theta_in_place(theta, state, grad_fn, lr):
    """theta -= lr * g: the caller's theta changes."""
    theta -= lr * grad_fn(theta)
    return theta, SGDState(t=state.t + 1)


def sgd_step__plus_sign(theta, state, grad_fn, lr):
    """Steps up the gradient: theta + lr * g."""
    return theta + lr * grad_fn(theta), SGDState(t=state.t + 1)


def sgd_step__calls_grad_fn_twice(theta, state, grad_fn, lr):
    """Calls grad_fn a second time to print the gradient's norm: every call may draw a new minibatch."""
    new_theta = theta - lr * grad_fn(theta)
    print("gradient norm:", np.linalg.norm(grad_fn(theta)))
    return new_theta, SGDState(t=state.t + 1)


def sgd_step__state_not_advanced(theta, state, grad_fn, lr):
    """Returns the state unchanged: t is never incremented."""
    return theta - lr * grad_fn(theta), state


def sgd_step__t_restarts_at_one(theta, state, grad_fn, lr):
    """Always returns SGDState(t=1): right only after the first step."""
    return theta - lr * grad_fn(theta), SGDState(t=1)


def sgd_step__float_counter(theta, state, grad_fn, lr):
    """Counts steps with a float: t becomes 1.0, 2.0, ..."""
    return theta - lr * grad_fn(theta), SGDState(t=state.t + 1.0)


def sgd_step__returns_state_first(theta, state, grad_fn, lr):
    """Returns (state, theta) instead of (theta, state)."""
    return SGDState(t=state.t + 1), theta - lr * grad_fn(theta)


def sgd_step__decays_lr_inside(theta, state, grad_fn, lr):
    """Applies the 1/t decay inside the step: lr / (1 + t) instead of the given lr."""
    return theta - lr / (1 + state.t) * grad_fn(theta), SGDState(t=state.t + 1)


def sgd_step__returns_counter_not_state(theta, state, grad_fn, lr):
    """Returns the new counter state.t + 1 instead of a new SGDState."""
    return theta - lr * grad_fn(theta), state.t + 1


def sgd_step__two_coordinates_only(theta, state, grad_fn, lr):
    """Writes out the update for theta[0] and theta[1]: right for 2-D inputs only."""
    grad = grad_fn(theta)
    return np.array([theta[0] - lr * grad[0], theta[1] - lr * grad[1]]), SGDState(t=state.t + 1)


def sgd_step__global_step_counter(theta, state, grad_fn, lr, _calls=[0]):
    """Counts the calls in a hidden global counter instead of reading state.t."""
    _calls[0] += 1
    return theta - lr * grad_fn(theta), SGDState(t=_calls[0])


def sgd_step__single_precision(theta, state, grad_fn, lr):
    """Returns theta in single precision (float32): off by about 1e-7 relative."""
    grad = grad_fn(theta)
    return (theta - lr * grad).astype(np.float32), SGDState(t=state.t + 1)


def sgd_step__normalized_gradient(theta, state, grad_fn, lr):
    """Normalizes the gradient to unit length (a different method)."""
    grad = grad_fn(theta)
    norm = np.linalg.norm(grad)
    return theta - lr * (grad / norm if norm > 0 else grad), SGDState(t=state.t + 1)


# ----------------------------------------------------------------------------- inverse_time_lr


def inverse_time_lr__off_by_one(t, lr0, decay=1.0):
    """Uses t + 1: the first rate is already decayed, lr0 / (1 + decay)."""
    return lr0 / (1.0 + decay * (t + 1))


def inverse_time_lr__missing_one(t, lr0, decay=1.0):
    """lr0 / (decay * t): no 1 in the denominator, infinite at t = 0."""
    return lr0 / (decay * t) if t > 0 else lr0


def inverse_time_lr__sqrt_decay(t, lr0, decay=1.0):
    """lr0 / sqrt(1 + decay * t): the inverse square-root schedule."""
    return lr0 / np.sqrt(1.0 + decay * t)


def inverse_time_lr__decay_multiplies(t, lr0, decay=1.0):
    """decay * lr0 / (1 + t): decay in the numerator instead of multiplying t."""
    return decay * lr0 / (1.0 + t) if decay else lr0


def inverse_time_lr__exponential(t, lr0, decay=1.0):
    """lr0 * exp(-decay * t): exponential decay instead of 1/t."""
    return lr0 * np.exp(-decay * t)


def inverse_time_lr__wrong_default_decay(t, lr0, decay=0.1):
    """Default decay 0.1 instead of the stated 1.0."""
    return lr0 / (1.0 + decay * t)


def inverse_time_lr__floor_division(t, lr0, decay=1.0):
    """lr0 // (1 + decay * t): floor division rounds the rate down."""
    return lr0 // (1 + decay * t)


def inverse_time_lr__array_of_one(t, lr0, decay=1.0):
    """Returns an array of shape (1,) instead of a number."""
    return np.array([lr0 / (1.0 + decay * t)])


def inverse_time_lr__decay_over_t(t, lr0, decay=1.0):
    """lr0 / (1 + t / decay): divides t by decay, so the rate halves at t = decay."""
    return lr0 / (1.0 + t / decay) if decay else lr0


def inverse_time_lr__float32(t, lr0, decay=1.0):
    """Computes in single precision (np.float32): off by about 1e-7 relative."""
    return np.float32(lr0) / (np.float32(1.0) + np.float32(decay) * np.float32(t))


# ----------------------------------------------------------------------------- linear_regression_data


def linear_regression_data__uniform_features(num_samples, theta_true, noise, rng):
    """Features uniform on [-sqrt 3, sqrt 3] (mean 0, variance 1, but not normal)."""
    X = rng.uniform(-np.sqrt(3.0), np.sqrt(3.0), size=(num_samples, len(theta_true)))
    return X, X @ theta_true + noise * rng.standard_normal(num_samples)


def linear_regression_data__noise_as_variance(num_samples, theta_true, noise, rng):
    """Multiplies by noise**2: noise read as the variance instead of the standard deviation."""
    X = rng.standard_normal((num_samples, len(theta_true)))
    return X, X @ theta_true + noise**2 * rng.standard_normal(num_samples)


def linear_regression_data__sqrt_noise(num_samples, theta_true, noise, rng):
    """rng.normal(0, sqrt(noise)): noise read as the variance, passed as the scale."""
    X = rng.standard_normal((num_samples, len(theta_true)))
    return X, X @ theta_true + rng.normal(0.0, np.sqrt(noise), size=num_samples)


def linear_regression_data__noise_as_loc(num_samples, theta_true, noise, rng):
    """rng.normal(noise, size=N): noise passed as the mean (loc), not the standard deviation."""
    X = rng.normal(size=(num_samples, len(theta_true)))
    return X, X @ theta_true + rng.normal(noise, size=num_samples)


def linear_regression_data__standardizes_features(num_samples, theta_true, noise, rng):
    """Standardizes each column of X to mean 0 and variance 1 exactly (nan for a single sample)."""
    X = rng.standard_normal((num_samples, len(theta_true)))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, X @ theta_true + noise * rng.standard_normal(num_samples)


def linear_regression_data__one_noise_draw(num_samples, theta_true, noise, rng):
    """Draws one noise value and adds it to every sample."""
    X = rng.standard_normal((num_samples, len(theta_true)))
    return X, X @ theta_true + noise * rng.standard_normal()


def linear_regression_data__global_numpy_random(num_samples, theta_true, noise, rng):
    """Draws with np.random.randn instead of the given rng."""
    X = np.random.randn(num_samples, len(theta_true))
    return X, X @ theta_true + noise * np.random.randn(num_samples)


def linear_regression_data__noise_on_features(num_samples, theta_true, noise, rng):
    """Adds the noise to the features and returns the clean X: y = (X + noise E) theta_true."""
    X = rng.standard_normal((num_samples, len(theta_true)))
    noisy = X + noise * rng.standard_normal(X.shape)
    return X, noisy @ theta_true


def linear_regression_data__noise_from_features(num_samples, theta_true, noise, rng):
    """Reuses the first feature column as the noise: the noise is correlated with X."""
    X = rng.standard_normal((num_samples, len(theta_true)))
    return X, X @ theta_true + noise * X[:, 0]


def linear_regression_data__transposed(num_samples, theta_true, noise, rng):
    """Returns X of shape (d, N), the samples as columns."""
    X = rng.standard_normal((len(theta_true), num_samples))
    return X, theta_true @ X + noise * rng.standard_normal(num_samples)


def linear_regression_data__y_as_column(num_samples, theta_true, noise, rng):
    """Returns y of shape (N, 1) instead of (N,)."""
    X = rng.standard_normal((num_samples, len(theta_true)))
    y = X @ theta_true.reshape(-1, 1) + noise * rng.standard_normal((num_samples, 1))
    return X, y


def linear_regression_data__reshapes_theta_in_place(num_samples, theta_true, noise, rng):
    """Sets theta_true.shape = (d, 1) to use it as a column: the caller's array changes shape."""
    theta_true.shape = (-1, 1)
    X = rng.standard_normal((num_samples, theta_true.shape[0]))
    y = (X @ theta_true).ravel() + noise * rng.standard_normal(num_samples)
    return X, y
