"""Correct solutions of the problem set testing, written differently from course_opt.

Each entry replaces the function named before its double underscore in the instructor's
notebook and must earn full marks on every autograded part. The harness parses this file
with ast and never imports it.
"""

import numpy as np

# --- run_prototype --------------------------------------------------------------------------


def run_prototype__preallocated_arrays(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Fills preallocated arrays and trims them; the oracle is a class; norms by sqrt of sums of squares."""

    class Oracle:
        def __init__(self, t):
            self.t = t

        def __call__(self, point):
            g = np.asarray(prototype.grad(point, self.t, rng), dtype=float)
            if grad_transform is not None:
                g = grad_transform(g)
            return g

    start = np.asarray(prototype.theta0 if theta0 is None else theta0, dtype=float).copy()
    d = start.shape[0]
    thetas = np.empty((num_steps + 1, d))
    values = np.empty(num_steps + 1)
    grad_norms = np.empty(num_steps + 1)
    thetas[0] = start
    values[0] = prototype.value(start, 0)
    grad_norms[0] = np.sqrt(np.sum(np.asarray(prototype.exact_grad(start, 0)) ** 2))
    theta, state = start, opt.init(start)
    kept = 0
    message = "finished %d steps" % num_steps
    while kept < num_steps:
        with np.errstate(over="ignore", invalid="ignore"):
            theta, state = opt.step(theta, state, Oracle(kept))
        if not np.isfinite(theta).all():
            message = "diverged"
            break
        with np.errstate(over="ignore", invalid="ignore"):
            loss = prototype.value(theta, kept + 1)
        if not loss <= 1e100:
            message = "diverged"
            break
        kept += 1
        thetas[kept] = theta
        values[kept] = loss
        grad_norms[kept] = np.sqrt(np.sum(np.asarray(prototype.exact_grad(theta, kept)) ** 2))
    return Trace(thetas[:kept + 1], values[:kept + 1], grad_norms[:kept + 1], message)


def run_prototype__python_lists_with_print(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Keeps lists of Python floats, lets NumPy warn on overflow (RuntimeWarning), and prints a summary."""
    import math

    theta = np.array(prototype.theta0, dtype=float) if theta0 is None else np.array(theta0, dtype=float)
    state = opt.init(theta)
    rows = [list(map(float, theta))]
    losses = [float(prototype.value(theta, 0))]
    norms = [math.sqrt(sum(float(g) ** 2 for g in prototype.exact_grad(theta, 0)))]
    message = f"finished {num_steps} steps"
    for t in range(num_steps):
        def oracle(point, step_index=t):
            noisy = prototype.grad(point, step_index, rng)
            return noisy if grad_transform is None else grad_transform(noisy)

        theta, state = opt.step(theta, state, oracle)
        if not all(math.isfinite(x) for x in np.ravel(theta)):
            message = "diverged"
            break
        loss = float(prototype.value(theta, t + 1))
        if math.isnan(loss) or loss > 1e100:
            message = "diverged"
            break
        rows.append(list(map(float, theta)))
        losses.append(loss)
        norms.append(math.sqrt(sum(float(g) ** 2 for g in prototype.exact_grad(theta, t + 1))))
    print(f"{message}: final loss {losses[-1]:.3g}")
    return Trace(np.array(rows), np.array(losses), np.array(norms), message)


def run_prototype__generator_of_steps(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Runs the steps as a generator that yields (theta, loss, gradient norm) until it stops."""
    outcome = {"message": f"finished {num_steps} steps"}

    def steps(theta):
        state = opt.init(theta)
        for t in range(num_steps):
            fn = (lambda p, t=t: prototype.grad(p, t, rng)) if grad_transform is None else (
                lambda p, t=t: grad_transform(prototype.grad(p, t, rng)))
            with np.errstate(all="ignore"):
                theta, state = opt.step(theta, state, fn)
            finite = bool(np.isfinite(theta).all())
            with np.errstate(all="ignore"):
                loss = prototype.value(theta, t + 1) if finite else np.inf
            if not finite or not np.isfinite(loss) or loss > 1e100:
                outcome["message"] = "diverged"
                return
            yield theta, loss, np.linalg.norm(prototype.exact_grad(theta, t + 1))

    start = prototype.theta0 if theta0 is None else np.copy(theta0)
    record = [(start, prototype.value(start, 0), np.linalg.norm(prototype.exact_grad(start, 0)))]
    record.extend(steps(start))
    thetas, values, grad_norms = (np.array(column, dtype=float) for column in zip(*record))
    return Trace(thetas=thetas, values=values, grad_norms=grad_norms, message=outcome["message"])


# --- random_quadratics ----------------------------------------------------------------------


def random_quadratics__starts_first_by_scaling(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """Draws the starts first, then scales rng.random() to [k_min, k_max]."""
    theta0 = rng.normal(0.0, 1.0, size=(num_problems, dim))
    k_min, k_max = (float(k) for k in curvature_range)
    curvatures = k_min + (k_max - k_min) * rng.random((num_problems, dim))
    return curvatures, theta0


def random_quadratics__entry_by_entry(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """Python loops drawing one number at a time from rng, returned as a list pair converted at the end."""
    low, high = curvature_range[0], curvature_range[1]
    curvatures = [[rng.uniform(low, high) for _ in range(dim)] for _ in range(num_problems)]
    theta0 = [[rng.standard_normal() for _ in range(dim)] for _ in range(num_problems)]
    return np.array(curvatures, dtype=float), np.array(theta0, dtype=float)


def random_quadratics__one_draw_split_with_print(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """One uniform draw of twice the size, half mapped to normals by Box-Muller; prints the family's size."""
    shape = (num_problems, dim)
    n = num_problems * dim
    u = rng.random(3 * n)
    low, high = np.asarray(curvature_range, dtype=float)
    curvatures = (low + (high - low) * u[:n]).reshape(shape)
    u1, u2 = 1.0 - u[n:2 * n], u[2 * n:]
    theta0 = (np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)).reshape(shape)
    print(f"{num_problems} quadratics in {dim} dimensions")
    return curvatures, theta0


# --- unrolled_loss --------------------------------------------------------------------------


def unrolled_loss__torch_style_velocity(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Keeps the velocity as PyTorch does, b = momentum b + g and theta -= lr b (the same iterates)."""
    theta = np.copy(theta0).astype(float)
    buffer = np.zeros_like(theta)
    losses = []
    for _ in range(num_steps):
        buffer = momentum * buffer + curvatures * theta
        theta = theta - lr * buffer
        losses.append(0.5 * np.einsum("pi,pi->", curvatures, theta * theta) / theta.shape[0])
    return np.array(sum(losses) if summed else losses[-1])


def unrolled_loss__problem_by_problem(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Runs each problem on its own in Python floats and averages at the end."""
    num_problems, dim = len(curvatures), len(curvatures[0])
    per_problem = []
    for p in range(num_problems):
        k = [float(c) for c in curvatures[p]]
        theta = [float(x) for x in theta0[p]]
        v = [0.0] * dim
        total = 0.0
        final = 0.0
        for _ in range(int(num_steps)):
            v = [momentum * vi - lr * ki * ti for vi, ki, ti in zip(v, k, theta)]
            theta = [ti + vi for ti, vi in zip(theta, v)]
            final = sum(0.5 * ki * ti * ti for ki, ti in zip(k, theta))
            total += final
        per_problem.append(total if summed else final)
    return sum(per_problem) / num_problems


def unrolled_loss__stacked_history_with_warning(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Stores every iterate in a (K, P, d) array and prints the decrease factor, which warns 0/0 at a minimum."""
    k = np.asarray(curvatures)
    history = np.empty((int(num_steps),) + k.shape)
    theta, v = np.asarray(theta0, dtype=float), np.zeros(k.shape)
    for t in range(int(num_steps)):
        v = momentum * v - lr * (k * theta)
        theta = theta + v
        history[t] = theta
    losses = 0.5 * (np.square(history) * k).sum(axis=2).mean(axis=1)
    start = 0.5 * np.mean(np.sum(k * np.square(theta0), axis=1))
    print(f"the loss changed by a factor {losses[-1] / start:.3g} in {int(num_steps)} steps")
    return losses.sum() if summed else losses[-1]


# --- hypergradient --------------------------------------------------------------------------


def hypergradient__central_differences(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Central differences of unrolled_loss with h = 1e-6, returned as a tuple of Python floats."""
    h = 1e-6

    def loss(a, b):
        return float(unrolled_loss(a, b, curvatures, theta0, num_steps, summed=summed))

    return ((loss(lr + h, momentum) - loss(lr - h, momentum)) / (2 * h),
            (loss(lr, momentum + h) - loss(lr, momentum - h)) / (2 * h))


def hypergradient__reverse_mode_by_hand(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Reverse mode: stores the run, then propagates the adjoints of theta and v backwards."""
    k = np.asarray(curvatures, dtype=float)
    num_problems = k.shape[0]
    thetas = [np.asarray(theta0, dtype=float)]
    velocities = [np.zeros_like(thetas[0])]
    for _ in range(int(num_steps)):
        velocities.append(momentum * velocities[-1] - lr * k * thetas[-1])
        thetas.append(thetas[-1] + velocities[-1])
    theta_bar = k * thetas[-1] / num_problems
    velocity_bar = np.zeros_like(theta_bar)
    d_lr = d_momentum = 0.0
    for t in reversed(range(int(num_steps))):
        w = velocity_bar + theta_bar  # the adjoint of v_{t+1}
        d_momentum += np.sum(w * velocities[t])
        d_lr -= np.sum(w * k * thetas[t])
        velocity_bar = momentum * w
        theta_bar = theta_bar - lr * k * w
        if summed and t >= 1:
            theta_bar = theta_bar + k * thetas[t] / num_problems
    return [d_lr, d_momentum]


def hypergradient__forward_mode_per_problem(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Forward mode with separate tangents for lr and momentum, one problem at a time."""
    k_all = np.asarray(curvatures, dtype=float)
    gradient = np.zeros(2)
    for k, start in zip(k_all, np.asarray(theta0, dtype=float)):
        theta, v = start.copy(), np.zeros_like(start)
        theta_lr, v_lr = np.zeros_like(start), np.zeros_like(start)
        theta_m, v_m = np.zeros_like(start), np.zeros_like(start)
        final, total = np.zeros(2), np.zeros(2)
        for _ in range(int(num_steps)):
            v_lr = momentum * v_lr - k * theta - lr * k * theta_lr
            v_m = v + momentum * v_m - lr * k * theta_m
            v = momentum * v - lr * k * theta
            theta_lr, theta_m = theta_lr + v_lr, theta_m + v_m
            theta = theta + v
            final = np.array([np.dot(k * theta, theta_lr), np.dot(k * theta, theta_m)])
            total += final
        gradient += total if summed else final
    return gradient / len(k_all)
