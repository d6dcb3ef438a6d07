"""Minibatches, synthetic data and gradient clipping."""

import numpy as np
import pytest

import course_opt


def test_each_epoch_is_a_fresh_permutation_with_the_remainder_kept():
    batches = list(course_opt.minibatches(10, 4, np.random.default_rng(0), num_epochs=3))
    assert [len(b) for b in batches] == [4, 4, 2] * 3
    epochs = [np.concatenate(batches[3 * e : 3 * e + 3]) for e in range(3)]
    for order in epochs:
        assert sorted(order.tolist()) == list(range(10))
    assert not np.array_equal(epochs[0], epochs[1]) and not np.array_equal(epochs[1], epochs[2])


def test_minibatches_are_reproducible_from_the_seed():
    first = list(course_opt.minibatches(7, 3, np.random.default_rng(5), num_epochs=2))
    again = list(course_opt.minibatches(7, 3, np.random.default_rng(5), num_epochs=2))
    assert all(np.array_equal(a, b) for a, b in zip(first, again))


def test_minibatches_reject_bad_arguments():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        list(course_opt.minibatches(10, 2, 0))
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        list(course_opt.minibatches(10, 0, np.random.default_rng(0)))


def test_minibatch_gradients_average_to_the_full_gradient(rng):
    X, y = course_opt.linear_regression_data(12, [1.0, -1.0], 0.5, rng)
    f = course_opt.least_squares(X, y)
    theta = np.array([0.3, 0.2])
    batches = list(course_opt.minibatches(12, 4, rng))
    mean = np.mean([f.grad(theta, batch) for batch in batches], axis=0)
    np.testing.assert_allclose(mean, f.grad(theta), rtol=1e-12)
    np.testing.assert_allclose(f.grad(theta, np.array([3])), X[3] * (X[3] @ theta - y[3]), rtol=1e-12)


def test_minibatch_gradient_standard_error_falls_as_one_over_sqrt_m(rng):
    # Central limit theorem: std of a mean of m i.i.d. per-sample gradients is sigma / sqrt(m).
    X, y = course_opt.linear_regression_data(20_000, [1.0, -1.0], 1.0, rng)
    f = course_opt.least_squares(X, y)
    theta = np.zeros(2)
    sizes = np.array([1, 4, 16, 64])
    stds = []
    for m in sizes:
        draws = [f.grad(theta, rng.integers(0, 20_000, m))[0] for _ in range(2000)]
        stds.append(np.std(draws))
    slope = np.polyfit(np.log(sizes), np.log(stds), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.05)


def test_objective_rejects_bad_batches():
    f = course_opt.least_squares(np.eye(3), np.ones(3))
    with pytest.raises(ValueError, match=r"batch indices must lie in \[0, 3\)"):
        f.grad(np.zeros(3), np.array([0, 3]))
    with pytest.raises(ValueError, match="non-empty 1-D array of sample indices"):
        f.grad(np.zeros(3), np.array([0.5]))
    with pytest.raises(ValueError, match="takes no batch"):
        course_opt.rosenbrock().grad([0.0, 0.0], np.array([0]))


def test_clip_by_norm_keeps_the_direction():
    g = np.array([3.0, 4.0])
    np.testing.assert_allclose(course_opt.clip_by_norm(g, 1.0), [0.6, 0.8], rtol=1e-15)
    np.testing.assert_array_equal(course_opt.clip_by_norm(g, 5.0), g)
    np.testing.assert_array_equal(g, [3.0, 4.0])


def test_clip_by_value_clips_each_coordinate():
    g = np.array([3.0, -0.5, -4.0])
    np.testing.assert_array_equal(course_opt.clip_by_value(g, 1.0), [1.0, -0.5, -1.0])


def test_clipping_rejects_a_non_positive_bound():
    with pytest.raises(ValueError, match="max_norm must be > 0"):
        course_opt.clip_by_norm(np.ones(2), 0.0)
    with pytest.raises(ValueError, match="max_value must be > 0"):
        course_opt.clip_by_value(np.ones(2), -1.0)


def test_clip_by_norm_survives_gradients_whose_squares_overflow_or_underflow():
    huge = course_opt.clip_by_norm(np.array([1e300, 1e300]), 1.0)
    np.testing.assert_allclose(huge, [2**-0.5, 2**-0.5], rtol=1e-15)
    tiny = course_opt.clip_by_norm(np.array([1e-170, 1e-170]), 1e-175)
    np.testing.assert_allclose(np.linalg.norm(tiny / 1e-175), 1.0, rtol=1e-14)
    np.testing.assert_array_equal(course_opt.clip_by_norm(np.zeros(3), 1.0), np.zeros(3))


def test_minibatches_without_shuffling_keep_the_stored_order_and_draw_nothing():
    rng = np.random.default_rng(3)
    batches = list(course_opt.minibatches(7, 3, rng, num_epochs=2, shuffle=False))
    assert [b.tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6]] * 2
    assert rng.integers(1000) == np.random.default_rng(3).integers(1000), "shuffle=False draws nothing"
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        list(course_opt.minibatches(7, 3, rng, shuffle="no"))


def test_run_without_shuffling_visits_the_samples_in_order():
    # One sample per batch on least squares with X = I: step t only moves coordinate t mod 3.
    f = course_opt.least_squares(np.eye(3), np.ones(3))
    trace = course_opt.run(f, course_opt.optimizer("sgd", lr=0.5), np.zeros(3), batch_size=1, num_epochs=1,
                           rng=np.random.default_rng(0), shuffle=False)
    moved = [int(np.flatnonzero(np.diff(trace.thetas, axis=0)[t])[0]) for t in range(3)]
    assert moved == [0, 1, 2]
