"""Unit tests for stochastic optimization (Schaul, Antonoglou & Silver, 2014).

Small landscapes with one known difficulty each, a noisy gradient oracle, and a table of how
every optimizer fares on every landscape. A landscape is built from one-dimensional *shapes*
``s(u)``, each with its minimum ``s(0) = 0`` at ``u = 0``:

==============  =======================================  ====================================
shape           ``s(u)``                                  the difficulty
==============  =======================================  ====================================
quadratic       ``u^2 / 2``                               none: the baseline bowl
absolute        ``|u|``                                   a kink; the gradient never shrinks
gaussian        ``1 - exp(-u^2 / 2)``                     a well in a flat, non-convex land
laplace         ``1 - exp(-|u|)``                         a cusp; tiny gradients far out
cliff           ``u`` for ``u >= 0``, ``-100 u`` below    a wall 100 times steeper than the
                                                          slope that leads to it
plateau         ``min(|u|, 1) + 0.01 max(|u| - 1, 0)``    a nearly flat plateau whose edge
                                                          drops to the minimum
exponential     ``exp(u) - u - 1``                        curvature that grows without bound
==============  =======================================  ====================================

A :class:`Prototype` is one shape (1-D) or the sum of two shapes on rotated, rescaled axes
(2-D), with a noise type, and optionally a minimum that drifts. Its exact expected loss
``value(theta, t)`` and minimizer are known; ``grad(theta, t, rng)`` is the noisy oracle an
optimizer sees. :func:`run_suite` runs optimizers made by :func:`course_opt.optimizer` on
prototypes and tabulates the final excess loss.
"""

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from course_opt._checks import as_generator, as_int, as_scalar, as_vector
from course_opt.first_order import DIVERGENCE_THRESHOLD
from course_opt.trace import Trace

#: How much steeper the cliff's wall is than the slope that leads to it.
CLIFF_STEEPNESS = 100.0
#: The slope of the plateau, relative to the slope at its edge.
PLATEAU_TILT = 0.01


def _quadratic(u):
    return 0.5 * u**2, u


def _absolute(u):
    return np.abs(u), np.sign(u)


def _gaussian(u):
    bump = np.exp(-0.5 * u**2)
    return 1.0 - bump, u * bump


def _laplace(u):
    bump = np.exp(-np.abs(u))
    return 1.0 - bump, np.sign(u) * bump


def _cliff(u):
    slope = np.where(u >= 0.0, 1.0, -CLIFF_STEEPNESS)
    return slope * u, np.where(u == 0.0, 0.0, slope)


def _plateau(u):
    distance = np.abs(u)
    on_plateau = distance > 1.0
    value = np.where(on_plateau, 1.0 + PLATEAU_TILT * (distance - 1.0), distance)
    return value, np.sign(u) * np.where(on_plateau, PLATEAU_TILT, 1.0)


def _exponential(u):
    return np.expm1(u) - u, np.expm1(u)


#: The shapes by name: each maps ``u`` to ``(s(u), s'(u))`` elementwise, and ``s'(0) = 0``.
SHAPES = {
    "quadratic": _quadratic,
    "absolute": _absolute,
    "gaussian": _gaussian,
    "laplace": _laplace,
    "cliff": _cliff,
    "plateau": _plateau,
    "exponential": _exponential,
}

#: Where a run starts along each shape's axis: on the slope, the plateau, or the steep side.
STARTS = {"quadratic": 2.0, "absolute": 2.0, "gaussian": 2.0, "laplace": 2.0, "cliff": 2.0, "plateau": 1.5,
          "exponential": 2.0}

#: The noise types of the oracle.
NOISES = ("gaussian", "multiplicative", "cauchy")


