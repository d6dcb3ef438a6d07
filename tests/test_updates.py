"""Update rules: hand-worked steps, identities between rules, rates from theory, bad input.

The hand-worked sequences use C(theta) = theta^2 / 2, so g(theta) = theta, from theta_0 = 1;
each expected number is the update written out by hand, step by step.
"""

import math

import numpy as np
import pytest

import course_opt
from course_opt import updates


def identity_grad(theta):
    return theta


def three_steps(init, step, **hyper):
    theta = np.array([1.0])
    state = init(theta)
    thetas = []
    for _ in range(3):
        theta, state = step(theta, state, identity_grad, **hyper)
        thetas.append(theta[0])
    return thetas, state


def test_sgd_by_hand():
    thetas, state = three_steps(course_opt.sgd_init, course_opt.sgd_step, lr=0.1)
    assert thetas == pytest.approx([0.9, 0.81, 0.729], rel=1e-15) and state.t == 3


def test_momentum_by_hand():
    # v1 = -0.1 * 1 = -0.1, theta1 = 0.9
    # v2 = 0.5 * -0.1 - 0.1 * 0.9 = -0.14, theta2 = 0.76
    # v3 = 0.5 * -0.14 - 0.1 * 0.76 = -0.146, theta3 = 0.614
    thetas, state = three_steps(course_opt.momentum_init, course_opt.momentum_step, lr=0.1, momentum=0.5)
    assert thetas == pytest.approx([0.9, 0.76, 0.614], rel=1e-14)
    assert state.velocity[0] == pytest.approx(-0.146, rel=1e-14)


def test_nesterov_by_hand():
    # look-ahead point theta + 0.5 v:
    # v1 = -0.1 * 1 = -0.1, theta1 = 0.9
    # v2 = 0.5 * -0.1 - 0.1 * (0.9 - 0.05) = -0.135, theta2 = 0.765
    # v3 = 0.5 * -0.135 - 0.1 * (0.765 - 0.0675) = -0.13725, theta3 = 0.62775
    thetas, state = three_steps(course_opt.nesterov_init, course_opt.nesterov_step, lr=0.1, momentum=0.5)
    assert thetas == pytest.approx([0.9, 0.765, 0.62775], rel=1e-14)


def test_adagrad_by_hand():
    # r1 = 1, theta1 = 1 - 0.5 * 1 / 1 = 0.5
    # r2 = 1.25, theta2 = 0.5 - 0.5 * 0.5 / sqrt(1.25)
    # r3 = 1.25 + theta2^2, theta3 = theta2 - 0.5 * theta2 / sqrt(r3)
    theta2 = 0.5 - 0.25 / math.sqrt(1.25)
    theta3 = theta2 - 0.5 * theta2 / math.sqrt(1.25 + theta2**2)
    thetas, state = three_steps(course_opt.adagrad_init, course_opt.adagrad_step, lr=0.5, eps=1e-300)
    assert thetas == pytest.approx([0.5, theta2, theta3], rel=1e-14)
    assert state.sum_sq[0] == pytest.approx(1.25 + theta2**2, rel=1e-14)


def test_rmsprop_by_hand():
    # s1 = 0.1, theta1 = 1 - 0.01 / sqrt(0.1)
    s1 = 0.1
    theta1 = 1 - 0.01 / math.sqrt(s1)
    s2 = 0.9 * s1 + 0.1 * theta1**2
    theta2 = theta1 - 0.01 * theta1 / math.sqrt(s2)
    s3 = 0.9 * s2 + 0.1 * theta2**2
    theta3 = theta2 - 0.01 * theta2 / math.sqrt(s3)
    thetas, state = three_steps(course_opt.rmsprop_init, course_opt.rmsprop_step, lr=0.01, rho=0.9, eps=1e-300)
    assert thetas == pytest.approx([theta1, theta2, theta3], rel=1e-14)
    assert state.sq_avg[0] == pytest.approx(s3, rel=1e-14)


