"""One step of momentum, RMSProp and Adam on d = 10^7 float64 parameters.

Three implementations of each rule: the book's readable rule (course_opt.updates, new
arrays every step), the in-place blocked rule beside it (course_opt.updates_fast; the same
numbers, tested bit for bit), and torch.optim on the CPU (foreach=True, float64 tensors).
Each is timed in its steady state (after one warm-up step), median of --repeats steps,
with the gradient already computed (only the update is timed).

Peers and targets:
- torch.optim, the same rule, measured in the same run: ratio <= 1.0.
- the memory-bandwidth bound: the bytes the update must read and write (momentum and
  RMSProp read theta, the state and g and write theta and the state: 5 x 8d bytes; Adam
  7 x 8d) over the speed of a large numpy.copyto (16d bytes moved): ratio <= 2.5.
- peak memory beyond theta, the state and g, from tracemalloc (it sees numpy's
  allocations, not torch's), in units of one parameter-sized array: <= 2.
"""

import tracemalloc

import numpy as np

from _common import header, median_time, parser, print_table, verdict
from course_opt import updates, updates_fast

RULES = [
    # name, init, readable step, in-place step, torch optimizer factory, hyperparameters,
    # parameter-sized arrays read + written by one step
    ("momentum", updates.momentum_init, updates.momentum_step, updates_fast.momentum_step_inplace,
     lambda torch, p: torch.optim.SGD([p], lr=1e-3, momentum=0.9, foreach=True),
     dict(lr=1e-3, momentum=0.9), 5),
    ("RMSProp", updates.rmsprop_init, updates.rmsprop_step, updates_fast.rmsprop_step_inplace,
     lambda torch, p: torch.optim.RMSprop([p], lr=1e-3, alpha=0.9, eps=1e-8, foreach=True),
     dict(lr=1e-3, rho=0.9, eps=1e-8), 5),
    ("Adam", updates.adam_init, updates.adam_step, updates_fast.adam_step_inplace,
     lambda torch, p: torch.optim.Adam([p], lr=1e-3, betas=(0.9, 0.999), eps=1e-8, foreach=True),
     dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8), 7),
]


def main():
    args = parser(__doc__.splitlines()[0]).parse_args()
    dim = 10**5 if args.tiny else 10**7
    repeats = args.repeats or (1 if args.tiny else 7)
    torch = None if args.tiny else _import_torch()
    header(f"Update rules, one step, d = {dim:.0e} float64" + (" (tiny: no torch)" if args.tiny else ""))

    rng = np.random.default_rng(0)
    theta0, grad = rng.normal(size=dim), rng.normal(size=dim)
    grad_fn = lambda theta: grad  # noqa: E731 -- the gradient is given, only the update is timed

    src, dst = rng.normal(size=dim), np.empty(dim)
    copy_time = median_time(lambda: np.copyto(dst, src), max(repeats, 5))
    bandwidth = 16 * dim / copy_time  # bytes per second, read + write
    del src, dst

    rows = []
    for name, init, readable, inplace, make_torch, hyper, arrays in RULES:
        bound = arrays * 8 * dim / bandwidth
        torch_time = None if torch is None else _torch_step_time(torch, make_torch, theta0, grad, repeats)
        for label, step in (("readable (course_opt.updates)", readable),
                            ("in-place (course_opt.updates_fast)", inplace)):
            seconds, extra = _numpy_step(step, init, theta0, grad_fn, hyper, repeats)
            vs_torch = None if torch_time is None else seconds / torch_time
            rows.append([name, label, 1e3 * seconds, vs_torch, verdict(vs_torch, 1.0),
                         seconds / bound, verdict(seconds / bound, 2.5), extra, verdict(extra, 2.0)])
        if torch_time is not None:
            rows.append([name, "torch.optim (foreach=True)", 1e3 * torch_time, 1.0, "peer",
                         torch_time / bound, verdict(torch_time / bound, 2.5), None, "-"])
        rows.append([name, "bandwidth bound", 1e3 * bound, None if torch_time is None else bound / torch_time,
                     "-", 1.0, "peer", None, "-"])

    print_table(
        "One step, median wall time",
        ["rule", "implementation", "ms", "/ torch", "<= 1.0", "/ bound", "<= 2.5", "peak temp (x d)", "<= 2"],
        rows,
        notes=[f"numpy.copyto of {dim:.0e} float64: {1e3 * copy_time:.1f} ms = {bandwidth / 1e9:.1f} GB/s "
               f"(read + write); medians of {repeats} steps after a warm-up step. numpy runs on one thread; "
               f"torch uses {torch.get_num_threads() if torch else '-'} threads. "
               "'peak temp' is tracemalloc's peak during one step beyond theta, the state and g, "
               "in parameter-sized arrays (8d bytes); the readable rule's new theta and state count, "
               "as they are allocated while the old ones are alive. torch's allocations are not traced."],
    )


def _numpy_step(step, init, theta0, grad_fn, hyper, repeats):
    """(median seconds, peak temporaries in units of 8d bytes) of one step."""
    box = {"theta": theta0.copy()}
    box["state"] = init(box["theta"])
    box["theta"], box["state"] = step(box["theta"], box["state"], grad_fn, **hyper)  # warm-up

    def one():
        box["theta"], box["state"] = step(box["theta"], box["state"], grad_fn, **hyper)

    seconds = median_time(one, repeats)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        one()
        extra = (tracemalloc.get_traced_memory()[1] - before) / (8 * theta0.size)
    finally:
        tracemalloc.stop()
    return seconds, extra


def _torch_step_time(torch, make_torch, theta0, grad, repeats):
    p = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    p.grad = torch.tensor(grad, dtype=torch.float64)
    opt = make_torch(torch, p)
    opt.step()  # warm-up: creates the state
    return median_time(opt.step, repeats)


def _import_torch():
    try:
        import torch
    except ImportError:
        raise SystemExit("update_rules.py needs torch for its peer column: run `make benchmarks`, "
                         "which installs torch==2.13.0 into .venv, or pass --tiny (no torch)")
    return torch


if __name__ == "__main__":
    main()
