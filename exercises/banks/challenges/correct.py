"""Correct solutions to the problem set `challenges`, written differently from course_opt.

Each entry is named ``<function>__<how it differs>``; the first line of its docstring says how
it differs from the reference. The bank harness (tests/banks.py) injects each one in place of
the instructor's solution and asserts that it earns full marks on every autograded part.
"""

import numpy as np


# --- Part 1: clip_by_norm -------------------------------------------------------------------


def clip_by_norm__python_loops(grad, max_norm):
    """Sums the squares in a Python loop (another order of the additions) and builds a new array entry by entry."""
    import math

    total = 0.0
    for g in grad:
        total += float(g) * float(g)
    norm = math.sqrt(total)
    scale = max_norm / norm if norm > max_norm else 1.0
    return np.array([float(g) * scale for g in grad])


def clip_by_norm__min_of_one_and_ratio(grad, max_norm):
    """Multiplies by min(1, max_norm / ||g||) always, dividing by a zero norm (inf, then 1) with a RuntimeWarning."""
    norm = np.linalg.norm(grad)
    return grad * min(1.0, max_norm / norm)


def clip_by_norm__rescales_at_equality(grad, max_norm):
    """Rescales when ||g|| >= max_norm (a factor 1 at equality) and prints what it did."""
    norm = np.sqrt(np.sum(np.square(grad)))
    if norm >= max_norm and norm > 0:
        print(f"clipping a gradient of norm {norm:.3g} to {max_norm}")
        return (max_norm / norm) * grad
    return np.array(grad, dtype=float)


def clip_by_norm__overflow_safe_norm(grad, max_norm):
    """Takes the norm of grad / max|g_i| (safe from overflow) and divides instead of multiplying."""
    largest = np.max(np.abs(grad))
    if largest == 0.0:
        return np.zeros_like(grad)
    norm = largest * np.sqrt(np.sum((grad / largest) ** 2))
    return grad / (norm / max_norm) if norm > max_norm else grad.copy()


def clip_by_norm__math_hypot(grad, max_norm):
    """Takes the norm with math.hypot(*grad) (Python's own accurate n-dimensional norm)."""
    import math

    norm = math.hypot(*grad)
    if norm <= max_norm:
        return np.copy(grad)
    return np.multiply(grad, max_norm / norm)


def clip_by_norm__warns_when_clipping(grad, max_norm):
    """Emits a RuntimeWarning (warnings.warn) whenever it clips, as a library might."""
    import warnings

    norm = np.linalg.norm(grad)
    if norm > max_norm:
        warnings.warn(f"gradient of norm {norm:.3g} clipped to {max_norm}", RuntimeWarning)
        return grad * (max_norm / norm)
    return grad.copy()


# --- Part 2: clip_by_value ------------------------------------------------------------------


def clip_by_value__python_loop(grad, max_value):
    """Clips entry by entry with if/elif in a Python loop."""
    out = np.empty(len(grad))
    for i, g in enumerate(grad):
        if g > max_value:
            out[i] = max_value
        elif g < -max_value:
            out[i] = -max_value
        else:
            out[i] = g
    return out


def clip_by_value__np_clip(grad, max_value):
    """Uses np.clip (the reference takes min(max(g, -tau), tau) explicitly) and prints a count."""
    clipped = np.clip(grad, -max_value, max_value)
    print(f"{np.count_nonzero(clipped != grad)} of {grad.size} entries clipped")
    return clipped


def clip_by_value__sign_and_magnitude(grad, max_value):
    """Clips the magnitudes and puts the signs back: sign(g) * min(|g|, tau)."""
    return np.sign(grad) * np.minimum(np.abs(grad), max_value)


def clip_by_value__where_on_a_copy(grad, max_value):
    """Copies grad, then overwrites the entries beyond the bounds through boolean masks."""
    out = grad.copy()
    out[out > max_value] = max_value
    out[out < -max_value] = -max_value
    return out


