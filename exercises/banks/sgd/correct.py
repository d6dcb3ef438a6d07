"""Correct solutions of the problem set `sgd`, written differently from course_opt.

Each entry is a complete function named `<function>__<how it differs>`; the bank harness
(tests/banks.py) puts it in place of the instructor's `<function>` and checks that it earns
full marks on every autograded part. `SGDState` is the NamedTuple that the notebook defines
before the solution cells.
"""

import numpy as np


# ----------------------------------------------------------------------------- minibatches


def minibatches__shuffle_in_place_views(num_samples, batch_size, rng, num_epochs=1):
    """Shuffles one index array in place with rng.shuffle each epoch and yields views of it."""
    indices = np.arange(num_samples)
    for _ in range(num_epochs):
        rng.shuffle(indices)
        start = 0
        while start < num_samples:
            yield indices[start:start + batch_size]
            start += batch_size


def minibatches__returns_list_of_lists(num_samples, batch_size, rng, num_epochs=1):
    """Returns a list of batches, each a list of Python ints, drawn with rng.choice without replacement."""
    batches = []
    for _ in range(num_epochs):
        order = [int(i) for i in rng.choice(num_samples, size=num_samples, replace=False)]
        batches.extend(order[k:k + batch_size] for k in range(0, num_samples, batch_size))
    return batches


def minibatches__argsort_of_uniforms_prints(num_samples, batch_size, rng, num_epochs=1):
    """A permutation as the argsort of uniform numbers, cut with np.split; prints what it yields."""
    print(f"{num_epochs} epoch(s) of {num_samples} samples in batches of {batch_size}")
    for _ in range(num_epochs):
        order = np.argsort(rng.random(num_samples))
        yield from np.split(order, np.arange(batch_size, num_samples, batch_size))


# ----------------------------------------------------------------------------- sgd_step


def sgd_step__replace_and_copy(theta, state, grad_fn, lr):
    """Updates a copy of theta in place and advances the state with NamedTuple._replace."""
    new_theta = np.array(theta, dtype=float, copy=True)
    new_theta -= lr * np.asarray(grad_fn(theta))
    return new_theta, state._replace(t=state.t + 1)


def sgd_step__loop_list_prints(theta, state, grad_fn, lr):
    """A loop over the coordinates, returns a list [theta, state]; prints the step counter."""
    grad = grad_fn(theta)
    new_theta = np.empty(len(theta))
    for i in range(len(theta)):
        new_theta[i] = theta[i] - lr * grad[i]
    print("step", state.t + 1)
    return [new_theta, SGDState(int(state.t) + 1)]


def sgd_step__numpy_ufuncs(theta, state, grad_fn, lr):
    """np.subtract and np.multiply, the counter as a NumPy integer."""
    step = np.multiply(lr, grad_fn(theta))
    return np.subtract(theta, step), SGDState(t=np.int64(state.t) + 1)


# ----------------------------------------------------------------------------- inverse_time_lr


def inverse_time_lr__reciprocal_power(t, lr0, decay=1.0):
    """lr0 * (1 + decay * t) ** -1 with Python floats: another order of floating-point operations."""
    return float(lr0) * (1.0 + float(decay) * float(t)) ** -1


def inverse_time_lr__numpy_zero_d_array(t, lr0, decay=1.0):
    """np.divide with np.add and np.multiply, returned as a 0-d array."""
    return np.asarray(np.divide(lr0, np.add(1.0, np.multiply(decay, t))))


def inverse_time_lr__halvings_warns(t, lr0, decay=1.0):
    """Divides by the number of half-lives: lr0 / (1 + t / (1 / decay)), numpy's divide-by-zero warning at decay = 0."""
    half_life = np.divide(1.0, np.float64(decay))  # inf with a RuntimeWarning when decay = 0
    return lr0 / (1.0 + t / half_life)


def inverse_time_lr__prints(t, lr0, decay=1.0):
    """The formula in two named steps, printing the rate."""
    denominator = 1 + decay * t
    rate = lr0 / denominator
    print(f"t = {t}: lr = {rate}")
    return rate


# ----------------------------------------------------------------------------- linear_regression_data


def linear_regression_data__noise_first_normal(num_samples, theta_true, noise, rng):
    """Draws the noise first, with rng.normal(0, noise), then X with rng.normal; returns a list [X, y]."""
    epsilon = rng.normal(0.0, noise, size=num_samples)
    X = rng.normal(size=(num_samples, theta_true.size))
    return [X, X @ theta_true + epsilon]


def linear_regression_data__row_by_row(num_samples, theta_true, noise, rng):
    """Draws one sample at a time in a loop (another order of draws and of the dot products)."""
    d = len(theta_true)
    X = np.empty((num_samples, d))
    y = np.empty(num_samples)
    for i in range(num_samples):
        x = rng.standard_normal(d)
        X[i] = x
        y[i] = sum(x[j] * theta_true[j] for j in range(d)) + noise * rng.standard_normal()
    return X, y


def linear_regression_data__einsum_prints(num_samples, theta_true, noise, rng):
    """np.einsum for X theta_true, theta_true made a float copy first; prints the shapes."""
    theta = np.array(theta_true, dtype=float)
    X = rng.standard_normal(size=(num_samples, theta.shape[0]))
    epsilon = rng.standard_normal(size=num_samples)
    print("X", X.shape, "theta_true", theta.shape)
    return X, np.einsum("ij,j->i", X, theta) + noise * epsilon


def linear_regression_data__transposed_draw(num_samples, theta_true, noise, rng):
    """Draws a (d, N) array and transposes it (a non-contiguous X), y as theta_true @ X.T."""
    X = rng.standard_normal((len(theta_true), num_samples)).T
    y = theta_true @ X.T + noise * rng.standard_normal(num_samples)
    return X, y
