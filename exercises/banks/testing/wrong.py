"""Wrong solutions of the problem set testing: mistakes students really make.

Each entry replaces the function named before its double underscore in the instructor's
notebook; the hidden tests of the cells named in TESTS must take its points away. The
harness parses this file with ast and never imports it.
"""

import numpy as np

TESTS = {
    "run_prototype": ["test_run_prototype"],
    "random_quadratics": ["test_random_quadratics"],
    "unrolled_loss": ["test_unrolled_loss"],
    "hypergradient": ["test_hypergradient"],
}


# --- run_prototype --------------------------------------------------------------------------


def run_prototype__noise_of_step_t_plus_1(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Draws the noisy gradient of step t + 1 instead of step t (wrong on a drifting minimum)."""
    theta = prototype.theta0 if theta0 is None else np.array(theta0, dtype=float)
    state = opt.init(theta)
    thetas, values = [theta], [prototype.value(theta, 0)]
    grad_norms = [np.linalg.norm(prototype.exact_grad(theta, 0))]
    message = f"finished {num_steps} steps"
    for t in range(num_steps):
        def grad_fn(point, t=t):
            g = prototype.grad(point, t + 1, rng)
            return g if grad_transform is None else grad_transform(g)

        with np.errstate(all="ignore"):
            theta, state = opt.step(theta, state, grad_fn)
            value = prototype.value(theta, t + 1) if np.all(np.isfinite(theta)) else np.inf
        if not np.isfinite(value) or value > 1e100:
            message = "diverged"
            break
        thetas.append(theta)
        values.append(value)
        grad_norms.append(np.linalg.norm(prototype.exact_grad(theta, t + 1)))
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


def run_prototype__records_loss_of_step_t(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Records C_t(theta_{t+1}) and its gradient, the loss of the old step, instead of C_{t+1}."""
    theta = prototype.theta0 if theta0 is None else np.array(theta0, dtype=float)
    state = opt.init(theta)
    thetas, values = [theta], [prototype.value(theta, 0)]
    grad_norms = [np.linalg.norm(prototype.exact_grad(theta, 0))]
    message = f"finished {num_steps} steps"
    for t in range(num_steps):
        def grad_fn(point, t=t):
            g = prototype.grad(point, t, rng)
            return g if grad_transform is None else grad_transform(g)

        with np.errstate(all="ignore"):
            theta, state = opt.step(theta, state, grad_fn)
            value = prototype.value(theta, t) if np.all(np.isfinite(theta)) else np.inf
        if not np.isfinite(value) or value > 1e100:
            message = "diverged"
            break
        thetas.append(theta)
        values.append(value)
        grad_norms.append(np.linalg.norm(prototype.exact_grad(theta, t)))
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


def run_prototype__records_the_diverged_iterate(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Appends the new iterate before the divergence test, so the diverged iterate is recorded."""
    theta = prototype.theta0 if theta0 is None else np.array(theta0, dtype=float)
    state = opt.init(theta)
    thetas, values = [theta], [prototype.value(theta, 0)]
    grad_norms = [np.linalg.norm(prototype.exact_grad(theta, 0))]
    message = f"finished {num_steps} steps"
    for t in range(num_steps):
        def grad_fn(point, t=t):
            g = prototype.grad(point, t, rng)
            return g if grad_transform is None else grad_transform(g)

        with np.errstate(all="ignore"):
            theta, state = opt.step(theta, state, grad_fn)
            finite = np.all(np.isfinite(theta))
            value = prototype.value(theta, t + 1) if finite else np.inf
            thetas.append(theta)
            values.append(value)
            grad_norms.append(np.linalg.norm(prototype.exact_grad(theta, t + 1)) if finite else np.inf)
        if not np.isfinite(value) or value > 1e100:
            message = "diverged"
            break
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


def run_prototype__no_threshold_only_overflow(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Stops only when the loss is not finite, ignoring the threshold 1e100."""
    theta = prototype.theta0 if theta0 is None else np.array(theta0, dtype=float)
    state = opt.init(theta)
    thetas, values = [theta], [prototype.value(theta, 0)]
    grad_norms = [np.linalg.norm(prototype.exact_grad(theta, 0))]
    message = f"finished {num_steps} steps"
    for t in range(num_steps):
        def grad_fn(point, t=t):
            g = prototype.grad(point, t, rng)
            return g if grad_transform is None else grad_transform(g)

        with np.errstate(all="ignore"):
            theta, state = opt.step(theta, state, grad_fn)
            value = prototype.value(theta, t + 1) if np.all(np.isfinite(theta)) else np.inf
        if not np.isfinite(value):
            message = "diverged"
            break
        thetas.append(theta)
        values.append(value)
        grad_norms.append(np.linalg.norm(prototype.exact_grad(theta, t + 1)))
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


def run_prototype__evaluates_a_nonfinite_theta(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Calls prototype.value before checking that theta is finite (the prototype raises on inf)."""
    theta = prototype.theta0 if theta0 is None else np.array(theta0, dtype=float)
    state = opt.init(theta)
    thetas, values = [theta], [prototype.value(theta, 0)]
    grad_norms = [np.linalg.norm(prototype.exact_grad(theta, 0))]
    message = f"finished {num_steps} steps"
    for t in range(num_steps):
        def grad_fn(point, t=t):
            g = prototype.grad(point, t, rng)
            return g if grad_transform is None else grad_transform(g)

        with np.errstate(all="ignore"):
            theta, state = opt.step(theta, state, grad_fn)
            value = prototype.value(theta, t + 1)
        if not np.isfinite(value) or value > 1e100:
            message = "diverged"
            break
        thetas.append(theta)
        values.append(value)
        grad_norms.append(np.linalg.norm(prototype.exact_grad(theta, t + 1)))
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


def run_prototype__norms_of_noisy_gradients(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Records the norm of a noisy gradient draw (prototype.grad) instead of the exact gradient."""
    theta = prototype.theta0 if theta0 is None else np.array(theta0, dtype=float)
    state = opt.init(theta)
    thetas, values = [theta], [prototype.value(theta, 0)]
    grad_norms = [np.linalg.norm(prototype.grad(theta, 0, rng))]
    message = f"finished {num_steps} steps"
    for t in range(num_steps):
        def grad_fn(point, t=t):
            g = prototype.grad(point, t, rng)
            return g if grad_transform is None else grad_transform(g)

        with np.errstate(all="ignore"):
            theta, state = opt.step(theta, state, grad_fn)
            value = prototype.value(theta, t + 1) if np.all(np.isfinite(theta)) else np.inf
        if not np.isfinite(value) or value > 1e100:
            message = "diverged"
            break
        thetas.append(theta)
        values.append(value)
        grad_norms.append(np.linalg.norm(prototype.grad(theta, t + 1, rng)))
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


def run_prototype__gradient_drawn_at_current_theta(prototype, opt, num_steps, rng, theta0=None,
                                                   grad_transform=None):
    """Draws the gradient at theta_t before the step and hands it back whatever point the optimizer asks for."""
    theta = prototype.theta0 if theta0 is None else np.array(theta0, dtype=float)
    state = opt.init(theta)
    thetas, values = [theta], [prototype.value(theta, 0)]
    grad_norms = [np.linalg.norm(prototype.exact_grad(theta, 0))]
    message = f"finished {num_steps} steps"
    for t in range(num_steps):
        g = prototype.grad(theta, t, rng)
        if grad_transform is not None:
            g = grad_transform(g)
        with np.errstate(all="ignore"):
            theta, state = opt.step(theta, state, lambda point, g=g: g)
            value = prototype.value(theta, t + 1) if np.all(np.isfinite(theta)) else np.inf
        if not np.isfinite(value) or value > 1e100:
            message = "diverged"
            break
        thetas.append(theta)
        values.append(value)
        grad_norms.append(np.linalg.norm(prototype.exact_grad(theta, t + 1)))
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


def run_prototype__transform_ignored(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Never applies grad_transform (no clipping)."""
    theta = prototype.theta0 if theta0 is None else np.array(theta0, dtype=float)
    state = opt.init(theta)
    thetas, values = [theta], [prototype.value(theta, 0)]
    grad_norms = [np.linalg.norm(prototype.exact_grad(theta, 0))]
    message = f"finished {num_steps} steps"
    for t in range(num_steps):
        with np.errstate(all="ignore"):
            theta, state = opt.step(theta, state, lambda point, t=t: prototype.grad(point, t, rng))
            value = prototype.value(theta, t + 1) if np.all(np.isfinite(theta)) else np.inf
        if not np.isfinite(value) or value > 1e100:
            message = "diverged"
            break
        thetas.append(theta)
        values.append(value)
        grad_norms.append(np.linalg.norm(prototype.exact_grad(theta, t + 1)))
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


def run_prototype__own_generator(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """Draws the noise from a generator of its own, seeded with 0, instead of the given rng."""
    noise = np.random.default_rng(0)
    theta = prototype.theta0 if theta0 is None else np.array(theta0, dtype=float)
    state = opt.init(theta)
    thetas, values = [theta], [prototype.value(theta, 0)]
    grad_norms = [np.linalg.norm(prototype.exact_grad(theta, 0))]
    message = f"finished {num_steps} steps"
    for t in range(num_steps):
        def grad_fn(point, t=t):
            g = prototype.grad(point, t, noise)
            return g if grad_transform is None else grad_transform(g)

        with np.errstate(all="ignore"):
            theta, state = opt.step(theta, state, grad_fn)
            value = prototype.value(theta, t + 1) if np.all(np.isfinite(theta)) else np.inf
        if not np.isfinite(value) or value > 1e100:
            message = "diverged"
            break
        thetas.append(theta)
        values.append(value)
        grad_norms.append(np.linalg.norm(prototype.exact_grad(theta, t + 1)))
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), message)


def run_prototype__message_counts_iterates(prototype, opt, num_steps, rng, theta0=None, grad_transform=None):
    """The message counts the recorded iterates (num_steps + 1) instead of the steps."""
    theta = prototype.theta0 if theta0 is None else np.array(theta0, dtype=float)
    state = opt.init(theta)
    thetas, values = [theta], [prototype.value(theta, 0)]
    grad_norms = [np.linalg.norm(prototype.exact_grad(theta, 0))]
    for t in range(num_steps):
        def grad_fn(point, t=t):
            g = prototype.grad(point, t, rng)
            return g if grad_transform is None else grad_transform(g)

        with np.errstate(all="ignore"):
            theta, state = opt.step(theta, state, grad_fn)
            value = prototype.value(theta, t + 1) if np.all(np.isfinite(theta)) else np.inf
        if not np.isfinite(value) or value > 1e100:
            return Trace(np.array(thetas), np.array(values), np.array(grad_norms), "diverged")
        thetas.append(theta)
        values.append(value)
        grad_norms.append(np.linalg.norm(prototype.exact_grad(theta, t + 1)))
    return Trace(np.array(thetas), np.array(values), np.array(grad_norms), f"finished {len(thetas)} steps")


# --- random_quadratics ----------------------------------------------------------------------


def random_quadratics__global_numpy_random(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """Draws from np.random (the global generator) instead of rng."""
    low, high = curvature_range
    curvatures = np.random.uniform(low, high, (num_problems, dim))
    theta0 = np.random.standard_normal((num_problems, dim))
    return curvatures, theta0


def random_quadratics__log_uniform_curvatures(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """Draws the curvatures log-uniformly (uniform exponents) instead of uniformly."""
    low, high = curvature_range
    curvatures = np.exp(rng.uniform(np.log(low), np.log(high), (num_problems, dim)))
    theta0 = rng.standard_normal((num_problems, dim))
    return curvatures, theta0


def random_quadratics__uniform_starts(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """Draws the starts uniformly on [-sqrt(3), sqrt(3)] (variance 1, but not normal)."""
    low, high = curvature_range
    curvatures = rng.uniform(low, high, (num_problems, dim))
    theta0 = rng.uniform(-np.sqrt(3.0), np.sqrt(3.0), (num_problems, dim))
    return curvatures, theta0


def random_quadratics__shape_transposed(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """Returns arrays of shape (dim, num_problems): one column per problem."""
    low, high = curvature_range
    return rng.uniform(low, high, (dim, num_problems)), rng.standard_normal((dim, num_problems))


def random_quadratics__range_ignored(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """Always draws the curvatures from the default range [0.1, 1]."""
    curvatures = rng.uniform(0.1, 1.0, (num_problems, dim))
    theta0 = rng.standard_normal((num_problems, dim))
    return curvatures, theta0


def random_quadratics__own_seeded_generator(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """Makes its own generator with seed 0 'for reproducibility', ignoring rng."""
    generator = np.random.default_rng(0)
    low, high = curvature_range
    return generator.uniform(low, high, (num_problems, dim)), generator.standard_normal((num_problems, dim))


def random_quadratics__one_problem_repeated(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """Draws one row of curvatures and starts and repeats it for every problem."""
    low, high = curvature_range
    curvatures = np.tile(rng.uniform(low, high, dim), (num_problems, 1))
    theta0 = np.tile(rng.standard_normal(dim), (num_problems, 1))
    return curvatures, theta0


def random_quadratics__scaled_from_zero(num_problems, dim, rng, curvature_range=(0.1, 1.0)):
    """Scales a uniform [0, 1) draw by k_max only: curvatures in [0, k_max) instead of [k_min, k_max]."""
    curvatures = curvature_range[1] * rng.random((num_problems, dim))
    theta0 = rng.standard_normal((num_problems, dim))
    return curvatures, theta0


# --- unrolled_loss --------------------------------------------------------------------------


def unrolled_loss__summed_includes_start(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """The summed meta-loss counts C(theta_0) and stops before C(theta_K): t = 0 .. K-1."""
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    total = 0.0
    for _ in range(int(num_steps)):
        total += np.mean(0.5 * np.sum(curvatures * theta**2, axis=1))
        velocity = momentum * velocity - lr * curvatures * theta
        theta = theta + velocity
    final = np.mean(0.5 * np.sum(curvatures * theta**2, axis=1))
    return float(total if summed else final)


def unrolled_loss__mean_over_coordinates(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Averages the loss over the coordinates as well as the problems (np.mean of everything)."""
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    total = loss = 0.0
    for _ in range(int(num_steps)):
        velocity = momentum * velocity - lr * curvatures * theta
        theta = theta + velocity
        loss = np.mean(0.5 * curvatures * theta**2)
        total += loss
    return float(total if summed else loss)


def unrolled_loss__no_half(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Forgets the 1/2 of C(theta) = 1/2 sum k theta^2."""
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    total = loss = 0.0
    for _ in range(int(num_steps)):
        velocity = momentum * velocity - lr * curvatures * theta
        theta = theta + velocity
        loss = np.mean(np.sum(curvatures * theta**2, axis=1))
        total += loss
    return float(total if summed else loss)


def unrolled_loss__theta_moved_by_old_velocity(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Moves theta by the old velocity v_t, then updates the velocity (the two lines swapped)."""
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    total = loss = 0.0
    for _ in range(int(num_steps)):
        new_theta = theta + velocity
        velocity = momentum * velocity - lr * curvatures * theta
        theta = new_theta
        loss = np.mean(0.5 * np.sum(curvatures * theta**2, axis=1))
        total += loss
    return float(total if summed else loss)


def unrolled_loss__gradient_at_look_ahead(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Takes the gradient at the look-ahead point theta + momentum v (Nesterov) instead of at theta."""
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    total = loss = 0.0
    for _ in range(int(num_steps)):
        velocity = momentum * velocity - lr * curvatures * (theta + momentum * velocity)
        theta = theta + velocity
        loss = np.mean(0.5 * np.sum(curvatures * theta**2, axis=1))
        total += loss
    return float(total if summed else loss)


def unrolled_loss__per_problem_losses(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Returns the array of per-problem losses instead of their mean."""
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    total = loss = 0.0
    for _ in range(int(num_steps)):
        velocity = momentum * velocity - lr * curvatures * theta
        theta = theta + velocity
        loss = 0.5 * np.sum(curvatures * theta**2, axis=1)
        total = total + loss
    return total if summed else loss


def unrolled_loss__summed_averaged_over_steps(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """The summed meta-loss divided by K: the mean over the steps instead of the sum."""
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    losses = []
    for _ in range(int(num_steps)):
        velocity = momentum * velocity - lr * curvatures * theta
        theta = theta + velocity
        losses.append(np.mean(0.5 * np.sum(curvatures * theta**2, axis=1)))
    return float(np.mean(losses) if summed else losses[-1])


def unrolled_loss__updates_theta0_in_place(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Runs the steps on theta0 itself (theta = theta0; theta += v), changing the caller's starts."""
    theta = theta0
    velocity = np.zeros_like(theta)
    total = loss = 0.0
    for _ in range(int(num_steps)):
        velocity = momentum * velocity - lr * curvatures * theta
        theta += velocity
        loss = np.mean(0.5 * np.sum(curvatures * theta**2, axis=1))
        total += loss
    return float(total if summed else loss)


# --- hypergradient --------------------------------------------------------------------------


def hypergradient__one_sided_difference(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """A forward difference (L(x + h) - L(x)) / h with h = 1e-6: an error of order h."""
    h = 1e-6
    base = unrolled_loss(lr, momentum, curvatures, theta0, num_steps, summed)
    d_lr = (unrolled_loss(lr + h, momentum, curvatures, theta0, num_steps, summed) - base) / h
    d_momentum = (unrolled_loss(lr, momentum + h, curvatures, theta0, num_steps, summed) - base) / h
    return np.array([d_lr, d_momentum])


def hypergradient__central_difference_large_step(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """A central difference with h = 1e-3, too coarse on long horizons."""
    h = 1e-3
    d_lr = (unrolled_loss(lr + h, momentum, curvatures, theta0, num_steps, summed)
            - unrolled_loss(lr - h, momentum, curvatures, theta0, num_steps, summed)) / (2 * h)
    d_momentum = (unrolled_loss(lr, momentum + h, curvatures, theta0, num_steps, summed)
                  - unrolled_loss(lr, momentum - h, curvatures, theta0, num_steps, summed)) / (2 * h)
    return np.array([d_lr, d_momentum])


def hypergradient__theta_treated_as_constant(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Forward mode without the term -lr k dtheta: the gradient's dependence on lr through theta is lost."""
    k = np.asarray(curvatures, dtype=float)
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    d_theta = np.zeros((2,) + theta.shape)
    d_velocity = np.zeros((2,) + theta.shape)
    grad_total = np.zeros(2)
    grad_final = np.zeros(2)
    for _ in range(int(num_steps)):
        d_velocity = momentum * d_velocity
        d_velocity[0] -= k * theta
        d_velocity[1] += velocity
        velocity = momentum * velocity - lr * k * theta
        d_theta = d_theta + d_velocity
        theta = theta + velocity
        grad_final = np.mean(np.sum(k * theta * d_theta, axis=2), axis=1)
        grad_total += grad_final
    return grad_total if summed else grad_final


def hypergradient__momentum_derivative_with_new_velocity(lr, momentum, curvatures, theta0, num_steps,
                                                         summed=False):
    """dv/dmomentum adds the new velocity v_{t+1} instead of v_t (the velocity updated too early)."""
    k = np.asarray(curvatures, dtype=float)
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    d_theta = np.zeros((2,) + theta.shape)
    d_velocity = np.zeros((2,) + theta.shape)
    grad_total = np.zeros(2)
    grad_final = np.zeros(2)
    for _ in range(int(num_steps)):
        velocity = momentum * velocity - lr * k * theta
        d_velocity = momentum * d_velocity - lr * k * d_theta
        d_velocity[0] -= k * theta
        d_velocity[1] += velocity
        d_theta = d_theta + d_velocity
        theta = theta + velocity
        grad_final = np.mean(np.sum(k * theta * d_theta, axis=2), axis=1)
        grad_total += grad_final
    return grad_total if summed else grad_final


def hypergradient__summed_ignored(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Always returns the gradient of the final meta-loss, even when summed=True."""
    h = 1e-6
    d_lr = (unrolled_loss(lr + h, momentum, curvatures, theta0, num_steps)
            - unrolled_loss(lr - h, momentum, curvatures, theta0, num_steps)) / (2 * h)
    d_momentum = (unrolled_loss(lr, momentum + h, curvatures, theta0, num_steps)
                  - unrolled_loss(lr, momentum - h, curvatures, theta0, num_steps)) / (2 * h)
    return np.array([d_lr, d_momentum])


def hypergradient__components_swapped(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Returns (dL/dmomentum, dL/dlr): the two components in the wrong order."""
    h = 1e-6
    d_lr = (unrolled_loss(lr + h, momentum, curvatures, theta0, num_steps, summed)
            - unrolled_loss(lr - h, momentum, curvatures, theta0, num_steps, summed)) / (2 * h)
    d_momentum = (unrolled_loss(lr, momentum + h, curvatures, theta0, num_steps, summed)
                  - unrolled_loss(lr, momentum - h, curvatures, theta0, num_steps, summed)) / (2 * h)
    return np.array([d_momentum, d_lr])


def hypergradient__without_the_half(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Differentiates C = sum k theta^2 (without the 1/2): twice the hypergradient."""
    k = np.asarray(curvatures, dtype=float)
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    d_theta = np.zeros((2,) + theta.shape)
    d_velocity = np.zeros((2,) + theta.shape)
    grad_total = np.zeros(2)
    grad_final = np.zeros(2)
    for _ in range(int(num_steps)):
        d_velocity = momentum * d_velocity - lr * k * d_theta
        d_velocity[0] -= k * theta
        d_velocity[1] += velocity
        velocity = momentum * velocity - lr * k * theta
        d_theta = d_theta + d_velocity
        theta = theta + velocity
        grad_final = np.mean(np.sum(2.0 * k * theta * d_theta, axis=2), axis=1)
        grad_total += grad_final
    return grad_total if summed else grad_final


def hypergradient__updates_theta0_in_place(lr, momentum, curvatures, theta0, num_steps, summed=False):
    """Exact forward mode, but runs the steps on theta0 itself (theta = theta0; theta += v)."""
    k = curvatures
    theta = theta0
    velocity = np.zeros_like(theta)
    d_theta = np.zeros((2,) + theta.shape)
    d_velocity = np.zeros((2,) + theta.shape)
    grad_total = np.zeros(2)
    grad_final = np.zeros(2)
    for _ in range(int(num_steps)):
        d_velocity = momentum * d_velocity - lr * k * d_theta
        d_velocity[0] -= k * theta
        d_velocity[1] += velocity
        velocity = momentum * velocity - lr * k * theta
        d_theta = d_theta + d_velocity
        theta += velocity
        grad_final = np.mean(np.sum(k * theta * d_theta, axis=2), axis=1)
        grad_total += grad_final
    return grad_total if summed else grad_final