# --- Part 3: xavier_bound -------------------------------------------------------------------


def xavier_bound__math_sqrt(fan_in, fan_out):
    """Returns a Python float from math.sqrt."""
    import math

    return math.sqrt(6 / (fan_in + fan_out))


def xavier_bound__from_the_variance(fan_in, fan_out):
    """Goes through the variance: sqrt(3) * sqrt(2 / (fan_in + fan_out)), another order of operations."""
    variance = 2.0 / (fan_in + fan_out)
    return np.sqrt(3.0) * np.sqrt(variance)


def xavier_bound__zero_dim_array(fan_in, fan_out):
    """Returns a 0-d NumPy array, which the contract accepts."""
    return np.sqrt(np.array(6.0) / np.array(fan_in + fan_out))


def xavier_bound__power_one_half(fan_in, fan_out):
    """Uses ** 0.5 on 6 / n and prints the bound."""
    bound = (6 / (fan_in + fan_out)) ** 0.5
    print("Xavier bound:", bound)
    return bound


# --- Part 4: xavier_uniform -----------------------------------------------------------------


def xavier_uniform__python_loops(fan_in, fan_out, rng):
    """Draws one weight at a time with rng.uniform() in two nested loops."""
    bound = xavier_bound(fan_in, fan_out)
    W = np.empty((fan_in, fan_out))
    for i in range(fan_in):
        for j in range(fan_out):
            W[i, j] = rng.uniform(-bound, bound)
    return W


def xavier_uniform__scaled_random(fan_in, fan_out, rng):
    """Maps rng.random() from [0, 1) to [-a, a) with a * (2u - 1), its own bound inline."""
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return a * (2.0 * rng.random((fan_in, fan_out)) - 1.0)


def xavier_uniform__flat_then_reshaped(fan_in, fan_out, rng):
    """Draws fan_in * fan_out numbers in a flat vector and reshapes them, with keyword arguments."""
    a = xavier_bound(fan_in=fan_in, fan_out=fan_out)
    return rng.uniform(low=-a, high=a, size=fan_in * fan_out).reshape(fan_in, fan_out)


def xavier_uniform__transposed_draw(fan_in, fan_out, rng):
    """Draws a (fan_out, fan_in) matrix and returns its transpose (a non-contiguous view)."""
    a = xavier_bound(fan_in, fan_out)
    return rng.uniform(-a, a, size=(fan_out, fan_in)).T


def xavier_uniform__float32_weights(fan_in, fan_out, rng):
    """Returns float32 weights, as deep-learning frameworks store them (the contract asks for a float array)."""
    a = np.float32(np.sqrt(6.0 / (fan_in + fan_out)))
    return rng.uniform(-a, a, size=(fan_in, fan_out)).astype(np.float32)


# --- Part 5: he_normal ----------------------------------------------------------------------