class Prototype:
    """A landscape with a known minimum and a noisy gradient oracle.

    The loss is a sum of shapes along rotated, rescaled axes, with its minimum moving at a
    constant ``drift`` per step:

        ``C_t(theta) = sum_i s_i(c_i u_i)``,  ``u = R(angle) (theta - drift t)``,

    with ``R`` the rotation by ``angle`` (radians) in 2-D and ``R = 1`` in 1-D, so the minimizer
    at step ``t`` is ``drift t`` and the minimum is ``0``. The oracle adds noise to each
    shape's derivative ``s_i'`` before the chain rule, with ``sigma = noise_scale``:

    - ``"gaussian"``: ``s' + sigma xi``, ``xi ~ N(0, 1)``: unbiased, standard deviation ``sigma``;
    - ``"multiplicative"``: ``s' exp(sigma xi - sigma^2 / 2)``: unbiased, standard deviation
      ``|s'| sqrt(exp(sigma^2) - 1)``, so it vanishes at the minimum;
    - ``"cauchy"``: ``s' + sigma zeta``, ``zeta`` standard Cauchy: heavy tailed, with no mean
      and no variance; its median is ``s'`` and its quartiles are ``s' +- sigma``.

    Parameters
    ----------
    shapes : str or pair of str
        Names in :data:`SHAPES`; two names make a 2-D prototype.
    noise : str
        One of :data:`NOISES`.
    noise_scale : float
        ``sigma >= 0``; ``0`` gives the exact gradient.
    scales : sequence of float, optional
        ``c_i > 0``, how much each axis is stretched; ``c = (1, 10)`` on two quadratics gives
        curvatures 1 and 100, a condition number of 100. All ones by default.
    angle : float
        The rotation of the axes in radians (2-D only).
    drift : float or sequence of float
        How far the minimizer moves per step; a float moves every coordinate by it.
    """

    def __init__(self, shapes, noise="gaussian", noise_scale=0.1, scales=None, angle=0.0, drift=0.0):
        self.shapes = (shapes,) if isinstance(shapes, str) else tuple(shapes)
        if len(self.shapes) not in (1, 2):
            raise ValueError(f"shapes must be one shape name or two, got {len(self.shapes)}")
        for shape in self.shapes:
            if shape not in SHAPES:
                raise ValueError(f"unknown shape {shape!r}; choose from {sorted(SHAPES)}")
        self.dim = len(self.shapes)
        if noise not in NOISES:
            raise ValueError(f"unknown noise {noise!r}; choose one of {list(NOISES)}")
        self.noise = noise
        self.noise_scale = as_scalar(noise_scale, "noise_scale", low=0.0)
        self.scales = np.ones(self.dim) if scales is None else as_vector(scales, "scales", self.dim)
        if np.any(self.scales <= 0.0):
            raise ValueError("scales must be positive")
        self.angle = as_scalar(angle, "angle")
        if self.dim == 1 and self.angle != 0.0:
            raise ValueError("angle rotates the axes of a 2-D prototype; a 1-D one takes angle = 0")
        cos, sin = np.cos(self.angle), np.sin(self.angle)
        self.rotation = np.array([[1.0]]) if self.dim == 1 else np.array([[cos, sin], [-sin, cos]])
        if np.ndim(drift) == 0:
            drift = np.full(self.dim, as_scalar(drift, "drift"))
        self.drift = as_vector(drift, "drift", self.dim)
        self.min_value = 0.0

    @property
    def name(self):
        """A label such as ``"quadratic, gaussian 0.1"`` or
        ``"quadratic + cliff (scales 1, 10; 30 deg), gaussian 0.1, drift 0.01"``."""
        name = " + ".join(self.shapes)
        details = []
        if np.any(self.scales != 1.0):
            details.append("scales " + ", ".join(f"{c:g}" for c in self.scales))
        if self.angle != 0.0:
            details.append(f"{np.degrees(self.angle):g} deg")
        if details:
            name += f" ({'; '.join(details)})"
        name += f", {self.noise} {self.noise_scale:g}"
        if np.any(self.drift != 0.0):
            name += ", drift " + ", ".join(f"{v:g}" for v in self.drift)
        return name

    def __repr__(self):
        return f"Prototype({self.name!r})"

    @property
    def theta0(self):
        """The standard start: each shape's :data:`STARTS` point along its own axis."""
        return self.rotation.T @ (np.array([STARTS[shape] for shape in self.shapes]) / self.scales)

    def minimizer(self, t=0):
        """The minimizer ``drift t`` at step ``t``."""
        return self.drift * as_int(t, "t")

    def value(self, theta, t=0):
        """The exact expected loss ``C_t(theta)``: the noise has mean zero (or median zero)."""
        return float(sum(values for values, _ in self._shapes_at(theta, t)))

    def exact_grad(self, theta, t=0):
        """The gradient of :meth:`value`, ``R^T (c_i s_i'(c_i u_i))_i``, on which the oracle's
        noise is centred."""
        return self.rotation.T @ (self.scales * np.array([slope for _, slope in self._shapes_at(theta, t)]))

    def grad(self, theta, t, rng):
        """One draw of the noisy gradient at ``theta`` and step ``t``, from ``rng``."""
        slopes = np.array([slope for _, slope in self._shapes_at(theta, t)])
        return self.rotation.T @ (self.scales * self._add_noise(slopes, as_generator(rng)))

    def _shapes_at(self, theta, t):
        """``(s_i(c_i u_i), s_i'(c_i u_i))`` for each shape ``i``."""
        theta = as_vector(theta, "theta", self.dim)
        u = self.scales * (self.rotation @ (theta - self.minimizer(t)))
        return [SHAPES[shape](u_i) for shape, u_i in zip(self.shapes, u)]

    def _add_noise(self, slopes, rng):
        sigma = self.noise_scale
        if self.noise == "gaussian":
            return slopes + sigma * rng.standard_normal(self.dim)
        if self.noise == "multiplicative":
            return slopes * np.exp(sigma * rng.standard_normal(self.dim) - 0.5 * sigma**2)
        return slopes + sigma * rng.standard_cauchy(self.dim)


