"""Learning-rate schedules: values worked out by hand at the points where they change."""

import functools
import math

import pytest

import course_opt


def test_constant_and_inverse_time():
    assert [course_opt.constant_lr(t, 0.3) for t in (0, 7)] == [0.3, 0.3]
    assert [course_opt.inverse_time_lr(t, 1.0, decay=0.5) for t in (0, 1, 2, 6)] == [1.0, 1 / 1.5, 0.5, 0.25]


def test_inverse_time_satisfies_robbins_monro_partially():
    # sum of lr_t grows like log T (diverges); sum of lr_t^2 stays bounded.
    lrs = [course_opt.inverse_time_lr(t, 1.0) for t in range(100_000)]
    assert sum(lrs) > 12.0 and sum(lr * lr for lr in lrs) < math.pi**2 / 6 + 1e-9


def test_linear_decay_reaches_lr_tau_at_tau_and_stays():
    values = [course_opt.linear_lr(t, lr0=1.0, lr_tau=0.01, tau=100) for t in (0, 50, 99, 100, 1000)]
    assert values == pytest.approx([1.0, 0.505, 1.0 - 0.99 * 0.99, 0.01, 0.01], rel=1e-14)


def test_exponential_and_step_decay():
    assert course_opt.exponential_lr(3, 2.0, 0.5) == 0.25
    assert [course_opt.step_lr(t, 1.0, 0.1, step_size=10) for t in (0, 9, 10, 19, 20)] == pytest.approx(
        [1.0, 1.0, 0.1, 0.1, 0.01], rel=1e-14)


def test_cosine_endpoints_and_midpoint():
    lr = functools.partial(course_opt.cosine_lr, lr0=1.0, num_steps=100, lr_min=0.1)
    assert [lr(0), lr(50), lr(100), lr(150)] == pytest.approx([1.0, 0.55, 0.1, 0.1], rel=1e-14)


def test_sgdr_restarts_with_growing_periods():
    lr = functools.partial(course_opt.sgdr_lr, lr0=1.0, period=10, mult=2)
    # cycles: [0, 10), [10, 30), [30, 70), ...
    assert [lr(t) for t in (0, 10, 30, 70)] == [1.0, 1.0, 1.0, 1.0]
    assert lr(5) == pytest.approx(0.5) and lr(20) == pytest.approx(0.5) and lr(50) == pytest.approx(0.5)
    assert lr(9) == pytest.approx(0.5 * (1 + math.cos(math.pi * 0.9)))
    assert lr(29) == pytest.approx(0.5 * (1 + math.cos(math.pi * 19 / 20)))


def test_sgdr_without_multiplier_repeats_the_same_cycle():
    lr = functools.partial(course_opt.sgdr_lr, lr0=0.2, period=7, lr_min=0.02)
    assert [lr(t) for t in range(7)] == [lr(t) for t in range(21, 28)]
    assert lr(6) > 0.02 and lr(7) == pytest.approx(0.2)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: course_opt.constant_lr(-1, 0.1), "t must be an integer >= 0"),
        (lambda: course_opt.constant_lr(1.5, 0.1), "t must be an integer"),
        (lambda: course_opt.cosine_lr(0, -0.1, 10), "lr0 must be >= 0"),
        (lambda: course_opt.sgdr_lr(0, 0.1, period=0), "period must be an integer >= 1"),
        (lambda: course_opt.exponential_lr(0, 0.1, gamma=1.5), "gamma must be <= 1"),
        (lambda: course_opt.linear_lr(0, 0.1, 0.01, tau=0), "tau must be an integer >= 1"),
    ],
)
def test_bad_schedule_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()