def test_rmsprop_eps_placement():
    # One step from s = 0 with g = 1, rho = 0.99: s1 = 0.01.
    theta = np.array([1.0])
    outside, _ = course_opt.rmsprop_step(theta, course_opt.rmsprop_init(theta), identity_grad, lr=1.0, rho=0.99, eps=0.1)
    inside, _ = course_opt.rmsprop_step(theta, course_opt.rmsprop_init(theta), identity_grad, lr=1.0, rho=0.99, eps=0.1,
                                        eps_inside_sqrt=True)
    assert outside[0] == pytest.approx(1 - 1 / (0.1 + 0.1), rel=1e-14)
    assert inside[0] == pytest.approx(1 - 1 / math.sqrt(0.01 + 0.1), rel=1e-14)


def test_rmsprop_nesterov_by_hand():
    lr, rho, alpha = 0.01, 0.9, 0.5
    theta, v, s, expected = 1.0, 0.0, 0.0, []
    for _ in range(3):
        g = theta + alpha * v  # gradient at the look-ahead point
        s = rho * s + (1 - rho) * g * g
        v = alpha * v - lr * g / math.sqrt(s)
        theta = theta + v
        expected.append(theta)
    thetas, _ = three_steps(course_opt.rmsprop_nesterov_init, course_opt.rmsprop_nesterov_step, lr=lr, rho=rho,
                            momentum=alpha, eps=1e-300)
    assert thetas == pytest.approx(expected, rel=1e-14)


