"""A small multilayer perceptron (MLP) whose parameters are one flat vector ``theta``.

A network with ``layer_sizes = [n_0, n_1, ..., n_L]`` maps a batch ``X`` of shape
``(N, n_0)`` through ``L`` layers,

    h_0 = X,   h_l = act(h_{l-1} W_l + b_l)  for l = 1, ..., L - 1,   f(X) = h_{L-1} W_L + b_L,

with ``W_l`` of shape ``(n_{l-1}, n_l)`` and ``b_l`` of shape ``(n_l,)``; the last layer is
linear, its outputs are the scores. ``theta`` lists ``W_1`` (row by row), ``b_1``, ``W_2``,
``b_2``, ... in that order, so that the network's cost is an :class:`Objective` like any
other and every update rule of :mod:`course_opt.updates` trains it. The derivatives come from
autograd, i.e. from backpropagation.
"""

import autograd.numpy as anp
import numpy as np

from course_opt._checks import as_int, as_matrix, as_scalar, as_vector
from course_opt.initializers import constant_bias, xavier_uniform
from course_opt.objectives import Objective


def _relu(z):
    return anp.maximum(z, 0.0)


def _identity(z):
    return z


#: The activations of the hidden units, by name. ``"linear"`` makes a deep linear network,
#: whose forward pass is a product of matrices.
ACTIVATIONS = {"tanh": anp.tanh, "relu": _relu, "linear": _identity}

#: The losses :func:`mlp_objective` offers.
LOSSES = ("squared", "logistic")


def num_params(layer_sizes):
    """The length of ``theta``: ``sum_l (n_{l-1} + 1) n_l``."""
    sizes = _sizes(layer_sizes)
    return sum((fan_in + 1) * fan_out for fan_in, fan_out in zip(sizes[:-1], sizes[1:]))


def unflatten(theta, layer_sizes):
    """Split ``theta`` into the list ``[(W_1, b_1), ..., (W_L, b_L)]``."""
    sizes = _sizes(layer_sizes)
    return _unflatten(as_vector(theta, "theta", num_params(sizes)), sizes)


def flatten(params):
    """The inverse of :func:`unflatten`: concatenate ``W_1`` (row by row), ``b_1``, ``W_2``, ..."""
    pieces = []
    for l, (W, b) in enumerate(params, start=1):
        W = as_matrix(W, f"W_{l}")
        pieces += [W.ravel(), as_vector(b, f"b_{l}", W.shape[1])]
    if not pieces:
        raise ValueError("params must hold at least one layer (W, b)")
    return np.concatenate(pieces)


def init_params(layer_sizes, rng, weight_init=xavier_uniform, bias=0.0, output_bias=0.0):
    """Initial parameters ``theta`` for a network of ``layer_sizes``.

    Each ``W_l`` is drawn by ``weight_init(fan_in, fan_out, rng=rng)``, one of
    :mod:`course_opt.initializers`; fix a Gaussian's scale with
    ``functools.partial(gaussian, std=0.01)``. The
    hidden biases start at the constant ``bias`` (take ``bias > 0`` for ReLU units) and the
    output bias at ``output_bias`` (e.g. the mean target for the squared loss).
    """
    sizes = _sizes(layer_sizes)
    if not callable(weight_init):
        raise TypeError("weight_init must be a callable (fan_in, fan_out, rng=rng) -> W, e.g. xavier_uniform")
    params = []
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        W = np.asarray(weight_init(fan_in, fan_out, rng=rng), dtype=float)
        if W.shape != (fan_in, fan_out):
            raise ValueError(f"weight_init returned shape {W.shape} for layer {l}, expected {(fan_in, fan_out)}")
        params.append((W, constant_bias(fan_out, output_bias if l == len(sizes) - 1 else bias)))
    return flatten(params)


def layer_outputs(theta, X, layer_sizes, activation="tanh"):
    """The outputs ``[h_1, ..., h_{L-1}, f(X)]`` of every layer, each of shape ``(N, n_l)``:
    the hidden activations, whose spread through depth the initialization controls, then the
    network's output."""
    sizes = _sizes(layer_sizes)
    theta = as_vector(theta, "theta", num_params(sizes))
    X = as_matrix(X, "X")
    if X.shape[1] != sizes[0]:
        raise ValueError(f"X must have {sizes[0]} columns (layer_sizes[0]), got {X.shape[1]}")
    return _layer_outputs(theta, X, sizes, _activation(activation))


def forward(theta, X, layer_sizes, activation="tanh"):
    """The network's output ``f(X)``, shape ``(N, n_L)``."""
    return layer_outputs(theta, X, layer_sizes, activation)[-1]


