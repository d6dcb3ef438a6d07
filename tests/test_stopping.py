"""Early stopping with patience against hand-worked curves and a definition by windows."""

import numpy as np
import pytest

import course_opt


@pytest.mark.parametrize("losses, patience, expected", [
    ([5.0, 4.0, 3.0, 3.5, 3.2, 2.0], 2, (2, 4)),   # two epochs without improvement after epoch 2
    ([5.0, 4.0, 3.0, 3.5, 3.2, 2.0], 3, (5, 5)),   # patience 3 waits long enough to see epoch 5
    ([1.0, 1.0, 1.0], 1, (0, 1)),                  # a tie is no improvement; the earliest best is kept
    ([3.0, 2.0, 1.0], 1, (2, 2)),                  # never stops early: the last epoch
    ([7.0], 4, (0, 0)),
])
def test_early_stopping_by_hand(losses, patience, expected):
    assert course_opt.early_stopping(losses, patience) == expected
    assert all(type(i) is int for i in course_opt.early_stopping(losses, patience))


def windows_definition(losses, patience):
    """Stop at the first e >= patience whose last `patience` losses all fail to beat the
    best loss before them; keep the first minimizer up to the stop."""
    stop = next((e for e in range(patience, len(losses))
                 if min(losses[e - patience + 1 : e + 1]) >= min(losses[: e - patience + 1])), len(losses) - 1)
    return int(np.argmin(losses[: stop + 1])), stop


def test_early_stopping_agrees_with_a_definition_by_windows(rng):
    for _ in range(300):
        losses = rng.integers(0, 6, rng.integers(1, 15)).astype(float)  # small integers: many ties
        patience = int(rng.integers(1, 5))
        assert course_opt.early_stopping(losses, patience) == windows_definition(list(losses), patience)


def test_early_stopping_does_not_modify_its_input():
    losses = np.array([3.0, 2.0, 2.5])
    course_opt.early_stopping(losses, 1)
    np.testing.assert_array_equal(losses, [3.0, 2.0, 2.5])


@pytest.mark.parametrize("losses, patience, message", [
    ([], 1, "at least one loss"), ([1.0, np.nan], 1, "NaN"), ([[1.0]], 1, "1-D"),
    ([1.0], 0, "patience must be an integer >= 1"), ([1.0], 1.5, "patience must be an integer"),
])
def test_early_stopping_refuses_bad_input(losses, patience, message):
    with pytest.raises((ValueError, TypeError), match=message):
        course_opt.early_stopping(losses, patience)
