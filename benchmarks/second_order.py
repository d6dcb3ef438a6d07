"""Quasi-Newton and Hessian-free methods against scipy.optimize, on the same functions.

course_opt.second_order.lbfgs (memory 10) against scipy's L-BFGS-B (maxcor 10, no bounds),
and course_opt.hessian_free.newton_cg against scipy's Newton-CG, on extended Rosenbrock
(d = 1000, from (-1.2, 1, -1.2, 1, ...)) and L2-regularized logistic regression (n = 10^4,
d = 10^3, seeded synthetic data, from 0).

Both sides get the same course_opt Objective (value, grad, hvp by autograd) through one
counting wrapper, so only the algorithms differ and every evaluation is counted the same
way. Both stop at the same gradient tolerance ||g||_2 <= tol: course_opt by its ``tol``;
scipy by a callback that raises StopIteration (scipy's own tests, gtol on the projected
gradient's max-norm for L-BFGS-B and xtol on the step for Newton-CG, are turned off). The
callback reads ||g|| from the gradient scipy has just evaluated at that point; if there is
none it evaluates one, and that evaluation is counted against scipy.

Targets: evaluations (f + g, and Hessian-vector products) ratio <= 1.1; wall time (median
of --repeats runs) ratio <= 1.5.
"""

import os
import sys

# One BLAS thread for both sides. With OpenBLAS's default (one thread per core) scipy's
# L-BFGS-B core, which calls BLAS on vectors of d = 1000, ran 13x slower on the busy
# 2-core machine (setulb: 5 ms per call instead of 0.3 ms): that measures thread spinning,
# not the algorithm. Set before numpy is imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from _common import header, median_time, parser, print_table, verdict
from course_opt import logistic_regression, rosenbrock
from course_opt.hessian_free import newton_cg
from course_opt.second_order import lbfgs

MEMORY = 10


class Counted:
    """An Objective whose evaluations are counted, and which remembers ||g|| at the last
    point where the gradient was evaluated."""

    def __init__(self, objective):
        self.objective, self.dim = objective, objective.dim
        self.nfev = self.ngev = self.nhvp = 0
        self.last_theta, self.last_grad_norm = None, None

    def value(self, theta):
        self.nfev += 1
        return self.objective.value(theta)

    def grad(self, theta):
        self.ngev += 1
        grad = self.objective.grad(theta)
        self.last_theta, self.last_grad_norm = np.array(theta, copy=True), float(np.linalg.norm(grad))
        return grad

    def hvp(self, theta, v):
        self.nhvp += 1
        return self.objective.hvp(theta, v)

    def grad_norm(self, theta):
        if self.last_theta is None or not np.array_equal(theta, self.last_theta):
            self.grad(theta)
        return self.last_grad_norm


def problems(tiny):
    dim = 10 if tiny else 1000
    n, d = (200, 10) if tiny else (10**4, 10**3)
    rng = np.random.default_rng(20261123)
    X = rng.normal(size=(n, d)) / np.sqrt(d)
    theta_true = rng.normal(size=d) * 3.0
    y = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-X @ theta_true))).astype(float)
    start = np.tile([-1.2, 1.0], dim // 2)
    return [
        (f"Rosenbrock d={dim}", rosenbrock(dim), start),
        (f"logistic n={n} d={d}", logistic_regression(X, y, l2=1e-3), np.zeros(d)),
    ]


def run_ours(method, counted, theta0, tol):
    if method == "L-BFGS":
        trace = lbfgs(counted, theta0, memory=MEMORY, num_steps=100000, tol=tol)
    else:
        trace = newton_cg(counted, theta0, num_steps=10000, tol=tol)
    return trace.num_steps, trace.theta, trace.message


def run_scipy(method, counted, theta0, tol):
    def stop(intermediate_result):
        if counted.grad_norm(intermediate_result.x) <= tol:
            raise StopIteration

    if method == "L-BFGS":
        result = minimize(counted.value, theta0, jac=counted.grad, method="L-BFGS-B", callback=stop,
                          options=dict(maxcor=MEMORY, gtol=0.0, ftol=0.0, maxiter=100000, maxfun=10**6))
    else:
        result = minimize(counted.value, theta0, jac=counted.grad, hessp=counted.hvp, method="Newton-CG",
                          callback=stop, options=dict(xtol=1e-300, maxiter=10000))
    return result.nit, result.x, result.message


def measure(run, method, objective, theta0, tol, repeats):
    counted = Counted(objective)
    nit, theta, message = run(method, counted, theta0, tol)
    grad_norm = float(np.linalg.norm(objective.grad(theta)))
    seconds = median_time(lambda: run(method, Counted(objective), theta0, tol), repeats)
    return dict(nit=nit, nfev=counted.nfev, ngev=counted.ngev, nhvp=counted.nhvp, seconds=seconds,
                grad_norm=grad_norm, value=objective.value(theta), message=str(message))


def main():
    args = parser(__doc__.splitlines()[0]).parse_args()
    repeats = args.repeats or (1 if args.tiny else 3)
    tol = 1e-6
    header("Quasi-Newton and Hessian-free methods against scipy.optimize" + (" (tiny)" if args.tiny else ""))
    rows, messages = [], []
    for problem, objective, theta0 in problems(args.tiny):
        for method, peer in (("L-BFGS", "scipy L-BFGS-B"), ("Newton-CG", "scipy Newton-CG")):
            ours = measure(run_ours, method, objective, theta0, tol, repeats)
            theirs = measure(run_scipy, method, objective, theta0, tol, repeats)
            print(f"  done: {problem}, {method}", file=sys.stderr, flush=True)
            fg = (ours["nfev"] + ours["ngev"]) / (theirs["nfev"] + theirs["ngev"])
            hvp = ours["nhvp"] / theirs["nhvp"] if theirs["nhvp"] else None
            time_ratio = ours["seconds"] / theirs["seconds"]
            for label, r in ((f"course_opt {method}", ours), (peer, theirs)):
                is_ours = r is ours
                rows.append([problem, label, r["nit"], r["nfev"], r["ngev"], r["nhvp"] if method == "Newton-CG" else "-",
                             fg if is_ours else "peer", verdict(fg, 1.1) if is_ours else "-",
                             (hvp if is_ours else "peer") if method == "Newton-CG" else "-",
                             verdict(hvp, 1.1) if is_ours and hvp is not None else "-",
                             r["seconds"], time_ratio if is_ours else "peer",
                             verdict(time_ratio, 1.5) if is_ours else "-", r["grad_norm"], r["value"]])
                messages.append(f"{problem}, {label}: {r['message']}")
    print_table(
        f"Evaluations and wall time to ||g|| <= {tol:g}",
        ["problem", "method", "iters", "f evals", "g evals", "Hv evals", "(f+g) / peer", "<= 1.1",
         "Hv / peer", "<= 1.1", "s", "time / peer", "<= 1.5", "final ||g||", "final C"],
        rows,
        notes=[f"Wall times are medians of {repeats} runs; the objectives' derivatives come from autograd "
               "(the same functions on both sides; for the logistic regression each evaluation also copies X, "
               "as Objective indexes the samples, so evaluations dominate both sides' times). "
               f"BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']} (see the script).",
               "Stopping messages:\n" + "\n".join(f"- {m}" for m in messages)],
    )


if __name__ == "__main__":
    main()
