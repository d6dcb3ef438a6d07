"""Reference implementations for the course *Optimization for Deep Learning*.

One module per concern of the book: ``objectives`` (costs and their derivatives),
``curvature`` (what the Hessian says about a step), ``updates`` (first-order update rules),
``schedules`` (learning-rate schedules), ``clipping``, ``data`` (minibatches, synthetic
data), ``first_order`` (the driver that runs a rule and records a ``Trace``) and
``plotting``. Every function checks its arguments and raises a ``ValueError`` or
``TypeError`` that names the argument at fault.
"""

from course_opt.clipping import clip_by_norm, clip_by_value
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
from course_opt.data import linear_regression_data, minibatches
from course_opt.first_order import gradient_descent, preconditioned_gradient_descent, run
from course_opt.objectives import (
    Objective,
    beale,
    least_squares,
    logistic_regression,
    quadratic,
    rosenbrock,
    saddle,
)
from course_opt.schedules import (
    constant_lr,
    cosine_lr,
    exponential_lr,
    inverse_time_lr,
    linear_lr,
    sgdr_lr,
    step_lr,
)
from course_opt.trace import Trace
from course_opt.updates import (
    RULES,
    AdaDeltaState,
    AdaGradState,
    AdamState,
    MomentumState,
    Optimizer,
    RMSPropNesterovState,
    RMSPropState,
    SGDState,
    adadelta_init,
    adadelta_step,
    adagrad_init,
    adagrad_step,
    adam_init,
    adam_step,
    adamw_init,
    adamw_step,
    momentum_init,
    momentum_step,
    nesterov_init,
    nesterov_step,
    optimizer,
    rmsprop_init,
    rmsprop_nesterov_init,
    rmsprop_nesterov_step,
    rmsprop_step,
    sgd_init,
    sgd_step,
)

__all__ = [name for name in dir() if not name.startswith("_") and name not in {
    "clipping", "curvature", "data", "first_order", "objectives", "schedules", "trace", "updates"}]