def mlp_objective(X, y, layer_sizes, activation="tanh", loss="squared", l2=0.0):
    """The cost of the network on the data ``(X, y)``, a mean over the ``N`` samples:

    - ``"squared"``: ``C(theta) = 1/N sum_i 1/2 ||f(x_i) - y_i||^2``, targets ``y`` of shape
      ``(N,)`` for one output or ``(N, n_L)``;
    - ``"logistic"``: one output ``z_i = f(x_i)`` and labels ``y_i`` in ``{0, 1}``,
      ``C(theta) = 1/N sum_i [log(1 + exp(z_i)) - y_i z_i]``;

    plus ``l2/2 ||theta||^2``. The returned :class:`Objective` has ``num_samples = N``, so its
    methods take a minibatch ``batch`` of sample indices. With ``layer_sizes = [d, 1]`` the
    network is linear and the costs are those of :func:`course_opt.least_squares` and
    :func:`course_opt.logistic_regression` on ``X`` with a column of ones appended.
    """
    sizes = _sizes(layer_sizes)
    X = as_matrix(X, "X")
    if X.shape[1] != sizes[0]:
        raise ValueError(f"X must have {sizes[0]} columns (layer_sizes[0]), got {X.shape[1]}")
    act = _activation(activation)
    l2 = as_scalar(l2, "l2", low=0.0)
    Y = _targets(y, X.shape[0], sizes[-1], loss)

    def value(theta, idx):
        scores = _layer_outputs(theta, X[idx], sizes, act)[-1]
        if loss == "squared":
            data = 0.5 * anp.mean(anp.sum((scores - Y[idx]) ** 2, axis=1))
        else:
            data = anp.mean(anp.logaddexp(0.0, scores) - Y[idx] * scores)
        return data + 0.5 * l2 * anp.dot(theta, theta)

    name = f"MLP {'-'.join(map(str, sizes))} ({activation}, {loss})"
    return Objective(value, num_params(sizes), name=name, num_samples=X.shape[0])


def permute_hidden_units(theta, layer_sizes, layer, perm):
    """Reorder the units of hidden layer ``layer`` (``1 <= layer <= L - 1``) by ``perm``.

    Unit ``j`` of the new network is unit ``perm[j]`` of the old one: the columns of
    ``W_layer`` and the entries of ``b_layer`` (its incoming weights) and the rows of
    ``W_{layer+1}`` (its outgoing weights) move together. The network computes the same
    function, so every cost is unchanged: the weight-space symmetry that gives a network
    ``n_l!`` equivalent minima per hidden layer, and makes its cost non-convex.
    """
    sizes = _sizes(layer_sizes)
    params = unflatten(theta, sizes)
    layer = as_int(layer, "layer", low=1)
    if layer > len(sizes) - 2:
        raise ValueError(f"layer must name a hidden layer, 1 to {len(sizes) - 2}, got {layer}")
    perm = np.asarray(perm)
    if perm.shape != (sizes[layer],) or not np.array_equal(np.sort(perm), np.arange(sizes[layer])):
        raise ValueError(f"perm must be a permutation of 0, ..., {sizes[layer] - 1}")
    (W_in, b_in), (W_out, b_out) = params[layer - 1], params[layer]
    params[layer - 1] = (W_in[:, perm], b_in[perm])
    params[layer] = (W_out[perm, :], b_out)
    return flatten(params)


def layer_grad_norms(grad, layer_sizes):
    """The Frobenius norms ``||dC/dW_l||`` of the weight gradients of layers ``1, ..., L``,
    from the flat gradient ``grad`` (e.g. ``objective.grad(theta)``): where they shrink
    towards the input, the gradients vanish; where they grow, they explode."""
    return np.array([np.linalg.norm(W) for W, _ in unflatten(grad, layer_sizes)])


# --- helpers ------------------------------------------------------------------------------


def _layer_outputs(theta, X, sizes, act):
    """The forward pass, with no checks, so that autograd can differentiate it."""
    outputs, h = [], X
    params = _unflatten(theta, sizes)
    for l, (W, b) in enumerate(params, start=1):
        z = anp.dot(h, W) + b
        h = z if l == len(params) else act(z)
        outputs.append(h)
    return outputs


def _unflatten(theta, sizes):
    params, start = [], 0
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        W = anp.reshape(theta[start : start + fan_in * fan_out], (fan_in, fan_out))
        start += fan_in * fan_out
        params.append((W, theta[start : start + fan_out]))
        start += fan_out
    return params


def _sizes(layer_sizes):
    try:
        sizes = tuple(as_int(n, "every entry of layer_sizes", low=1) for n in layer_sizes)
    except TypeError:
        raise TypeError("layer_sizes must be a sequence of layer widths, e.g. [2, 16, 1]") from None
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes must name at least an input and an output width, got {list(sizes)}")
    return sizes


def _activation(name):
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]


def _targets(y, num_samples, num_outputs, loss):
    """The targets as an ``(N, n_L)`` matrix, checked against the loss."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {list(LOSSES)}")
    if loss == "logistic" and num_outputs != 1:
        raise ValueError(f"the logistic loss needs one output, layer_sizes[-1] = {num_outputs}")
    y = np.asarray(y, dtype=float)
    Y = as_matrix(y.reshape(-1, 1) if y.ndim == 1 else y, "y")
    if Y.shape != (num_samples, num_outputs):
        raise ValueError(f"y must have shape ({num_samples},) or {(num_samples, num_outputs)}, got {y.shape}")
    if loss == "logistic" and not np.all((Y == 0) | (Y == 1)):
        raise ValueError("y must hold labels 0 or 1 only")
    return Y
