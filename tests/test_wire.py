"""The wire between the grader and the student's worker (course_opt/grading/wire.py).

Two endpoints in one process, joined by two pipes: the worker's side serves in a thread, as the
sandboxed worker does in its own process. What crosses must be data, bit for bit; side effects
of the student's code on its arguments must reach the grader's originals; nothing that is not
data may behave like data on the grader's side.
"""

import contextlib
import math
import os
import struct
import threading
from collections import namedtuple

import numpy as np
import pytest

from course_opt.grading import wire
from course_opt.grading.sandbox import GraderEndpoint
from course_opt.grading.worker import WorkerEndpoint

STUDENT_CODE = '''
import numpy as np

def identity(x):
    return x

def scale_in_place(x, factor):
    x *= factor
    return None

def append_to(items):
    items.append(len(items))

def as_column(x):
    x.shape = (-1, 1)

def ratio(a, b):
    return np.array(a / b)

def first_half(x):
    return x[: len(x) // 2]

def draw(rng, n):
    return rng.standard_normal(n)

def call_twice(f, x):
    return f(f(x))

def count(n):
    for k in range(n):
        yield np.full(2, k)

def fail():
    raise ValueError("the student's message")

class Liar:
    def __eq__(self, other):
        return True
    def __bool__(self):
        return True
    def __float__(self):
        return 1.0
    def __array__(self, dtype=None, copy=None):
        return np.zeros(3)

def liar():
    return Liar()

class Close(float):
    def __eq__(self, other):
        return True
    __hash__ = float.__hash__

def close():
    return Close(0.5)

def chatty(x):
    print("student says", x)
    return x

def state_of(s):
    return s._replace(t=s.t + 1)
'''


@pytest.fixture()
def student():
    """The grader's endpoint, talking to a worker endpoint that has run STUDENT_CODE."""
    to_worker, to_grader = os.pipe(), os.pipe()
    worker = WorkerEndpoint(to_worker[0], to_grader[1], output_limit=1000)
    grader = GraderEndpoint(to_grader[0], to_worker[1])

    def serve():
        try:
            while True:
                worker.serve(worker.receive())
        except wire.PeerLost:
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    streams, result, error = grader.run_cell(STUDENT_CODE)
    assert error is None, error
    grader.worker = worker  # (the sandboxed worker prints into worker.stdout; here, tests redirect)
    yield grader
    os.close(to_worker[1])
    thread.join(5)
    for fd in (to_worker[0], to_grader[0], to_grader[1]):
        os.close(fd)


def bits(x):
    return struct.pack("<d", x)


def test_floats_cross_bit_for_bit(student):
    identity = student.get("identity")
    nan_with_payload = struct.unpack("<d", struct.pack("<Q", 0x7FF8_0000_0000_1234))[0]
    for x in (0.1, -0.0, math.inf, -math.inf, 5e-324, 1.7976931348623157e308, nan_with_payload):
        assert bits(identity(x)) == bits(x)
    array = np.array([np.nan, -0.0, 1e-310, np.inf], dtype=np.float64)
    back = identity(array)
    assert back.tobytes() == array.tobytes() and back.dtype == array.dtype
    assert identity(np.float32(0.1)).dtype == np.float32
    assert identity(2**100) == 2**100 and type(identity(True)) is bool
    assert identity(1 + 2j) == 1 + 2j and identity(np.int64(7)).dtype == np.int64


def test_containers_and_namedtuples_cross_by_value(student):
    identity = student.get("identity")
    value = {"a": [1, (2.5, "x")], 3: {4, 5}, "b": None}
    assert identity(value) == value
    State = namedtuple("State", ["t", "m"])
    back = identity(State(1, np.arange(3.0)))
    assert type(back).__name__ == "State" and back._fields == ("t", "m") and back.t == 1
    stepped = student.get("state_of")(State(4, np.zeros(2)))
    assert stepped.t == 5 and type(stepped).__name__ == "State"


def test_in_place_changes_reach_the_originals(student):
    x = np.arange(4.0)
    assert student.get("scale_in_place")(x, 3.0) is None
    assert np.array_equal(x, [0.0, 3.0, 6.0, 9.0])
    items = [7]
    student.get("append_to")(items)
    assert items == [7, 1]


