"""Line searches: how far to step from ``theta`` along a descent direction ``d``.

Both searches look only at the cost along the ray, the 1-D function

.. math::
    \\phi(a) = C(\\theta + a d), \\qquad \\phi'(a) = g(\\theta + a d)^T d,

with ``phi'(0) = g^T d < 0``, and return a step ``a > 0`` that satisfies

- the Armijo (sufficient decrease) condition (Armijo, 1966) (book: eq-armijo):
  ``phi(a) <= phi(0) + c1 a phi'(0)``;
- for :func:`wolfe`, also the strong curvature condition (Wolfe, 1969) (book: eq-wolfe):
  ``|phi'(a)| <= c2 |phi'(0)|``, with ``0 < c1 < c2 < 1``.

As in scipy's ``_linesearch.py``, the search proper works on ``phi`` and ``phi'`` and the
public functions only build them from ``theta`` and ``d``; every evaluation is counted
where it happens (``nfev`` for ``phi``, ``ngev`` for ``phi'``, which costs a gradient).

A trial step at which ``C`` overflows fails the Armijo condition, so the search backs off
without a warning. A search that finds no acceptable step within ``max_iter`` evaluations
of ``C`` neither warns nor raises: its result has ``success=False`` and holds the best step
it found that satisfies the Armijo condition (``0.0`` if none), and the drivers in
:mod:`course_opt.second_order` stop with the message ``"line search failed"``. Bad
arguments (a direction that is not a descent direction, non-finite inputs, ``c1``, ``c2``
outside ``0 < c1 < c2 < 1``) raise a ``ValueError`` at once.
"""

from typing import NamedTuple, Optional

import numpy as np

from course_opt._checks import as_int, as_scalar, as_vector


class LineSearchResult(NamedTuple):
    """The accepted ``step`` ``a``, ``value = C(theta + a d)``, ``grad = g(theta + a d)``
    (``None`` for backtracking, which never needs it), the evaluations spent and whether
    the conditions were met."""

    step: float
    value: float
    grad: Optional[np.ndarray]
    nfev: int
    ngev: int
    success: bool


def armijo_condition(phi_step, phi0, derphi0, step, c1=1e-4):
    """The sufficient decrease condition ``phi(a) <= phi(0) + c1 a phi'(0)`` (book: eq-armijo).

    False when ``phi(a)`` is not finite: an overflowing step is never acceptable.
    """
    return bool(phi_step <= phi0 + c1 * step * derphi0)


def strong_wolfe_conditions(phi_step, derphi_step, phi0, derphi0, step, c1=1e-4, c2=0.9):
    """The strong Wolfe conditions (book: eq-wolfe): the Armijo condition and
    ``|phi'(a)| <= c2 |phi'(0)|``, the slope has flattened (or turned) enough."""
    return armijo_condition(phi_step, phi0, derphi0, step, c1) and bool(abs(derphi_step) <= c2 * abs(derphi0))


def backtracking(value_fn, theta, value, grad, direction, lr0=1.0, c1=1e-4, shrink=0.5, max_iter=60):
    """Backtracking line search (Armijo, 1966; Nocedal & Wright, 2006, Algorithm 3.1).

    Try ``a = lr0, shrink lr0, shrink^2 lr0, ...`` and return the first step that satisfies
    the Armijo condition ``C(theta + a d) <= C(theta) + c1 a g^T d`` (book: eq-armijo).

    Parameters
    ----------
    value_fn : callable
        ``theta -> C(theta)``, e.g. ``objective.value``.
    theta, value, grad : the point, ``C(theta)`` and ``g(theta)``, already known.
    direction : array_like
        A descent direction ``d``: ``g^T d < 0``.
    lr0 : float
        The first step tried: ``1``, the Newton step, by default.
    c1 : float
        The fraction of the linear decrease required, in ``(0, 1)``; ``1e-4`` as in
        Nocedal & Wright (2006, section 3.1).
    shrink : float
        The factor in ``(0, 1)`` by which a rejected step is shortened.
    max_iter : int
        The most evaluations of ``C``; ``0.5^60 ~ 1e-18``.

    Returns a :class:`LineSearchResult` with ``grad=None`` and ``ngev=0``.
    """
    theta, value, _, direction, derphi0 = _ray(theta, value, grad, direction)
    lr0 = as_scalar(lr0, "lr0", low=0.0, low_open=True)
    c1 = as_scalar(c1, "c1", low=0.0, high=1.0, low_open=True, high_open=True)
    shrink = as_scalar(shrink, "shrink", low=0.0, high=1.0, low_open=True, high_open=True)
    max_iter = as_int(max_iter, "max_iter", low=1)

    step = lr0
    for nfev in range(1, max_iter + 1):
        phi_step = _value_along(value_fn, theta, direction, step)
        if armijo_condition(phi_step, value, derphi0, step, c1):
            return LineSearchResult(step, phi_step, None, nfev, 0, True)
        step *= shrink
    return LineSearchResult(0.0, value, None, max_iter, 0, False)


