"""The MLP: parameter layout, a forward pass by hand, agreement with the linear models,
gradients against finite differences, weight-space symmetry, training with course_opt.run,
and the signal through depth under different initializations."""

import functools

import numpy as np
import pytest
from conftest import finite_difference_grad

import course_opt
from course_opt import initializers, mlp


def test_flatten_and_unflatten_are_inverse():
    sizes = [3, 5, 2]
    assert mlp.num_params(sizes) == 3 * 5 + 5 + 5 * 2 + 2
    theta = np.arange(mlp.num_params(sizes), dtype=float)
    params = mlp.unflatten(theta, sizes)
    assert [(W.shape, b.shape) for W, b in params] == [((3, 5), (5,)), ((5, 2), (2,))]
    np.testing.assert_array_equal(params[0][0][0], [0, 1, 2, 3, 4])  # W_1 row by row
    np.testing.assert_array_equal(params[0][1], [15, 16, 17, 18, 19])  # then b_1
    np.testing.assert_array_equal(mlp.flatten(params), theta)


def test_forward_pass_by_hand():
    # One hidden tanh unit and one ReLU-free linear output:
    # h = tanh(2 x1 - x2 + 0.5), f = 3 h - 1
    sizes = [2, 1, 1]
    theta = mlp.flatten([(np.array([[2.0], [-1.0]]), np.array([0.5])), (np.array([[3.0]]), np.array([-1.0]))])
    X = np.array([[1.0, 2.0], [0.0, 0.0]])
    hidden, out = mlp.layer_outputs(theta, X, sizes)
    np.testing.assert_allclose(hidden[:, 0], np.tanh([0.5, 0.5]), rtol=1e-15)
    np.testing.assert_allclose(out[:, 0], 3 * np.tanh(0.5) - 1, rtol=1e-15)
    relu_out = mlp.forward(mlp.flatten([(np.array([[2.0], [-1.0]]), np.array([-0.5])),
                                        (np.array([[3.0]]), np.array([-1.0]))]), X, sizes, "relu")
    np.testing.assert_allclose(relu_out[:, 0], [-1.0, -1.0])  # relu(-0.5) = 0 for both rows


def test_a_network_without_hidden_layers_is_logistic_and_least_squares_regression(rng):
    X = rng.standard_normal((30, 3))
    labels = (rng.random(30) < 0.5).astype(float)
    targets = rng.standard_normal(30)
    with_ones = np.column_stack([X, np.ones(30)])
    theta = rng.standard_normal(4)  # (w, b): W_1 is a column, then the bias
    pairs = [(mlp.mlp_objective(X, labels, [3, 1], loss="logistic", l2=0.1),
              course_opt.logistic_regression(with_ones, labels, l2=0.1)),
             (mlp.mlp_objective(X, targets, [3, 1], loss="squared"), course_opt.least_squares(with_ones, targets))]
    for net, reference in pairs:
        assert net.value(theta) == pytest.approx(reference.value(theta), rel=1e-14)
        np.testing.assert_allclose(net.grad(theta), reference.grad(theta), rtol=1e-12)
        np.testing.assert_allclose(net.grad(theta, np.array([4, 7])), reference.grad(theta, np.array([4, 7])),
                                   rtol=1e-12)


@pytest.mark.parametrize("activation, loss", [("tanh", "logistic"), ("relu", "squared"), ("linear", "squared")])
def test_gradient_matches_finite_differences(rng, activation, loss):
    sizes = [3, 4, 3, 1]
    X = rng.standard_normal((12, 3))
    y = (rng.random(12) < 0.5).astype(float) if loss == "logistic" else rng.standard_normal(12)
    f = mlp.mlp_objective(X, y, sizes, activation, loss, l2=0.01)
    theta = mlp.init_params(sizes, rng, bias=0.1)
    np.testing.assert_allclose(f.grad(theta), finite_difference_grad(f.value, theta), rtol=1e-6, atol=1e-9)
    batch = np.array([0, 5, 6])
    np.testing.assert_allclose(f.grad(theta, batch), finite_difference_grad(lambda th: f.value(th, batch), theta),
                               rtol=1e-6, atol=1e-9)


def test_several_outputs_take_a_target_matrix(rng):
    X, Y = rng.standard_normal((6, 2)), rng.standard_normal((6, 3))
    f = mlp.mlp_objective(X, Y, [2, 5, 3])
    theta = mlp.init_params([2, 5, 3], rng)
    expected = 0.5 * np.mean(np.sum((mlp.forward(theta, X, [2, 5, 3]) - Y) ** 2, axis=1))
    assert f.value(theta) == pytest.approx(expected, rel=1e-14)