def standard_prototypes():
    """The book's suite of twelve prototypes: every shape with Gaussian noise of scale 0.1;
    the quadratic with multiplicative noise (scale 1) and with Cauchy noise (scale 0.1); the
    quadratic with a minimum drifting by -0.01 per step, away from the standard start
    ``theta0 = 2`` (drifting towards it, the minimum would reach the start at step 200 and a
    rule that never moves would pass); two quadratics with curvatures 1 and
    100 on axes rotated by 30 degrees; and a kink beside a Gaussian well rotated by 45 degrees.
    """
    return ([Prototype(shape) for shape in SHAPES]
            + [Prototype("quadratic", noise="multiplicative", noise_scale=1.0),
               Prototype("quadratic", noise="cauchy"),
               Prototype("quadratic", drift=-0.01),
               Prototype(("quadratic", "quadratic"), scales=(1.0, 10.0), angle=np.pi / 6),
               Prototype(("absolute", "gaussian"), angle=np.pi / 4)])


def run_prototype(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Run ``opt`` (from :func:`course_opt.optimizer`) for ``num_steps`` noisy steps.

    Step ``t`` (``t = 0, 1, ...``) draws its gradient from ``prototype.grad(theta, t, rng)``
    and maps it through ``grad_transform`` if given (e.g. clipping). The run starts at
    ``theta0``, by default ``prototype.theta0``, and stops as ``"diverged"`` once the loss
    overflows. Returns a :class:`Trace` whose ``values`` are the exact expected losses
    ``C_t(theta_t)`` (the excess loss, since the minimum is ``0``) and whose ``grad_norms`` are
    those of the exact gradients.
    """
    theta = prototype.theta0 if theta0 is None else as_vector(theta0, "theta0", prototype.dim)
    num_steps = as_int(num_steps, "num_steps")
    rng = as_generator(rng)
    state = opt.init(theta)
    thetas, values = [theta], [prototype.value(theta)]
    grad_norms = [float(np.linalg.norm(prototype.exact_grad(theta)))]
    message = f"finished {num_steps} steps"
    for t in range(num_steps):
        with np.errstate(over="ignore", invalid="ignore"):
            theta, state = opt.step(theta, state, _oracle(prototype, t, rng, grad_transform))
            value = prototype.value(theta, t + 1) if np.all(np.isfinite(theta)) else np.inf
        if not np.isfinite(value) or value > DIVERGENCE_THRESHOLD:
            message = "diverged"
            break
        thetas.append(theta)
        values.append(value)
        grad_norms.append(float(np.linalg.norm(prototype.exact_grad(theta, t + 1))))
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


class SuiteResult(NamedTuple):
    """The outcome of :func:`run_suite`.

    ``final_excess[p, o, s]`` is the excess loss ``C_T(theta_T) - C*`` of optimizer ``o`` on
    prototype ``p`` with the ``s``-th seed after ``T = num_steps`` steps, ``inf`` if the run
    diverged. The table's entries are its medians over the seeds, robust to one unlucky
    seed (a Cauchy jump). Compare them with a threshold of your choice for a pass or fail.
    """

    prototypes: tuple
    optimizers: tuple
    final_excess: np.ndarray

    @property
    def median(self):
        """The table: median final excess loss, shape ``(num_prototypes, num_optimizers)``."""
        return np.median(self.final_excess, axis=2)

    def __str__(self):
        width = max(len(name) for name in self.prototypes)
        header = " " * width + "".join(f"{name[:11]:>12}" for name in self.optimizers)
        rows = [f"{name:<{width}}" + "".join(f"{entry:12.2e}" for entry in row)
                for name, row in zip(self.prototypes, self.median)]
        return "\n".join([header] + rows)


def run_suite(optimizers, prototypes, num_steps, seeds):
    """Run every optimizer on every prototype from its standard start, once per seed.

    ``optimizers`` maps a label to an optimizer from :func:`course_opt.optimizer` (so that one
    rule can appear with two learning rates); ``prototypes`` is a sequence of
    :class:`Prototype`, e.g. :func:`standard_prototypes`. For a given prototype and seed every
    optimizer sees the same noise (``numpy.random.default_rng(seed)`` afresh, one draw per
    step), so the comparison is paired. Returns a :class:`SuiteResult`.
    """
    if not isinstance(optimizers, Mapping) or not optimizers:
        raise TypeError("optimizers must be a non-empty dict label -> course_opt.optimizer(...)")
    prototypes = list(prototypes)
    if not prototypes or not all(isinstance(p, Prototype) for p in prototypes):
        raise TypeError("prototypes must be a non-empty sequence of Prototype")
    seeds = [as_int(seed, "every seed") for seed in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    final_excess = np.empty((len(prototypes), len(optimizers), len(seeds)))
    for p, prototype in enumerate(prototypes):
        for o, opt in enumerate(optimizers.values()):
            for s, seed in enumerate(seeds):
                trace = run_prototype(prototype, opt, num_steps, np.random.default_rng(seed))
                diverged = trace.message == "diverged"
                final_excess[p, o, s] = np.inf if diverged else trace.values[-1] - prototype.min_value
    return SuiteResult(tuple(p.name for p in prototypes), tuple(optimizers), final_excess)


def _oracle(prototype, t, rng, grad_transform):
    """The gradient function of step ``t``, as the update rules expect it."""

    def grad_fn(theta):
        g = prototype.grad(theta, t, rng)
        return g if grad_transform is None else grad_transform(g)

    return grad_fn