def wolfe(value_fn, grad_fn, theta, value, grad, direction, lr0=1.0, c1=1e-4, c2=0.9, max_iter=20):
    """Line search for the strong Wolfe conditions (book: eq-wolfe) (Wolfe, 1969;
    Nocedal & Wright, 2006, Algorithms 3.5 and 3.6; scipy's ``scalar_search_wolfe2``).

    Bracketing: try ``a = lr0, 2 lr0, 4 lr0, ...`` until a step is acceptable, or an
    interval ``[a_lo, a_hi]`` is known to contain acceptable steps: once ``a`` fails the
    Armijo condition or does not improve on the previous step, or ``phi'(a) >= 0``.
    Zoom: shrink that interval, trying the minimizer of the cubic through ``phi(a_lo)``,
    ``phi'(a_lo)``, ``phi(a_hi)`` and the last discarded end point (the quadratic through the
    first three at the first trial); a trial within ``20 %`` (cubic) or ``10 %``
    (quadratic) of the interval's length from its ends is replaced by the next rule, and
    finally by bisection. ``a_lo`` is always the best step so far that satisfies the
    Armijo condition, with ``phi'(a_lo) (a_hi - a_lo) < 0``.

    Parameters are those of :func:`backtracking`, plus ``grad_fn`` (``theta -> g(theta)``)
    and ``c2`` with ``0 < c1 < c2 < 1``: ``c2 = 0.9`` for (quasi-)Newton directions
    (Nocedal & Wright, 2006, section 3.1); ``max_iter`` bounds the evaluations of ``C``.

    Returns a :class:`LineSearchResult` whose ``grad`` is ``g(theta + a d)``, which the
    search has computed anyway: a quasi-Newton method needs no extra gradient.
    """
    theta, value, grad, direction, derphi0 = _ray(theta, value, grad, direction)
    lr0 = as_scalar(lr0, "lr0", low=0.0, low_open=True)
    c1, c2 = _wolfe_constants(c1, c2)
    max_iter = as_int(max_iter, "max_iter", low=1)
    grads = {0.0: grad}  # g(theta + a d) for every step a at which phi' was evaluated

    def phi(step):
        return _value_along(value_fn, theta, direction, step)

    def derphi(step):
        grads[step] = np.asarray(grad_fn(theta + step * direction), dtype=float)
        return float(grads[step] @ direction)

    step, phi_step, nfev, ngev, success = _scalar_wolfe(phi, derphi, value, derphi0, lr0, c1, c2, max_iter)
    return LineSearchResult(step, phi_step, grads[step], nfev, ngev, success)


# --- helpers ------------------------------------------------------------------------------


class _Trial(NamedTuple):
    """A step ``a`` with ``phi(a)`` and, once computed, ``phi'(a)``."""

    step: float
    phi: float
    derphi: Optional[float] = None


def _ray(theta, value, grad, direction):
    """Check the starting point and the direction; return them with ``phi'(0) = g^T d``."""
    theta = as_vector(theta, "theta")
    direction = as_vector(direction, "direction", theta.size)
    grad = as_vector(grad, "grad", theta.size)
    value = as_scalar(value, "value")
    derphi0 = float(grad @ direction)
    if not derphi0 < 0.0:
        raise ValueError(f"direction must be a descent direction, g^T d < 0; got g^T d = {derphi0:g}")
    return theta, value, grad, direction, derphi0


def _wolfe_constants(c1, c2):
    c1 = as_scalar(c1, "c1", low=0.0, low_open=True)
    c2 = as_scalar(c2, "c2", high=1.0, high_open=True)
    if not c1 < c2:
        raise ValueError(f"the Wolfe conditions need 0 < c1 < c2 < 1, got c1 = {c1}, c2 = {c2}")
    return c1, c2


def _value_along(value_fn, theta, direction, step):
    """``phi(a) = C(theta + a d)``; ``inf`` where the step overflows, without a warning."""
    with np.errstate(over="ignore", invalid="ignore"):
        point = theta + step * direction
        if not np.all(np.isfinite(point)):
            return np.inf
        return float(value_fn(point))