def test_adadelta_by_hand():
    # s1 = 0.05, delta1 = -sqrt(1e-6) / sqrt(0.05 + 1e-6), u1 = 0.05 delta1^2
    rho, eps = 0.95, 1e-6
    theta, s, u, expected = 1.0, 0.0, 0.0, []
    for _ in range(3):
        g = theta
        s = rho * s + (1 - rho) * g * g
        delta = -math.sqrt(u + eps) / math.sqrt(s + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        theta += delta
        expected.append(theta)
    assert expected[0] == pytest.approx(1 - math.sqrt(1e-6 / 0.050001), rel=1e-14)
    thetas, state = three_steps(course_opt.adadelta_init, course_opt.adadelta_step)
    assert thetas == pytest.approx(expected, rel=1e-13)
    assert state.delta_sq_avg[0] == pytest.approx(u, rel=1e-13)


def test_adam_by_hand():
    # t = 1: m = 0.1, s = 0.001, m_hat = 1, s_hat = 1 -> theta1 = 1 - 0.1 = 0.9
    # t = 2: g = 0.9, m = 0.18, s = 0.001809, m_hat = 0.18 / 0.19, s_hat = 0.001809 / 0.001999
    theta2 = 0.9 - 0.1 * (0.18 / 0.19) / math.sqrt(0.001809 / 0.001999)
    m3 = 0.9 * 0.18 + 0.1 * theta2
    s3 = 0.999 * 0.001809 + 0.001 * theta2**2
    theta3 = theta2 - 0.1 * (m3 / (1 - 0.9**3)) / math.sqrt(s3 / (1 - 0.999**3))
    thetas, state = three_steps(course_opt.adam_init, course_opt.adam_step, lr=0.1, eps=1e-300)
    assert thetas == pytest.approx([0.9, theta2, theta3], rel=1e-13)
    assert state.t == 3 and state.m[0] == pytest.approx(m3) and state.s[0] == pytest.approx(s3)


def test_adam_first_step_has_length_lr_whatever_the_gradient_scale():
    # Bias correction makes the first step lr * sign(g): a check that t starts at 1.
    for scale in [1e-6, 1.0, 1e6]:
        theta = np.array([1.0, -1.0])
        new, _ = course_opt.adam_step(theta, course_opt.adam_init(theta), lambda th: scale * th, lr=0.01, eps=1e-300)
        np.testing.assert_allclose(new, [0.99, -0.99], rtol=1e-14)


def test_adamw_by_hand():
    # Adam's step on g = theta, plus the decoupled decay lr * weight_decay * theta_before.
    lr, wd, b1, b2 = 0.1, 0.5, 0.9, 0.999
    theta, m, s, expected = 2.0, 0.0, 0.0, []
    for t in (1, 2, 3):
        g = theta
        m = b1 * m + (1 - b1) * g
        s = b2 * s + (1 - b2) * g * g
        theta = theta - lr * (m / (1 - b1**t)) / math.sqrt(s / (1 - b2**t)) - lr * wd * theta
        expected.append(theta)
    assert expected[0] == pytest.approx(2.0 - 0.1 * 1.0 - 0.1 * 0.5 * 2.0, rel=1e-14)
    theta = np.array([2.0])
    state = course_opt.adamw_init(theta)
    thetas = []
    for _ in range(3):
        theta, state = course_opt.adamw_step(theta, state, identity_grad, lr=lr, weight_decay=wd, eps=1e-300)
        thetas.append(theta[0])
    assert thetas == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize(
    "rule_a, hyper_a, rule_b, hyper_b",
    [
        ("momentum", {"lr": 1e-3, "momentum": 0.0}, "sgd", {"lr": 1e-3}),
        ("nesterov", {"lr": 1e-3, "momentum": 0.0}, "sgd", {"lr": 1e-3}),
        ("adamw", {"lr": 0.1, "weight_decay": 0.0}, "adam", {"lr": 0.1}),
        ("rmsprop_nesterov", {"lr": 0.01, "momentum": 0.0}, "rmsprop", {"lr": 0.01}),
    ],
)
def test_identities_between_rules(rng, rule_a, hyper_a, rule_b, hyper_b):
    f = course_opt.rosenbrock(3)
    a, b = course_opt.optimizer(rule_a, **hyper_a), course_opt.optimizer(rule_b, **hyper_b)
    theta_a = theta_b = rng.uniform(-1, 1, 3)
    state_a, state_b = a.init(theta_a), b.init(theta_b)
    for _ in range(10):
        theta_a, state_a = a.step(theta_a, state_a, f.grad)
        theta_b, state_b = b.step(theta_b, state_b, f.grad)
    np.testing.assert_allclose(theta_a, theta_b, rtol=1e-14)


def test_momentum_matches_torch_convention_for_a_constant_learning_rate():
    # torch.optim.SGD: b <- mu b + g, theta <- theta - lr b. Written out by hand here.
    A = np.diag([1.0, 10.0])
    theta_book = theta_torch = np.array([1.0, 1.0])
    state, b = course_opt.momentum_init(theta_book), np.zeros(2)
    for _ in range(20):
        theta_book, state = course_opt.momentum_step(theta_book, state, lambda th: A @ th, lr=0.05, momentum=0.9)
        b = 0.9 * b + A @ theta_torch
        theta_torch = theta_torch - 0.05 * b
    np.testing.assert_allclose(theta_book, theta_torch, rtol=1e-12)


def test_rules_do_not_modify_their_inputs(rng):
    theta = rng.standard_normal(3)
    for name, (_, init, step) in course_opt.RULES.items():
        state = init(theta)
        state = step(theta, state, identity_grad, lr=0.1)[1]
        before = (theta.copy(), [np.copy(x) for x in state])
        step(theta, state, identity_grad, lr=0.1)
        np.testing.assert_array_equal(theta, before[0], err_msg=name)
        for field, old in zip(state, before[1]):
            np.testing.assert_array_equal(field, old, err_msg=name)


def test_gradient_descent_rate_on_a_quadratic_matches_theory():
    kappa = 25.0
    f = course_opt.quadratic(np.diag([1.0, kappa]))
    trace = course_opt.run(f, course_opt.optimizer("sgd", lr=2 / (1 + kappa)), [1.0, 1.0], 50)
    errors = np.linalg.norm(trace.thetas, axis=1)
    assert (errors[-1] / errors[0]) ** (1 / 50) == pytest.approx(course_opt.gd_contraction(kappa), rel=1e-9)


@pytest.mark.parametrize("kappa", [16.0, 100.0])
def test_heavy_ball_rate_on_a_quadratic_matches_theory(kappa):
    rate = course_opt.heavy_ball_contraction(kappa)
    opt = course_opt.optimizer("momentum", lr=4 / (1 + math.sqrt(kappa)) ** 2, momentum=rate**2)
    f = course_opt.quadratic(np.diag([1.0, kappa]))
    trace = course_opt.run(f, opt, [1.0, 1.0], 600)
    errors = np.linalg.norm(trace.thetas, axis=1)
    measured = (errors[600] / errors[300]) ** (1 / 300)
    assert measured == pytest.approx(rate, rel=0.02)
    assert measured < course_opt.gd_contraction(kappa)


@pytest.mark.parametrize("rule", sorted(course_opt.RULES))
def test_every_rule_minimizes_a_quadratic(rule):
    hyper = {"sgd": 0.1, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.5, "rmsprop": 0.01,
             "rmsprop_nesterov": 0.005, "adadelta": 1.0, "adam": 0.05, "adamw": 0.05}
    extra = {"weight_decay": 0.0} if rule == "adamw" else {}
    f = course_opt.quadratic(np.diag([1.0, 5.0]), [1.0, -2.0])
    trace = course_opt.run(f, course_opt.optimizer(rule, lr=hyper[rule], **extra), [3.0, 3.0], 3000)
    assert trace.values[-1] - f.min_value < 1e-3 * (trace.values[0] - f.min_value), rule


@pytest.mark.parametrize(
    "rule, hyper, message",
    [
        ("sgd", {"lr": -1.0}, "lr must be >= 0"),
        ("momentum", {"lr": 0.1, "momentum": 1.0}, r"momentum must be < 1"),
        ("adam", {"beta1": -0.1}, "beta1 must be >= 0"),
        ("adam", {"beta2": 1.0}, "beta2 must be < 1"),
        ("rmsprop", {"rho": 1.5}, "rho must be < 1"),
        ("adam", {"eps": 0.0}, "eps must be > 0"),
        ("adamw", {"weight_decay": -1.0}, "weight_decay must be >= 0"),
        ("lion", {}, "unknown update rule 'lion'"),
    ],
)
def test_bad_hyperparameters_fail_when_the_optimizer_is_made(rule, hyper, message):
    with pytest.raises(ValueError, match=message):
        course_opt.optimizer(rule, **hyper)


def test_bad_gradients_are_rejected():
    theta = np.ones(2)
    state = course_opt.adam_init(theta)
    with pytest.raises(ValueError, match="NaN or infinite"):
        course_opt.adam_step(theta, state, lambda th: np.array([np.nan, 1.0]))
    with pytest.raises(ValueError, match=r"shape \(3,\) but theta has shape \(2,\)"):
        course_opt.adam_step(theta, state, lambda th: np.ones(3))
    with pytest.raises(ValueError, match="state.m must have length 2"):
        course_opt.adam_step(theta, course_opt.adam_init(np.ones(3)), identity_grad)


def test_schedule_is_read_at_the_state_step_counter():
    seen = []
    opt = course_opt.optimizer("sgd", lr=lambda t: seen.append(t) or 0.1)
    theta, state = np.ones(1), opt.init(np.ones(1))
    seen.clear()
    for _ in range(3):
        theta, state = opt.step(theta, state, identity_grad)
    assert seen == [0, 1, 2]
    with pytest.raises(ValueError, match="lr at step 3 must be >= 0"):
        course_opt.optimizer("sgd", lr=lambda t: 0.1 if t < 3 else -0.1).step(theta, state, identity_grad)


def test_registry_names_every_rule_once():
    assert set(updates.RULES) == {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "rmsprop_nesterov",
                                  "adadelta", "adam", "adamw"}


def test_adadelta_learning_rate_scales_the_step_as_torch_does():
    # torch.optim.Adadelta: acc_delta averages the unscaled delta; the parameter moves by lr * delta.
    lr, rho, eps = 0.5, 0.9, 1e-6
    theta, s, u, expected = 1.0, 0.0, 0.0, []
    for _ in range(3):
        g = theta
        s = rho * s + (1 - rho) * g * g
        delta = math.sqrt(u + eps) / math.sqrt(s + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        theta -= lr * delta
        expected.append(theta)
    thetas, state = three_steps(course_opt.adadelta_init, course_opt.adadelta_step, lr=lr, rho=rho, eps=eps)
    assert thetas == pytest.approx(expected, rel=1e-13)
    assert state.delta_sq_avg[0] == pytest.approx(u, rel=1e-13)
