"""Wrong solutions to the problem set `challenges` (gradient clipping and initialization).

Each entry is a complete function that a student could plausibly hand in, named
``<function>__<mistake>``; the first line of its docstring states the mistake. The bank
harness (tests/banks.py) injects each one in place of the instructor's solution and asserts
that it loses points on the test cells that TESTS names for its function.
"""

import numpy as np

TESTS = {
    "clip_by_norm": ["test_clip_by_norm"],
    "clip_by_value": ["test_clip_by_value"],
    "xavier_bound": ["test_xavier_bound", "test_xavier_uniform"],
    "xavier_uniform": ["test_xavier_uniform"],
    "he_normal": ["test_he_normal"],
    "permute_hidden_units": ["test_permute_hidden_units"],
}


# --- Part 1: clip_by_norm -------------------------------------------------------------------


def clip_by_norm__clips_each_coordinate(grad, max_norm):
    """Clips each coordinate to [-max_norm, max_norm] when the norm is asked for."""
    return np.clip(grad, -max_norm, max_norm)


def clip_by_norm__always_rescales(grad, max_norm):
    """Rescales every gradient to norm max_norm, also the short ones (forgets the min with 1)."""
    norm = np.linalg.norm(grad)
    if norm == 0.0:
        return grad.copy()
    return grad * (max_norm / norm)


def clip_by_norm__eps_added_to_norm(grad, max_norm):
    """Adds 1e-6 to the norm, as some libraries do: the result is shorter than max_norm."""
    norm = np.linalg.norm(grad)
    if norm > max_norm:
        return grad * (max_norm / (norm + 1e-6))
    return grad.copy()


def clip_by_norm__squared_norm(grad, max_norm):
    """Compares and divides by the squared norm sum(g_i^2) instead of the norm."""
    norm_sq = np.sum(grad**2)
    if norm_sq > max_norm:
        return grad * (max_norm / norm_sq)
    return grad.copy()


def clip_by_norm__l1_norm(grad, max_norm):
    """Uses the L1 norm sum(|g_i|) instead of the Euclidean norm."""
    norm = np.sum(np.abs(grad))
    if norm > max_norm:
        return grad * (max_norm / norm)
    return grad.copy()


def clip_by_norm__nan_for_zero_gradient(grad, max_norm):
    """Returns grad / ||g|| * min(||g||, max_norm): right for every gradient but zero, which gives nan."""
    norm = np.linalg.norm(grad)
    return grad / norm * min(norm, max_norm)


def clip_by_norm__mutates_grad(grad, max_norm):
    """Rescales grad in place (grad *= scale) and returns it."""
    norm = np.linalg.norm(grad)
    if norm > max_norm:
        grad *= max_norm / norm
    return grad


def clip_by_norm__returns_grad_when_short(grad, max_norm):
    """Returns grad itself, not a copy, when nothing is clipped."""
    norm = np.linalg.norm(grad)
    if norm > max_norm:
        return grad * (max_norm / norm)
    return grad


def clip_by_norm__scales_grad_in_place(grad, max_norm):
    """Rescales grad in place (grad *= scale) when it is too long, then returns a copy."""
    norm = np.linalg.norm(grad)
    if norm > max_norm:
        grad *= max_norm / norm
    return grad.copy()


def clip_by_norm__first_two_entries_only(grad, max_norm):
    """Takes the norm as hypot(g_0, g_1): right for 2-D gradients only."""
    norm = np.hypot(grad[0], grad[1]) if grad.size > 1 else abs(grad[0])
    if norm > max_norm:
        return grad * (max_norm / norm)
    return grad.copy()


def clip_by_norm__float32_norm(grad, max_norm):
    """Sums the squares in float32, so tiny and huge gradients get a zero or infinite norm."""
    norm = float(np.sqrt(np.sum(grad.astype(np.float32) ** 2)))
    if norm > max_norm:
        return grad * (max_norm / norm)
    return grad.copy()


def clip_by_norm__visible_cases_only(grad, max_norm):
    """Divides by the largest entry times 5/4, which gives the norm for (3, 4) only."""
    norm = 1.25 * np.max(np.abs(grad)) if grad.size > 1 else abs(grad[0])
    if norm > max_norm:
        return grad * (max_norm / norm)
    return grad.copy()