def test_an_array_reshaped_in_place_is_reshaped_for_the_caller(student):
    x = np.arange(3.0)
    student.get("as_column")(x)
    assert x.shape == (3, 1) and np.array_equal(x.ravel(), [0.0, 1.0, 2.0])


def test_zero_d_arrays_and_arrays_of_one_entry_keep_their_shapes(student):
    identity = student.get("identity")
    for value in (np.array(0.5), np.array([0.5]), np.array([[0.5]]), np.arange(6.0).reshape(2, 3)[:, 1]):
        back = identity(value)
        assert back.shape == value.shape and np.array_equal(back, value)
    assert student.get("ratio")(3.0, 2.0).shape == ()


def test_a_returned_argument_is_the_same_object_and_a_view_shares_its_memory(student):
    x = np.arange(6.0)
    assert student.get("identity")(x) is x
    half = student.get("first_half")(x)
    assert np.shares_memory(half, x) and np.array_equal(half, [0.0, 1.0, 2.0])


def test_a_generator_argument_advances_as_in_one_process(student):
    rng, twin = np.random.default_rng(5), np.random.default_rng(5)
    draws = student.get("draw")(rng, 3)
    assert np.array_equal(draws, twin.standard_normal(3))
    assert rng.standard_normal() == twin.standard_normal()


def test_callbacks_nest_and_iterators_are_lazy(student):
    seen = []

    def f(x):
        seen.append(x)
        return x + 1

    assert student.get("call_twice")(f, 1) == 3 and seen == [1, 2]
    iterator = iter(student.get("count")(1000))
    assert np.array_equal(next(iterator), [0, 0]) and np.array_equal(next(iterator), [1, 1])
    assert len(list(student.get("count")(3))) == 3


def test_a_students_exception_keeps_its_type_name_message_and_frames(student):
    with pytest.raises(ValueError, match="the student's message") as caught:
        student.get("fail")()
    assert type(caught.value).__name__ == "ValueError"
    assert isinstance(caught.value, wire.RemoteError)
    assert any("fail" in line for line in caught.value.remote_traceback)
    assert not any("wire" in line for line in caught.value.remote_traceback)


def test_objects_that_are_not_data_cannot_pass_for_data(student):
    liar = student.get("liar")()
    assert isinstance(liar, wire.Remote)
    for use in (lambda: liar == 0, lambda: bool(liar), lambda: float(liar), lambda: liar - 1,
                lambda: np.allclose(liar, np.zeros(3)), lambda: liar.__array__()):
        with pytest.raises((TypeError, AttributeError)):
            use()
    close = student.get("close")()
    assert type(close) is float and close == 0.5 and close != 0.4


def test_student_output_during_a_call_is_reported_as_text(student):
    printed = wire.CappedText(100)
    student.output = printed
    with contextlib.redirect_stdout(student.worker.stdout):
        student.get("chatty")(3)
    assert printed.drain() == "student says 3\n"


def test_the_student_sees_only_public_attributes_of_the_graders_objects(student):
    def secret():
        return 1

    leaked = student.run_cell("def peek(f):\n    return f.__globals__")
    assert leaked[2] is None
    with pytest.raises(AttributeError):
        student.get("peek")(secret)


def test_output_beyond_the_limit_is_counted_not_kept():
    text = wire.CappedText(10)
    text.write("x" * 25)
    assert text.drain() == "x" * 10 + "\n[output truncated: 15 bytes]\n"


def test_malformed_messages_end_the_conversation():
    read_fd, write_fd = os.pipe()
    endpoint = GraderEndpoint(read_fd, os.open(os.devnull, os.O_WRONLY))
    os.write(write_fd, b'{"re": 1, "ok": ["array", "|O8", [1], "AAAAAAAAAAA=", true]}\n')
    with pytest.raises(wire.PeerLost):
        endpoint._result(endpoint.receive(), wire.Decoder(endpoint))
    os.write(write_fd, b"not json\n")
    with pytest.raises(wire.PeerLost):
        endpoint.receive()