@pytest.fixture(scope="module")
def trained():
    """A 1-16-1 tanh network fitted to sin on [-3, 3] by Adam through course_opt.run."""
    X = np.linspace(-3, 3, 40)[:, None]
    sizes = [1, 16, 1]
    f = mlp.mlp_objective(X, np.sin(X[:, 0]), sizes)
    trace = course_opt.run(f, course_opt.optimizer("adam", lr=0.02), mlp.init_params(sizes, np.random.default_rng(1)),
                           400)
    return f, sizes, X, trace


def test_two_layer_network_trains_to_a_low_loss(trained):
    trace = trained[-1]
    assert trace.values[0] > 0.2 and trace.values[-1] < 1e-3  # measured 0.22 -> 5e-4


def test_permuting_hidden_units_changes_theta_but_not_the_function(trained):
    f, sizes, X, trace = trained
    theta = trace.theta
    perm = np.random.default_rng(4).permutation(16)
    permuted = mlp.permute_hidden_units(theta, sizes, 1, perm)
    assert np.linalg.norm(permuted - theta) > 1.0
    np.testing.assert_allclose(mlp.forward(permuted, X, sizes), mlp.forward(theta, X, sizes), rtol=1e-13, atol=1e-15)
    assert f.value(permuted) == pytest.approx(f.value(theta), rel=1e-12)
    # The gradient is permuted the same way: the cost is invariant under the symmetry.
    np.testing.assert_allclose(f.grad(permuted), mlp.permute_hidden_units(f.grad(theta), sizes, 1, perm),
                               rtol=1e-10, atol=1e-15)


def test_the_midpoint_of_two_equivalent_minima_is_worse_so_the_cost_is_not_convex(trained):
    f, sizes, _, trace = trained
    permuted = mlp.permute_hidden_units(trace.theta, sizes, 1, np.roll(np.arange(16), 1))
    midpoint = 0.5 * (trace.theta + permuted)
    # Convexity would force C(midpoint) <= C(theta) = C(permuted). Measured: 5e-4 vs 0.1.
    assert f.value(midpoint) > 10 * f.value(trace.theta)


def test_permutation_in_a_deeper_layer(rng):
    sizes = [2, 3, 4, 1]
    theta = mlp.init_params(sizes, rng, bias=0.2)
    X = rng.standard_normal((5, 2))
    permuted = mlp.permute_hidden_units(theta, sizes, 2, [3, 1, 0, 2])
    np.testing.assert_allclose(mlp.forward(permuted, X, sizes), mlp.forward(theta, X, sizes), rtol=1e-13)
    _, b2 = mlp.unflatten(permuted, sizes)[1]
    np.testing.assert_array_equal(b2, mlp.unflatten(theta, sizes)[1][1][[3, 1, 0, 2]])


# --- the signal through depth (Glorot & Bengio, 2010; He et al., 2015) -----------------------

WIDTH, DEPTH = 100, 8
DEEP = [WIDTH] * (DEPTH + 1)


@pytest.fixture(scope="module")
def inputs():
    return np.random.default_rng(1).standard_normal((500, WIDTH))


def hidden_variances(weight_init, X, activation="tanh", sizes=DEEP):
    theta = mlp.init_params(sizes, np.random.default_rng(2), weight_init=weight_init)
    return np.array([h.var() for h in mlp.layer_outputs(theta, X, sizes, activation)[:-1]])


def test_xavier_keeps_the_activations_alive_where_a_small_gaussian_kills_them(inputs):
    # Xavier: Var W = 1 / WIDTH, tanh shrinks the variance slowly (measured: layer 7 keeps 0.18
    # of layer 1's). Gaussian std 0.01: Var W = 0.01 / WIDTH, so each layer divides the
    # variance by about 100 (measured 1e-2, 1e-4, ... down to about 1e-12).
    xavier = hidden_variances(initializers.xavier_uniform, inputs)
    small = hidden_variances(functools.partial(initializers.gaussian, std=0.01), inputs)
    assert xavier[-1] / xavier[0] > 0.1
    assert small[-1] / small[0] < 1e-10
    np.testing.assert_allclose(small[1:] / small[:-1], 0.01, rtol=0.1)


def test_xavier_balances_the_layer_gradients_where_a_large_gaussian_explodes_them(inputs):
    # Gaussian std 1 (a gain of 10 per layer) saturates the tanh units; the back-propagated
    # gradient then grows about 2.3 times per layer towards the input (measured: the first
    # layer's weight gradient is 148 times the last one's). Xavier keeps them within 0.86-1.25.
    targets = np.random.default_rng(3).standard_normal((500, WIDTH))
    f = mlp.mlp_objective(inputs, targets, DEEP)
    norms = {}
    for name, init in [("xavier", initializers.xavier_uniform),
                       ("large", functools.partial(initializers.gaussian, std=1.0))]:
        theta = mlp.init_params(DEEP, np.random.default_rng(2), weight_init=init)
        norms[name] = mlp.layer_grad_norms(f.grad(theta), DEEP)
    assert norms["xavier"].max() / norms["xavier"].min() < 2
    assert norms["large"][0] / norms["large"][-1] > 30
    assert np.all(np.diff(norms["large"]) < 0)