# --- Part 2: clip_by_value ------------------------------------------------------------------


def clip_by_value__rescales_whole_vector(grad, max_value):
    """Rescales the whole vector so that its largest entry is max_value, as if clipping by norm."""
    largest = np.max(np.abs(grad))
    if largest > max_value:
        return grad * (max_value / largest)
    return grad.copy()


def clip_by_value__loses_sign(grad, max_value):
    """Clips |g_i| to max_value and forgets the sign of the entries."""
    return np.minimum(np.abs(grad), max_value)


def clip_by_value__upper_bound_only(grad, max_value):
    """Clips from above only: entries below -max_value are kept."""
    return np.minimum(grad, max_value)


def clip_by_value__clipped_to_zero(grad, max_value):
    """Sets the entries outside [-max_value, max_value] to zero instead of to +-max_value."""
    return np.where(np.abs(grad) > max_value, 0.0, grad)


def clip_by_value__mutates_grad(grad, max_value):
    """Clips grad in place (np.clip with out=grad) and returns it."""
    np.clip(grad, -max_value, max_value, out=grad)
    return grad


def clip_by_value__returns_grad_when_inside(grad, max_value):
    """Returns grad itself, not a copy, when no entry needs clipping."""
    if np.all(np.abs(grad) <= max_value):
        return grad
    return np.clip(grad, -max_value, max_value)


def clip_by_value__bounds_swapped(grad, max_value):
    """Takes the max with max_value and the min with -max_value (bounds in the wrong order)."""
    return np.maximum(np.minimum(grad, -max_value), max_value)


def clip_by_value__bound_cast_to_int(grad, max_value):
    """Casts max_value to int, so a bound of 1.5 clips to [-1, 1] and one below 1 clips everything to 0."""
    bound = int(max_value)
    return np.clip(grad, -bound, bound)


# --- Part 3: xavier_bound -------------------------------------------------------------------


def xavier_bound__fan_in_only(fan_in, fan_out):
    """Takes the bound from fan_in only: sqrt(6 / fan_in)."""
    return float(np.sqrt(6.0 / fan_in))


def xavier_bound__returns_std(fan_in, fan_out):
    """Returns the standard deviation sqrt(2 / (fan_in + fan_out)), not the bound of the uniform."""
    return float(np.sqrt(2.0 / (fan_in + fan_out)))


def xavier_bound__sqrt_of_numerator_only(fan_in, fan_out):
    """Takes the square root of 6 only: sqrt(6) / (fan_in + fan_out)."""
    return float(np.sqrt(6.0) / (fan_in + fan_out))