def he_normal__rng_normal(fan_in, fan_out, rng):
    """Calls rng.normal with the standard deviation sqrt(2 / fan_in) as scale."""
    return rng.normal(loc=0.0, scale=np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def he_normal__python_loops(fan_in, fan_out, rng):
    """Draws one weight at a time in nested loops, with math.sqrt(2) / math.sqrt(fan_in)."""
    import math

    std = math.sqrt(2) / math.sqrt(fan_in)
    return np.array([[std * rng.standard_normal() for _ in range(fan_out)] for _ in range(fan_in)])


def he_normal__box_muller(fan_in, fan_out, rng):
    """Makes the Gaussians from uniforms of rng by the Box-Muller transform."""
    n = fan_in * fan_out
    u1 = 1.0 - rng.random(n)  # in (0, 1], so the log is finite
    u2 = rng.random(n)
    z = np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
    return np.sqrt(2.0 / fan_in) * z.reshape(fan_in, fan_out)


def he_normal__variance_then_sqrt(fan_in, fan_out, rng):
    """Scales standard normals by the variance 2 / fan_in to the power 0.5 and returns a Fortran-ordered array."""
    variance = 2 / fan_in
    return np.asfortranarray(rng.standard_normal((fan_in, fan_out))) * variance**0.5


def he_normal__float32_weights(fan_in, fan_out, rng):
    """Draws float32 normals with rng.standard_normal(dtype=np.float32) and scales them in float32."""
    return np.float32(np.sqrt(2.0 / fan_in)) * rng.standard_normal((fan_in, fan_out), dtype=np.float32)


# --- Part 6: permute_hidden_units -----------------------------------------------------------


def permute_hidden_units__index_map(theta, layer_sizes, layer, perm):
    """Builds the permuted positions of theta with Python loops and gathers theta[index]."""
    index = list(range(len(theta)))
    start = 0
    for l in range(1, len(layer_sizes)):
        fan_in, fan_out = layer_sizes[l - 1], layer_sizes[l]
        if l == layer:
            for i in range(fan_in):
                for j in range(fan_out):
                    index[start + i * fan_out + j] = start + i * fan_out + int(perm[j])
            bias = start + fan_in * fan_out
            for j in range(fan_out):
                index[bias + j] = bias + int(perm[j])
        elif l == layer + 1:
            for i in range(fan_in):
                for j in range(fan_out):
                    index[start + i * fan_out + j] = start + int(perm[i]) * fan_out + j
        start += (fan_in + 1) * fan_out
    return theta[np.array(index)]


def permute_hidden_units__copy_and_assign(theta, layer_sizes, layer, perm):
    """Copies theta, then overwrites the three blocks in place through views of the copy."""
    new = theta.copy()
    start = 0
    for l in range(1, len(layer_sizes)):
        fan_in, fan_out = layer_sizes[l - 1], layer_sizes[l]
        W = new[start:start + fan_in * fan_out].reshape(fan_in, fan_out)
        b = new[start + fan_in * fan_out:start + (fan_in + 1) * fan_out]
        if l == layer:
            W[...] = W[:, perm]
            b[...] = b[perm]
        elif l == layer + 1:
            W[...] = W[perm, :]
        start += (fan_in + 1) * fan_out
    return new


def permute_hidden_units__list_of_blocks(theta, layer_sizes, layer, perm):
    """Takes perm as a Python list, cuts theta into a list of blocks and joins them with np.hstack."""
    perm = [int(p) for p in perm]
    offsets = np.cumsum([0] + [(a + 1) * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])])
    blocks = []
    for l in range(1, len(layer_sizes)):
        fan_in, fan_out = layer_sizes[l - 1], layer_sizes[l]
        chunk = theta[offsets[l - 1]:offsets[l]]
        W, b = chunk[:fan_in * fan_out].reshape(fan_in, fan_out), chunk[fan_in * fan_out:]
        if l == layer:
            W, b = W[:, perm], b[perm]
        elif l == layer + 1:
            W = W[perm, :]
        blocks += [W.flatten(), np.array(b)]
    return np.hstack(blocks)


def permute_hidden_units__identity_shortcut_and_take(theta, layer_sizes, layer, perm):
    """Returns a copy at once for the identity permutation, else reorders the blocks with np.take."""
    if np.array_equal(perm, np.arange(len(perm))):
        return theta.copy()
    new, start = [], 0
    for l in range(1, len(layer_sizes)):
        fan_in, fan_out = layer_sizes[l - 1], layer_sizes[l]
        W = theta[start:start + fan_in * fan_out].reshape(fan_in, fan_out)
        b = theta[start + fan_in * fan_out:start + (fan_in + 1) * fan_out]
        if l == layer:
            W, b = np.take(W, perm, axis=1), np.take(b, perm)
        elif l == layer + 1:
            W = np.take(W, perm, axis=0)
        new += [W.reshape(-1), b.copy()]
        start += (fan_in + 1) * fan_out
    return np.concatenate(new)