def test_he_keeps_the_second_moment_of_relu_layers_where_xavier_halves_it(inputs):
    # A ReLU halves E h^2; He's Var W = 2 / fan_in restores it, Xavier's 1 / WIDTH does not.
    # Per-layer factors over 9 hidden layers, measured: He 0.97, Xavier 0.49.
    sizes = [WIDTH] * 11
    factors = {}
    for name, init in [("he", initializers.he_normal), ("xavier", initializers.xavier_uniform)]:
        theta = mlp.init_params(sizes, np.random.default_rng(2), weight_init=init)
        second_moments = [np.mean(h**2) for h in mlp.layer_outputs(theta, inputs, sizes, "relu")[:-1]]
        factors[name] = (second_moments[-1] / np.mean(inputs**2)) ** (1 / len(second_moments))
    assert factors["he"] == pytest.approx(1.0, abs=0.1)
    assert factors["xavier"] == pytest.approx(0.5, abs=0.1)


def test_a_negative_bias_kills_relu_units_and_their_gradients(rng):
    # With every hidden pre-activation below zero, no gradient reaches the hidden weights;
    # a small positive bias keeps the units active.
    sizes = [3, 8, 8, 1]
    X, y = 0.1 * rng.standard_normal((20, 3)), rng.standard_normal(20)
    f = mlp.mlp_objective(X, y, sizes, "relu")
    dead = mlp.init_params(sizes, np.random.default_rng(0), weight_init=initializers.he_normal, bias=-1.0)
    alive = mlp.init_params(sizes, np.random.default_rng(0), weight_init=initializers.he_normal, bias=0.1)
    np.testing.assert_array_equal(mlp.layer_grad_norms(f.grad(dead), sizes)[:2], 0.0)
    assert np.all(mlp.layer_grad_norms(f.grad(alive), sizes) > 0)


def test_init_params_sets_hidden_and_output_biases():
    sizes = [2, 3, 1]
    params = mlp.unflatten(mlp.init_params(sizes, np.random.default_rng(0), bias=0.1, output_bias=2.0), sizes)
    np.testing.assert_array_equal(params[0][1], [0.1, 0.1, 0.1])
    np.testing.assert_array_equal(params[1][1], [2.0])
    W1 = params[0][0]
    assert np.abs(W1).max() <= initializers.xavier_bound(2, 3)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: mlp.num_params([3]), ValueError, "at least an input and an output width"),
        (lambda: mlp.num_params([3, 0, 1]), ValueError, "every entry of layer_sizes must be an integer >= 1"),
        (lambda: mlp.num_params(3), TypeError, "layer_sizes must be a sequence"),
        (lambda: mlp.unflatten(np.zeros(5), [2, 1]), ValueError, "theta must have length 3"),
        (lambda: mlp.forward(np.zeros(3), np.zeros((4, 3)), [2, 1]), ValueError, r"X must have 2 columns"),
        (lambda: mlp.forward(np.zeros(3), np.zeros((4, 2)), [2, 1], "sigmoid"), ValueError,
         "unknown activation 'sigmoid'"),
        (lambda: mlp.mlp_objective(np.zeros((4, 2)), np.zeros(4), [2, 2], loss="logistic"), ValueError,
         "the logistic loss needs one output"),
        (lambda: mlp.mlp_objective(np.zeros((4, 2)), [0, 1, 2, 1], [2, 1], loss="logistic"), ValueError,
         "labels 0 or 1"),
        (lambda: mlp.mlp_objective(np.zeros((4, 2)), np.zeros(3), [2, 1]), ValueError, r"y must have shape \(4,\)"),
        (lambda: mlp.mlp_objective(np.zeros((4, 2)), np.zeros(4), [2, 1], loss="hinge"), ValueError,
         "unknown loss 'hinge'"),
        (lambda: mlp.permute_hidden_units(np.zeros(9), [2, 2, 1], 2, [1, 0]), ValueError,
         "layer must name a hidden layer"),
        (lambda: mlp.permute_hidden_units(np.zeros(9), [2, 2, 1], 1, [1, 1]), ValueError, "perm must be a permutation"),
        (lambda: mlp.init_params([2, 1], np.random.default_rng(0), weight_init="xavier"), TypeError,
         "weight_init must be a callable"),
        (lambda: mlp.init_params([2, 1], 0), TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_bad_arguments_are_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()
