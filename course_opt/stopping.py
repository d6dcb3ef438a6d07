"""Early stopping: when to stop training, read off a validation curve."""

from course_opt._checks import as_int, as_vector


def early_stopping(val_losses, patience):
    """The epoch to keep and the epoch at which training stops, by early stopping with
    patience (Prechelt, 2012) (book: alg-early-stopping).

    ``val_losses[e]`` is the validation loss after epoch ``e`` (``e = 0`` is the start).
    An epoch *improves* if its loss is strictly below the best loss before it. Training
    stops at the first epoch ``e`` that ends ``patience`` epochs in a row without an
    improvement; the kept epoch is the best one up to then, the earliest of equal losses.
    If that never happens, training stops at the last epoch. Returns ``(best, stop)``,
    two Python ints with ``best <= stop``; only ``val_losses[: stop + 1]`` were needed.
    """
    losses = as_vector(val_losses, "val_losses")
    if losses.size == 0:
        raise ValueError("val_losses must hold at least one loss")
    patience = as_int(patience, "patience", low=1)
    best, waited = 0, 0
    for epoch in range(1, losses.size):
        if losses[epoch] < losses[best]:
            best, waited = epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best, epoch
    return best, int(losses.size - 1)
