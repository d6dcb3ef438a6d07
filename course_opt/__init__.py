"""Reference implementations for the course *Optimization for Deep Learning*.

Each module holds one concern of the book: ``objectives`` (costs and their derivatives),
``curvature`` (what the Hessian says about a step), ``first_order`` (gradient methods)
and ``plotting`` (figures). Every function checks its arguments and raises a ``ValueError``
or ``TypeError`` that names the argument at fault.
"""

from course_opt.curvature import (
    classify_critical_point,
    condition_number,
    directional_curvature,
    effective_condition_number,
    gd_contraction,
    gd_steps_to_tolerance,
    heavy_ball_contraction,
    hessian_eigh,
    optimal_lr,
    taylor_gd_step,
)
from course_opt.first_order import gradient_descent
from course_opt.objectives import (
    Objective,
    beale,
    least_squares,
    logistic_regression,
    quadratic,
    rosenbrock,
    saddle,
)
from course_opt.trace import Trace

__all__ = [
    "Objective",
    "Trace",
    "beale",
    "classify_critical_point",
    "condition_number",
    "directional_curvature",
    "effective_condition_number",
    "gd_contraction",
    "gd_steps_to_tolerance",
    "gradient_descent",
    "heavy_ball_contraction",
    "hessian_eigh",
    "least_squares",
    "logistic_regression",
    "optimal_lr",
    "quadratic",
    "rosenbrock",
    "saddle",
    "taylor_gd_step",
]
