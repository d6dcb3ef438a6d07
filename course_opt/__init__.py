"""Reference implementations for the course *Optimization for Deep Learning*.

One module per concern of the book: ``learning`` (risk and empirical risk on distributions
known exactly), ``objectives`` (costs and their derivatives), ``curvature`` (what the
Hessian says about a step), ``updates`` (first-order update rules), ``schedules``
(learning-rate schedules), ``clipping``, ``data`` (minibatches, synthetic data), ``preprocessing`` (standardizing
and whitening inputs), ``stopping`` (early stopping on a validation curve),
``first_order`` (the driver that runs a rule and records a ``Trace``), ``initializers`` and
``mlp`` (a tiny network for the practical challenges), ``line_search``, ``second_order``
(Newton, BFGS, L-BFGS) and ``hessian_free`` (Hessian-vector products, CG, Newton-CG),
``prototypes`` (unit tests for stochastic optimization), ``meta`` (learning a learning
rate), ``plotting`` and ``animation`` (trajectories that play in a static page); the last two
import matplotlib and are imported by name, e.g. ``from course_opt.plotting import plot_losses``. Every function checks its arguments and raises a ``ValueError`` or
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
from course_opt.hessian_free import CGResult, conjugate_gradient, hvp_finite_difference, newton_cg
from course_opt.initializers import constant_bias, gaussian, he_normal, xavier_bound, xavier_uniform
from course_opt.learning import (
    GaussianClassification,
    GaussianLinearRegression,
    cross_entropy_loss,
    empirical_risk,
    zero_one_loss,
)
from course_opt.line_search import LineSearchResult, armijo_condition, backtracking, strong_wolfe_conditions, wolfe
from course_opt.meta import hypergradient, meta_train
from course_opt.mlp import init_params, layer_grad_norms, mlp_objective, permute_hidden_units
from course_opt.objectives import (
    Objective,
    beale,
    double_well,
    least_squares,
    logistic_regression,
    quadratic,
    rosenbrock,
    saddle,
)
from course_opt.preprocessing import standardize, whiten
from course_opt.prototypes import Prototype, run_prototype, run_suite, standard_prototypes
from course_opt.second_order import bfgs, bfgs_update, lbfgs, lbfgs_direction, newton, newton_direction
from course_opt.schedules import (
    constant_lr,
    cosine_lr,
    exponential_lr,
    inverse_time_lr,
    linear_lr,
    sgdr_lr,
    step_lr,
)
from course_opt.stopping import early_stopping
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
    "animation", "clipping", "curvature", "data", "first_order", "hessian_free", "initializers", "learning",
    "line_search", "meta", "mlp", "objectives", "plotting", "preprocessing", "prototypes", "schedules",
    "second_order", "stopping", "trace",
    "updates"}]