def _scalar_wolfe(phi, derphi, phi0, derphi0, lr0, c1, c2, max_iter):
    """Algorithm 3.5 of Nocedal & Wright on ``phi``: returns ``(a, phi(a), nfev, ngev, success)``."""
    start = _Trial(0.0, phi0, derphi0)
    previous, step = start, lr0
    nfev = ngev = 0
    while nfev < max_iter:
        trial = _Trial(step, phi(step))
        nfev += 1
        if not armijo_condition(trial.phi, phi0, derphi0, step, c1) or (nfev > 1 and trial.phi >= previous.phi):
            return _zoom(previous, trial, phi, derphi, start, c1, c2, max_iter, nfev, ngev)
        trial = trial._replace(derphi=derphi(step))
        ngev += 1
        if strong_wolfe_conditions(trial.phi, trial.derphi, phi0, derphi0, step, c1, c2):
            return step, trial.phi, nfev, ngev, True
        if trial.derphi >= 0.0:
            return _zoom(trial, previous, phi, derphi, start, c1, c2, max_iter, nfev, ngev)
        previous, step = trial, 2.0 * step
    return previous.step, previous.phi, nfev, ngev, False


def _zoom(lo, hi, phi, derphi, start, c1, c2, max_iter, nfev, ngev):
    """Algorithm 3.6 of Nocedal & Wright: shrink ``[lo, hi]`` until a step is acceptable.

    ``lo`` satisfies the Armijo condition with the least ``phi`` so far and has ``derphi``.
    """
    recent = None  # the end point most recently discarded, for the cubic
    while nfev < max_iter:
        step = _interpolate(lo, hi, recent)
        trial = _Trial(step, phi(step))
        nfev += 1
        if not armijo_condition(trial.phi, start.phi, start.derphi, step, c1) or trial.phi >= lo.phi:
            recent, hi = hi, trial
            continue
        trial = trial._replace(derphi=derphi(step))
        ngev += 1
        if strong_wolfe_conditions(trial.phi, trial.derphi, start.phi, start.derphi, step, c1, c2):
            return step, trial.phi, nfev, ngev, True
        if trial.derphi * (hi.step - lo.step) >= 0.0:
            recent, hi = hi, lo
        else:
            recent = lo
        lo = trial
    return lo.step, lo.phi, nfev, ngev, False


def _interpolate(lo, hi, recent):
    """The next trial step in the interval between ``lo.step`` and ``hi.step``.

    The minimizer of the cubic through ``lo`` (value and slope), ``hi`` and ``recent``;
    else of the quadratic through ``lo`` (value and slope) and ``hi``; else the midpoint.
    A candidate too close to an end of the interval is rejected (scipy's ``_zoom``).
    """
    left, right = sorted((lo.step, hi.step))
    width = right - left
    if recent is not None:
        step = _cubic_minimizer(lo, hi, recent)
        if step is not None and left + 0.2 * width <= step <= right - 0.2 * width:
            return step
    step = _quadratic_minimizer(lo, hi)
    if step is not None and left + 0.1 * width <= step <= right - 0.1 * width:
        return step
    return lo.step + 0.5 * (hi.step - lo.step)


def _cubic_minimizer(lo, b, c):
    """The local minimizer of ``p(a) = A (a - a_lo)^3 + B (a - a_lo)^2 + phi'(a_lo) (a - a_lo)
    + phi(a_lo)`` through ``b`` and ``c``, or ``None`` if it has none."""
    db, dc = np.float64(b.step - lo.step), np.float64(c.step - lo.step)
    with np.errstate(all="ignore"):
        denom = (db * dc) ** 2 * (db - dc)
        rhs_b = b.phi - lo.phi - lo.derphi * db
        rhs_c = c.phi - lo.phi - lo.derphi * dc
        A = (dc**2 * rhs_b - db**2 * rhs_c) / denom
        B = (-(dc**3) * rhs_b + db**3 * rhs_c) / denom
        step = lo.step + (-B + np.sqrt(B * B - 3.0 * A * lo.derphi)) / (3.0 * A)
    return float(step) if np.isfinite(step) else None


def _quadratic_minimizer(lo, b):
    """The minimizer of ``p(a) = B (a - a_lo)^2 + phi'(a_lo) (a - a_lo) + phi(a_lo)`` through
    ``b``, or ``None`` if it has none."""
    db = np.float64(b.step - lo.step)
    with np.errstate(all="ignore"):
        B = (b.phi - lo.phi - lo.derphi * db) / (db * db)
        step = lo.step - lo.derphi / (2.0 * B)
    return float(step) if np.isfinite(step) else None
