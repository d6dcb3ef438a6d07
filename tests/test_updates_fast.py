"""The in-place rules of course_opt.updates_fast give the same numbers as the readable rules
of course_opt.updates, to the last bit, over several steps and across block boundaries."""

import numpy as np
import pytest

from course_opt import updates, updates_fast
from course_opt.updates_fast import BLOCK

CASES = [
    ("momentum", updates.momentum_init, updates.momentum_step, updates_fast.momentum_step_inplace,
     dict(lr=0.01, momentum=0.9)),
    ("rmsprop", updates.rmsprop_init, updates.rmsprop_step, updates_fast.rmsprop_step_inplace,
     dict(lr=1e-3, rho=0.9, eps=1e-8)),
    ("rmsprop eps inside sqrt", updates.rmsprop_init, updates.rmsprop_step, updates_fast.rmsprop_step_inplace,
     dict(lr=1e-3, rho=0.8, eps=1e-6, eps_inside_sqrt=True)),
    ("adam", updates.adam_init, updates.adam_step, updates_fast.adam_step_inplace,
     dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)),
]


@pytest.mark.parametrize("dim", [1, 7, BLOCK, 2 * BLOCK + 3])
@pytest.mark.parametrize("name, init, readable, inplace, hyper", CASES, ids=[c[0] for c in CASES])
def test_inplace_rule_matches_readable_rule_bit_for_bit(rng, dim, name, init, readable, inplace, hyper):
    scale = rng.uniform(0.1, 10.0, size=dim)
    theta0 = rng.normal(size=dim)

    def grad_fn(theta):  # a quadratic with a different curvature per coordinate
        return scale * theta

    theta_r, state_r = theta0.copy(), init(theta0)
    theta_f, state_f = theta0.copy(), init(theta0)
    for _ in range(5):
        theta_r, state_r = readable(theta_r, state_r, grad_fn, **hyper)
        theta_f, state_f = inplace(theta_f, state_f, grad_fn, **hyper)
        np.testing.assert_array_equal(theta_f, theta_r)
        assert state_f.t == state_r.t
        for field_f, field_r in zip(state_f[1:], state_r[1:]):
            np.testing.assert_array_equal(field_f, field_r)


def test_inplace_rule_overwrites_theta_and_state_instead_of_allocating():
    theta = np.ones(10)
    state = updates.adam_init(theta)
    m, s = state.m, state.s
    new_theta, new_state = updates_fast.adam_step_inplace(theta, state, lambda th: 2.0 * th)
    assert new_theta is theta and new_state.m is m and new_state.s is s
    assert new_state.t == 1 and not np.all(theta == 1.0)


def test_inplace_rule_rejects_arrays_it_cannot_overwrite():
    state = updates.momentum_init(np.zeros(4))
    with pytest.raises(TypeError, match="theta"):
        updates_fast.momentum_step_inplace([0.0] * 4, state, np.zeros_like, lr=0.1)
    with pytest.raises(ValueError, match="state.velocity"):
        updates_fast.momentum_step_inplace(np.zeros(5), state, np.zeros_like, lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        updates_fast.momentum_step_inplace(np.zeros(4), state, np.zeros_like, lr=-1.0)