def xavier_bound__integer_division(fan_in, fan_out):
    """Divides with //: 6 // (fan_in + fan_out) is 0 for any layer wider than 6 in total."""
    return float(np.sqrt(6 // (fan_in + fan_out)))


def xavier_bound__lecun_uniform(fan_in, fan_out):
    """Uses LeCun's bound sqrt(3 / fan_in) instead of Glorot's."""
    return float(np.sqrt(3.0 / fan_in))


def xavier_bound__product_of_fans(fan_in, fan_out):
    """Divides by fan_in * fan_out instead of fan_in + fan_out."""
    return float(np.sqrt(6.0 / (fan_in * fan_out)))


def xavier_bound__array_of_shape_one(fan_in, fan_out):
    """Returns an array of shape (1,) instead of a single number."""
    return np.sqrt(np.array([6.0 / (fan_in + fan_out)]))


def xavier_bound__visible_cases_only(fan_in, fan_out):
    """Hard-codes the values of the visible tests and returns sqrt(3) otherwise."""
    known = {(2, 4): 1.0, (100, 200): float(np.sqrt(0.02))}
    return known.get((fan_in, fan_out), float(np.sqrt(3.0)))


# --- Part 4: xavier_uniform -----------------------------------------------------------------


def xavier_uniform__bound_from_fan_in(fan_in, fan_out, rng):
    """Draws from U(-sqrt(6 / fan_in), sqrt(6 / fan_in)): the bound from fan_in only."""
    bound = np.sqrt(6.0 / fan_in)
    return rng.uniform(-bound, bound, size=(fan_in, fan_out))


def xavier_uniform__std_as_bound(fan_in, fan_out, rng):
    """Uses the standard deviation sqrt(2 / (fan_in + fan_out)) as the bound of the interval."""
    bound = np.sqrt(2.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=(fan_in, fan_out))


def xavier_uniform__positive_only(fan_in, fan_out, rng):
    """Draws from [0, a) with rng.random() * a: every weight positive, mean a / 2."""
    return xavier_bound(fan_in, fan_out) * rng.random((fan_in, fan_out))


def xavier_uniform__gaussian_xavier(fan_in, fan_out, rng):
    """Draws the Gaussian N(0, 2 / (fan_in + fan_out)) instead of the uniform."""
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


def xavier_uniform__transposed_shape(fan_in, fan_out, rng):
    """Returns shape (fan_out, fan_in), the PyTorch layout, instead of (fan_in, fan_out)."""
    bound = xavier_bound(fan_in, fan_out)
    return rng.uniform(-bound, bound, size=(fan_out, fan_in))


def xavier_uniform__global_numpy_random(fan_in, fan_out, rng):
    """Draws from np.random.uniform, ignoring the generator it is given."""
    bound = xavier_bound(fan_in, fan_out)
    return np.random.uniform(-bound, bound, size=(fan_in, fan_out))


def xavier_uniform__fixed_seed_generator(fan_in, fan_out, rng):
    """Makes its own generator np.random.default_rng(0): every call gives the same weights."""
    bound = xavier_bound(fan_in, fan_out)
    return np.random.default_rng(0).uniform(-bound, bound, size=(fan_in, fan_out))


def xavier_uniform__one_row_repeated(fan_in, fan_out, rng):
    """Draws one row of fan_out weights and repeats it for every input: the rows are equal."""
    bound = xavier_bound(fan_in, fan_out)
    row = rng.uniform(-bound, bound, size=fan_out)
    return np.tile(row, (fan_in, 1))


def xavier_uniform__one_number_for_all_weights(fan_in, fan_out, rng):
    """Draws a single number and gives it to every weight: the symmetry between units is not broken."""
    bound = xavier_bound(fan_in, fan_out)
    return np.full((fan_in, fan_out), rng.uniform(-bound, bound))


def xavier_uniform__copy_of_rng(fan_in, fan_out, rng):
    """Draws from a copy of rng, which never advances: two layers start equal."""
    import copy

    bound = xavier_bound(fan_in, fan_out)
    return copy.deepcopy(rng).uniform(-bound, bound, size=(fan_in, fan_out))


# --- Part 5: he_normal ----------------------------------------------------------------------


def he_normal__variance_as_std(fan_in, fan_out, rng):
    """Passes the variance 2 / fan_in to rng.normal as its scale (a standard deviation)."""
    return rng.normal(0.0, 2.0 / fan_in, size=(fan_in, fan_out))


def he_normal__fan_out(fan_in, fan_out, rng):
    """Takes the variance from fan_out: N(0, 2 / fan_out)."""
    return np.sqrt(2.0 / fan_out) * rng.standard_normal((fan_in, fan_out))


def he_normal__lecun_variance(fan_in, fan_out, rng):
    """Forgets the factor 2 of ReLU: N(0, 1 / fan_in)."""
    return np.sqrt(1.0 / fan_in) * rng.standard_normal((fan_in, fan_out))


def he_normal__two_outside_the_sqrt(fan_in, fan_out, rng):
    """Scales by 2 / sqrt(fan_in) instead of sqrt(2 / fan_in): variance 4 / fan_in."""
    return 2.0 / np.sqrt(fan_in) * rng.standard_normal((fan_in, fan_out))


def he_normal__xavier_variance(fan_in, fan_out, rng):
    """Uses Xavier's variance 2 / (fan_in + fan_out) instead of He's 2 / fan_in."""
    return np.sqrt(2.0 / (fan_in + fan_out)) * rng.standard_normal((fan_in, fan_out))


def he_normal__truncated_at_two_std(fan_in, fan_out, rng):
    """Redraws the weights beyond two standard deviations (a truncated normal, as some libraries do)."""
    z = rng.standard_normal((fan_in, fan_out))
    outside = np.abs(z) > 2.0
    while np.any(outside):
        z[outside] = rng.standard_normal(np.count_nonzero(outside))
        outside = np.abs(z) > 2.0
    return np.sqrt(2.0 / fan_in) * z


def he_normal__truncated_with_variance_corrected(fan_in, fan_out, rng):
    """Draws a normal truncated at two standard deviations, rescaled to variance 2 / fan_in (as Keras does)."""
    z = rng.standard_normal((fan_in, fan_out))
    outside = np.abs(z) > 2.0
    while np.any(outside):
        z[outside] = rng.standard_normal(np.count_nonzero(outside))
        outside = np.abs(z) > 2.0
    return np.sqrt(2.0 / fan_in) / 0.87962566103423978 * z


def he_normal__uniform_with_he_variance(fan_in, fan_out, rng):
    """Draws from a uniform of variance 2 / fan_in (He uniform) instead of a Gaussian."""
    bound = np.sqrt(6.0 / fan_in)
    return rng.uniform(-bound, bound, size=(fan_in, fan_out))


def he_normal__global_numpy_random(fan_in, fan_out, rng):
    """Draws from np.random.randn, ignoring the generator it is given."""
    return np.sqrt(2.0 / fan_in) * np.random.randn(fan_in, fan_out)


def he_normal__new_generator_per_call(fan_in, fan_out, rng):
    """Makes an unseeded generator of its own: the same seed gives different weights."""
    return np.sqrt(2.0 / fan_in) * np.random.default_rng().standard_normal((fan_in, fan_out))


# --- Part 6: permute_hidden_units -----------------------------------------------------------


def permute_hidden_units__inverse_permutation(theta, layer_sizes, layer, perm):
    """Applies the inverse permutation: unit perm[j] of the new network is unit j of the old."""

    def split(theta, layer_sizes):
        params, start = [], 0
        for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            W = theta[start:start + fan_in * fan_out].reshape(fan_in, fan_out).copy()
            start += fan_in * fan_out
            params.append((W, theta[start:start + fan_out].copy()))
            start += fan_out
        return params

    params = split(theta, layer_sizes)
    (W_in, b_in), (W_out, b_out) = params[layer - 1], params[layer]
    new_W_in, new_b_in, new_W_out = W_in.copy(), b_in.copy(), W_out.copy()
    new_W_in[:, perm] = W_in
    new_b_in[perm] = b_in
    new_W_out[perm, :] = W_out
    params[layer - 1] = (new_W_in, new_b_in)
    params[layer] = (new_W_out, b_out)
    return np.concatenate([piece for W, b in params for piece in (W.ravel(), b)])


def permute_hidden_units__outgoing_weights_kept(theta, layer_sizes, layer, perm):
    """Reorders the incoming weights and biases but forgets the rows of W_{layer+1}."""

    def split(theta, layer_sizes):
        params, start = [], 0
        for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            W = theta[start:start + fan_in * fan_out].reshape(fan_in, fan_out).copy()
            start += fan_in * fan_out
            params.append((W, theta[start:start + fan_out].copy()))
            start += fan_out
        return params

    params = split(theta, layer_sizes)
    W_in, b_in = params[layer - 1]
    params[layer - 1] = (W_in[:, perm], b_in[perm])
    return np.concatenate([piece for W, b in params for piece in (W.ravel(), b)])


def permute_hidden_units__bias_kept(theta, layer_sizes, layer, perm):
    """Reorders the weights of both layers but forgets the bias b_layer."""

    def split(theta, layer_sizes):
        params, start = [], 0
        for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            W = theta[start:start + fan_in * fan_out].reshape(fan_in, fan_out).copy()
            start += fan_in * fan_out
            params.append((W, theta[start:start + fan_out].copy()))
            start += fan_out
        return params

    params = split(theta, layer_sizes)
    (W_in, b_in), (W_out, b_out) = params[layer - 1], params[layer]
    params[layer - 1] = (W_in[:, perm], b_in)
    params[layer] = (W_out[perm, :], b_out)
    return np.concatenate([piece for W, b in params for piece in (W.ravel(), b)])


def permute_hidden_units__rows_and_columns_swapped(theta, layer_sizes, layer, perm):
    """Reorders the rows of W_layer and the columns of W_{layer+1}: the wrong axes."""

    def split(theta, layer_sizes):
        params, start = [], 0
        for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            W = theta[start:start + fan_in * fan_out].reshape(fan_in, fan_out).copy()
            start += fan_in * fan_out
            params.append((W, theta[start:start + fan_out].copy()))
            start += fan_out
        return params

    params = split(theta, layer_sizes)
    (W_in, b_in), (W_out, b_out) = params[layer - 1], params[layer]
    params[layer - 1] = (W_in[perm, :], b_in[perm])
    params[layer] = (W_out[:, perm], b_out)
    return np.concatenate([piece for W, b in params for piece in (W.ravel(), b)])


def permute_hidden_units__layer_counted_from_zero(theta, layer_sizes, layer, perm):
    """Treats layer as 0-based: permutes the blocks of layers layer + 1 and layer + 2."""

    def split(theta, layer_sizes):
        params, start = [], 0
        for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            W = theta[start:start + fan_in * fan_out].reshape(fan_in, fan_out).copy()
            start += fan_in * fan_out
            params.append((W, theta[start:start + fan_out].copy()))
            start += fan_out
        return params

    params = split(theta, layer_sizes)
    (W_in, b_in), (W_out, b_out) = params[layer], params[layer + 1]
    params[layer] = (W_in[:, perm], b_in[perm])
    params[layer + 1] = (W_out[perm, :], b_out)
    return np.concatenate([piece for W, b in params for piece in (W.ravel(), b)])


def permute_hidden_units__column_major_reshape(theta, layer_sizes, layer, perm):
    """Reshapes each W column by column (order="F"), not row by row as the layout says."""
    params, start = [], 0
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        W = theta[start:start + fan_in * fan_out].reshape(fan_in, fan_out, order="F").copy()
        start += fan_in * fan_out
        params.append((W, theta[start:start + fan_out].copy()))
        start += fan_out
    (W_in, b_in), (W_out, b_out) = params[layer - 1], params[layer]
    params[layer - 1] = (W_in[:, perm], b_in[perm])
    params[layer] = (W_out[perm, :], b_out)
    return np.concatenate([piece for W, b in params for piece in (W.ravel(order="F"), b)])


def permute_hidden_units__mutates_theta(theta, layer_sizes, layer, perm):
    """Writes the permuted blocks back into theta through views and returns theta."""
    start = 0
    for l, (fan_in, fan_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        W = theta[start:start + fan_in * fan_out].reshape(fan_in, fan_out)
        start += fan_in * fan_out
        b = theta[start:start + fan_out]
        start += fan_out
        if l == layer:
            W[:, :] = W[:, perm]
            b[:] = b[perm]
        elif l == layer + 1:
            W[:, :] = W[perm, :]
    return theta


def permute_hidden_units__one_hidden_layer_only(theta, layer_sizes, layer, perm):
    """Assumes a single hidden layer, layer_sizes = [n_0, n_1, n_2]: right for the first hidden layer only."""
    n0, n1, n2 = layer_sizes[0], layer_sizes[1], layer_sizes[2]
    W1 = theta[:n0 * n1].reshape(n0, n1)
    b1 = theta[n0 * n1:n0 * n1 + n1]
    rest = theta[n0 * n1 + n1:]
    W2 = rest[:n1 * n2].reshape(n1, n2)
    tail = rest[n1 * n2:]
    return np.concatenate([W1[:, perm].ravel(), b1[perm], W2[perm, :].ravel(), tail])


def permute_hidden_units__next_bias_permuted(theta, layer_sizes, layer, perm):
    """Also reorders b_{layer+1} when it has as many entries as perm, as if it belonged to the units."""

    def split(theta, layer_sizes):
        params, start = [], 0
        for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            W = theta[start:start + fan_in * fan_out].reshape(fan_in, fan_out).copy()
            start += fan_in * fan_out
            params.append((W, theta[start:start + fan_out].copy()))
            start += fan_out
        return params

    params = split(theta, layer_sizes)
    (W_in, b_in), (W_out, b_out) = params[layer - 1], params[layer]
    if b_out.size == len(perm):
        b_out = b_out[perm]
    params[layer - 1] = (W_in[:, perm], b_in[perm])
    params[layer] = (W_out[perm, :], b_out)
    return np.concatenate([piece for W, b in params for piece in (W.ravel(), b)])
