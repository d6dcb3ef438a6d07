"""The wire between the grader and the sandboxed worker that runs a student's code.

Two processes, one pipe in each direction, one JSON message per line. Values cross strictly as
data: None, bool, int, float (bit-exact, NaN and infinities included), complex, str, bytes,
NumPy arrays and scalars of boolean or numeric dtype, list, tuple, dict, set, namedtuples (by
type name, fields and values) and NumPy ``Generator`` objects (by the state of their bit
generator). Anything else stays where it lives and crosses as a reference: the other side
holds a ``Remote`` that can be called, iterated and asked for public attributes, each through
a request over the wire, and that supports no arithmetic, comparison or truth value, so an
object that lies about itself (a custom ``__eq__``, ``__array__``, ``__float__``) cannot fool
the side that receives it.

A call sends its arguments by value. Arrays, lists, dicts and generators among them that the
callee changes in place are written back into the caller's originals after the call, and a
returned value that is (a view of) one of the arguments comes back as (a view of) that same
object, so that the caller sees the side effects it would see in one process. A call may call
back into the caller (e.g. a gradient function passed as an argument): requests nest.

This module runs on both sides. Inside the sandbox it is loaded from its source text (the
sandbox cannot import ``course_opt``), so it imports only the standard library and NumPy.
"""

import base64
import builtins
import importlib
import json
import keyword
import os
import select
import struct
import time

import numpy as np

MAX_MESSAGE_BYTES = 256 * 2**20  # a student's value larger than this ends the worker
MAX_DEPTH = 100  # nesting of containers
ARRAY_KINDS = "biufc"  # bool, signed and unsigned integers, floats, complex numbers
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
MAX_TEXT = 2000  # characters kept of an exception message or a remote object's name


class WireError(ValueError):
    """A message that does not follow the protocol."""


class PeerLost(BaseException):
    """The other process died, stopped answering or broke the protocol.

    A ``BaseException`` so that code catching ``Exception`` does not swallow it.
    """

    def __init__(self, reason, timed_out=False):
        super().__init__(reason)
        self.reason, self.timed_out = reason, timed_out


class RemoteError(Exception):
    """Base class of the exceptions raised on the other side of the wire.

    ``remote_exception`` derives one class per remote exception type, with the remote type's
    name and its nearest built-in base, so that ``except ValueError`` still catches a remote
    ``ValueError`` and ``type(err).__name__`` still names it.
    """

    remote_traceback = ()


_EXCEPTION_CLASSES = {}


def remote_exception(name, mro, message, traceback_lines):
    """An exception of this side that stands for one raised on the other side."""
    if not (isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)):
        name = "Error"
    base = Exception
    for base_name in mro if isinstance(mro, list) else ():
        candidate = getattr(builtins, base_name, None) if isinstance(base_name, str) else None
        if isinstance(candidate, type) and issubclass(candidate, Exception):
            base = candidate
            break
    key = (name, base)
    if key not in _EXCEPTION_CLASSES:
        try:
            _EXCEPTION_CLASSES[key] = type(name, (RemoteError, base), {"__module__": "builtins"})
        except TypeError:  # a built-in base whose layout cannot be mixed (e.g. OSError)
            _EXCEPTION_CLASSES[key] = type(name, (RemoteError,), {"__module__": "builtins"})
    error = _EXCEPTION_CLASSES[key](str(message)[:MAX_TEXT])
    error.remote_traceback = [str(line)[:MAX_TEXT] for line in traceback_lines][-40:]
    return error


def describe_exception(error, traceback_lines=()):
    """The JSON form of an exception raised while serving a request."""
    mro = [cls.__name__ for cls in type(error).__mro__ if getattr(builtins, cls.__name__, None) is cls]
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 -- a student's __str__ may raise anything
        message = "<the exception's message could not be read>"
    return {"type": type(error).__name__, "mro": mro, "message": message[:MAX_TEXT], "traceback": list(traceback_lines)}


def _check(condition, what):
    if not condition:
        raise WireError(what)


def _float_hex(x):
    return struct.pack("<d", x).hex()


def _hex_float(text):
    _check(isinstance(text, str) and len(text) == 16, "a float must be 16 hexadecimal digits")
    return struct.unpack("<d", bytes.fromhex(text))[0]


def _data_dtype(text):
    _check(isinstance(text, str) and len(text) < 16, "bad dtype")
    dtype = np.dtype(text)
    _check(dtype.kind in ARRAY_KINDS and dtype.fields is None and dtype.subdtype is None, f"dtype {text} is not data")
    return dtype


def _namedtuple_type(value):
    fields = getattr(type(value), "_fields", None)
    return isinstance(fields, tuple) and all(isinstance(field, str) for field in fields)


_GENERIC_NAMEDTUPLES = {}


def generic_namedtuple(name, fields):
    """A namedtuple class with this name and these fields (one per name and fields)."""
    import collections

    key = (name, fields)
    if key not in _GENERIC_NAMEDTUPLES:
        _GENERIC_NAMEDTUPLES[key] = collections.namedtuple(name, fields)
    return _GENERIC_NAMEDTUPLES[key]


class Encoder:
    """Turns one value into its JSON form. ``seeded`` are the objects the receiver already
    holds (the arguments of the call being answered): they are sent as references to them."""

    def __init__(self, endpoint, seeded=()):
        self.endpoint = endpoint
        self.objects = list(seeded)
        self.memo = {id(obj): k for k, obj in enumerate(self.objects)}

    def _remember(self, value):
        self.memo[id(value)] = len(self.objects)
        self.objects.append(value)

    def encode(self, value, depth=0):
        _check(depth <= MAX_DEPTH, f"a value nested more than {MAX_DEPTH} levels deep cannot be sent")
        if id(value) in self.memo and isinstance(value, (np.ndarray, list, dict, set, np.random.Generator)):
            return ["same", self.memo[id(value)]]
        if value is None:
            return ["none"]
        if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
            return ["scalar", value.dtype.str, base64.b64encode(value.tobytes()).decode()]
        if isinstance(value, bool):
            return ["bool", bool(value)]
        if isinstance(value, int):
            return ["int", int.__repr__(value)]
        if isinstance(value, float):
            return ["float", _float_hex(float.__float__(value))]
        if isinstance(value, complex):
            value = complex.__complex__(value)
            return ["complex", _float_hex(value.real), _float_hex(value.imag)]
        if isinstance(value, str):
            return ["str", str.__str__(value)]
        if isinstance(value, bytes):
            return ["bytes", base64.b64encode(bytes(value)).decode()]
        if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS and value.dtype.fields is None:
            view = self._view_of_known(value)
            self._remember(value)
            if view is not None:
                return view
            return self.contents(value)
        if isinstance(value, (list, dict, set, np.random.Generator)):
            self._remember(value)
            return self.contents(value, depth)
        if isinstance(value, tuple):
            items = [self.encode(item, depth + 1) for item in tuple.__iter__(value)]
            if _namedtuple_type(value):
                return ["namedtuple", type(value).__name__, list(type(value)._fields), items]
            return ["tuple", items]
        if isinstance(value, frozenset):
            return ["frozenset", [self.encode(item, depth + 1) for item in value]]
        if type(value).__name__ == "module" and isinstance(getattr(value, "__name__", None), str):
            return ["module", value.__name__]
        return self.endpoint.reference(value)

    def contents(self, value, depth=0):
        """The JSON form of a mutable value itself, also when the receiver holds it already."""
        if isinstance(value, np.ndarray):
            data = value if value.flags.c_contiguous else value.copy(order="C")  # 0-d stays 0-d
            return ["array", data.dtype.str, list(data.shape), base64.b64encode(data.tobytes()).decode(),
                    bool(value.flags.writeable)]
        if isinstance(value, list):
            return ["list", [self.encode(item, depth + 1) for item in list.__iter__(value)]]
        if isinstance(value, dict):
            return ["dict", [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in dict.items(value)]]
        if isinstance(value, set):
            return ["set", [self.encode(item, depth + 1) for item in set.__iter__(value)]]
        bit_generator = value.bit_generator
        return ["rng", type(bit_generator).__name__, self.encode(bit_generator.state, depth + 1)]

    def _view_of_known(self, value):
        """A view of an array the receiver holds (e.g. ``theta[:]`` returned for ``theta``)."""
        base = value.base
        while isinstance(base, np.ndarray):
            k = self.memo.get(id(base))
            if k is not None and base.flags.c_contiguous and base.dtype == value.dtype:
                offset = value.__array_interface__["data"][0] - base.__array_interface__["data"][0]
                return ["view", k, offset, list(value.shape), list(value.strides), self.contents(value)]
            base = base.base
        return None


class Decoder:
    """Turns one JSON form back into a value. ``seeded``: the objects the sender referred to
    as already held by this side (the arguments of the call it answers)."""

    def __init__(self, endpoint, seeded=()):
        self.endpoint = endpoint
        self.objects = list(seeded)

    def decode(self, item, depth=0):
        _check(depth <= MAX_DEPTH, "value nested too deeply")
        _check(isinstance(item, list) and item and isinstance(item[0], str), "a value must be a tagged list")
        tag, args = item[0], item[1:]
        method = getattr(self, "_decode_" + tag, None)
        _check(method is not None, f"unknown value tag {tag[:20]!r}")
        return method(depth, *args)

    def _items(self, items, depth):
        _check(isinstance(items, list), "items must be a list")
        return [self.decode(item, depth + 1) for item in items]

    def _decode_none(self, depth):
        return None

    def _decode_bool(self, depth, value):
        _check(isinstance(value, bool), "bad bool")
        return value

    def _decode_int(self, depth, text):
        _check(isinstance(text, str) and len(text) <= 4300, "bad int")
        try:
            return int(text)
        except ValueError:
            raise WireError("bad int") from None

    def _decode_float(self, depth, text):
        return _hex_float(text)

    def _decode_complex(self, depth, real, imag):
        return complex(_hex_float(real), _hex_float(imag))

    def _decode_str(self, depth, text):
        _check(isinstance(text, str), "bad str")
        return text

    def _decode_bytes(self, depth, text):
        _check(isinstance(text, str), "bad bytes")
        return base64.b64decode(text, validate=True)

    def _decode_scalar(self, depth, dtype, data):
        dtype = _data_dtype(dtype)
        raw = self._decode_bytes(depth, data)
        _check(len(raw) == dtype.itemsize, "bad scalar")
        return np.frombuffer(raw, dtype=dtype)[0]

    def _decode_array(self, depth, dtype, shape, data, writeable):
        dtype = _data_dtype(dtype)
        _check(isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape) and len(shape) <= 64,
               "bad shape")
        raw = self._decode_bytes(depth, data)
        _check(len(raw) == dtype.itemsize * int(np.prod(shape, dtype=object)), "array data of the wrong size")
        array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        array.flags.writeable = bool(writeable)
        self.objects.append(array)
        return array

    def _decode_view(self, depth, k, offset, shape, strides, contents):
        index = len(self.objects)
        self.objects.append(None)
        copy = self.decode(contents, depth + 1)
        self.objects.pop()  # the copy's own entry
        view = copy
        _check(type(k) is int and 0 <= k < index, "bad view")
        base = self.objects[k]
        if isinstance(base, np.ndarray) and base.flags.c_contiguous and base.dtype == copy.dtype:
            try:
                view = np.ndarray(tuple(shape), dtype=base.dtype, buffer=base, offset=offset, strides=tuple(strides))
            except (TypeError, ValueError):
                view = copy
            if view is not copy and not np.array_equal(view, copy, equal_nan=True):
                view = copy
        self.objects[index] = view
        return view

    def _decode_list(self, depth, items):
        value = []
        self.objects.append(value)
        value.extend(self._items(items, depth))
        return value

    def _decode_dict(self, depth, pairs):
        value = {}
        self.objects.append(value)
        _check(isinstance(pairs, list), "bad dict")
        for pair in pairs:
            _check(isinstance(pair, list) and len(pair) == 2, "bad dict item")
            key = self.decode(pair[0], depth + 1)
            try:
                value[key] = self.decode(pair[1], depth + 1)
            except TypeError:
                raise WireError("a dict key that cannot be hashed") from None
        return value

    def _decode_set(self, depth, items):
        value = set()
        self.objects.append(value)
        try:
            value.update(self._items(items, depth))
        except TypeError:
            raise WireError("a set item that cannot be hashed") from None
        return value

    def _decode_frozenset(self, depth, items):
        try:
            return frozenset(self._items(items, depth))
        except TypeError:
            raise WireError("a set item that cannot be hashed") from None

    def _decode_tuple(self, depth, items):
        return tuple(self._items(items, depth))

    def _decode_namedtuple(self, depth, name, fields, items):
        _check(isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name), "bad namedtuple name")
        _check(isinstance(fields, list) and all(isinstance(f, str) and f.isidentifier() and not keyword.iskeyword(f)
                                                and not f.startswith("_") for f in fields)
               and len(set(fields)) == len(fields), "bad namedtuple fields")
        values = self._items(items, depth)
        _check(len(values) == len(fields), "a namedtuple with the wrong number of values")
        return self.endpoint.namedtuple_class(name, tuple(fields))(*values)

    def _decode_rng(self, depth, name, state):
        _check(name in BIT_GENERATORS, "unknown bit generator")
        generator = np.random.Generator(getattr(np.random, name)())
        self.objects.append(generator)
        try:
            generator.bit_generator.state = self.decode(state, depth + 1)
        except (TypeError, ValueError, KeyError, OverflowError):
            raise WireError("bad random generator state") from None
        return generator

    def _decode_same(self, depth, k):
        _check(type(k) is int and 0 <= k < len(self.objects) and self.objects[k] is not None, "bad reference")
        return self.objects[k]

    def _decode_module(self, depth, name):
        _check(isinstance(name, str), "bad module name")
        return self.endpoint.import_module(name)

    def _decode_ref(self, depth, key, meta):
        _check(type(key) is int and isinstance(meta, dict), "bad reference")
        return Remote(self.endpoint, key, meta)

    def _decode_yours(self, depth, key):
        return self.endpoint.exported(key)


def snapshot(value):
    """What a mutable argument holds before a call, to see whether the call changed it."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, set):
        return set(value)
    if isinstance(value, np.random.Generator):
        return value.bit_generator.state
    return None


def changed(value, before):
    if isinstance(value, np.ndarray):
        return value.shape != before.shape or value.dtype != before.dtype or value.tobytes() != before.tobytes()
    if isinstance(value, list):
        return len(value) != len(before) or any(a is not b for a, b in zip(value, before))
    if isinstance(value, dict):
        items = list(value.items())
        return len(items) != len(before) or any(a[0] is not b[0] or a[1] is not b[1] for a, b in zip(items, before))
    if isinstance(value, set):
        return value != before
    if isinstance(value, np.random.Generator):
        return value.bit_generator.state != before
    return False


def write_back(original, new):
    """Give ``original`` the new contents ``new`` that the other side's copy of it has now."""
    if isinstance(original, np.ndarray) and isinstance(new, np.ndarray):
        if original.shape != new.shape and original.size == new.size and original.flags.writeable:
            try:  # reshaped in place (``theta.shape = ...``): the caller's array is reshaped too
                original.shape = new.shape
            except (AttributeError, ValueError):
                pass
        if original.shape == new.shape and original.flags.writeable:
            np.copyto(original, new, casting="unsafe")
    elif isinstance(original, list) and isinstance(new, list):
        original[:] = new
    elif isinstance(original, dict) and isinstance(new, dict):
        original.clear()
        original.update(new)
    elif isinstance(original, set) and isinstance(new, set):
        original.clear()
        original.update(new)
    elif isinstance(original, np.random.Generator) and isinstance(new, np.random.Generator):
        original.bit_generator.state = new.bit_generator.state


class CappedText:
    """A text stream that keeps its first ``limit`` bytes and counts the rest."""

    encoding = "utf-8"

    def __init__(self, limit):
        self.limit, self.parts, self.size, self.dropped = limit, [], 0, 0

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        data = text.encode("utf-8", "replace")
        room = self.limit - self.size
        if len(data) > room:
            self.dropped += len(data) - max(room, 0)
            data = data[: max(room, 0)]
            text = data.decode("utf-8", "ignore")
        self.parts.append(text)
        self.size += len(data)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def drain(self):
        """The text kept so far (with a note of how much was cut), and start again."""
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[output truncated: {self.dropped} bytes]\n"
        self.parts, self.size, self.dropped = [], 0, 0
        return text


def _refuse(what):
    def method(self, *args, **kwargs):
        raise TypeError(f"{self!r} is not data: it supports no {what}")

    return method


class Remote:
    """An object that lives on the other side of the wire: it can be called, iterated and asked
    for public attributes (each a request over the wire); it has no value of its own."""

    __array_ufunc__ = None  # NumPy: no arithmetic with arrays either
    __hash__ = object.__hash__
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse("comparison")
    __bool__ = _refuse("truth value")
    __index__ = __int__ = __float__ = __complex__ = _refuse("conversion to a number")

    def __init__(self, endpoint, key, meta):
        self.__dict__["_endpoint"], self.__dict__["_key"] = endpoint, key
        self.__dict__["_type"] = str(meta.get("type", "object"))[:100]
        for name in ("__name__", "__qualname__", "__module__", "__doc__"):
            if isinstance(meta.get(name), str):
                self.__dict__[name] = meta[name][:MAX_TEXT]

    def __call__(self, *args, **kwargs):
        return self._endpoint.call(self, args, kwargs)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        value = self._endpoint.getattr(self, name)
        if isinstance(value, Remote):  # a method: asked for once, not at every step of a loop
            self.__dict__[name] = value
        return value

    def __setattr__(self, name, value):
        raise TypeError(f"{self!r} lives in another process: its attributes cannot be set")

    def __iter__(self):
        return self._endpoint.iterate(self)

    def __next__(self):
        return self._endpoint.next(self)

    def __repr__(self):
        name = self.__dict__.get("__qualname__") or self.__dict__.get("__name__")
        return f"<{self._endpoint.peer_name}'s {self._type}{' ' + name if name else ''}>"


class Endpoint:
    """One side of the wire: sends requests, answers the other side's requests (also while
    waiting for an answer, which is how calls nest), and holds the objects it has lent out.

    ``deadline`` (a ``time.monotonic()`` time, or None) bounds every wait for the other side;
    ``output`` receives what the other side reports its code printed; ``public_only`` limits
    the other side to public attributes of this side's objects.
    """

    peer_name = "other side"
    tick = None  # seconds between calls of watch() while waiting
    catch_all = False  # whether SystemExit and KeyboardInterrupt of served code go back as errors

    def __init__(self, read_fd, write_fd, public_only=False):
        self.read_fd, self.write_fd = read_fd, write_fd
        self.public_only = public_only
        self.deadline = None
        self.output = None
        self.broken = None
        self._buffer = bytearray()
        self._scanned = 0
        self._requests = 0
        self._exports, self._export_keys = {}, {}

    # ---------------------------------------------------------------- lending objects

    def reference(self, value):
        key = self._export_keys.get(id(value))
        if key is None or self._exports[key] is not value:
            if isinstance(value, Remote) and value._endpoint is self:
                return ["yours", value._key]
            key = len(self._exports) + 1
            while key in self._exports:
                key += 1
            self._exports[key], self._export_keys[id(value)] = value, key
        meta = {"type": type(value).__name__, "callable": callable(value)}
        for name in ("__name__", "__qualname__", "__module__"):
            try:
                attribute = getattr(value, name, None)
            except Exception:  # noqa: BLE001 -- a student's property may raise anything
                attribute = None
            if isinstance(attribute, str):
                meta[name] = str.__str__(attribute)[:MAX_TEXT]
        return ["ref", key, meta]

    def exported(self, key):
        _check(type(key) is int, "bad reference")
        if key not in self._exports:
            raise LookupError(f"an object of the {self.peer_name}'s side is no longer available")
        return self._exports[key]

    def forget_exports(self):
        self._exports.clear()
        self._export_keys.clear()

    def namedtuple_class(self, name, fields):
        return generic_namedtuple(name, fields)

    def import_module(self, name):
        try:
            return importlib.import_module(name)
        except ImportError:
            raise WireError(f"module {name[:100]!r} cannot be imported here") from None

    # ---------------------------------------------------------------- the pipe

    def send(self, message):
        data = json.dumps(message, separators=(",", ":"), allow_nan=False).encode() + b"\n"
        view = memoryview(data)
        while view:
            try:
                written = os.write(self.write_fd, view)
            except BlockingIOError:  # the pipe is full: wait until the other side reads
                self._wait(write=True)
                continue
            except OSError as error:
                raise self._lost(f"the pipe to the {self.peer_name} closed ({error.strerror})")
            view = view[written:]

    def _wait(self, write=False):
        """Wait until the pipe can be read (or written), checking ``watch()`` every ``tick`` s."""
        fds = ([], [self.write_fd]) if write else ([self.read_fd], [])
        while True:
            timeout = None
            if self.deadline is not None:
                timeout = self.deadline - time.monotonic()
                if timeout <= 0:
                    raise self._lost(f"the {self.peer_name} did not answer in time", timed_out=True)
            if self.tick is not None:
                timeout = self.tick if timeout is None else min(timeout, self.tick)
            ready = select.select(*fds, [], timeout)
            if ready[0] or ready[1]:
                return
            reason = self.watch()
            if reason:
                raise self._lost(reason, timed_out=True)

    def watch(self):
        """Why to stop waiting for the other side, checked every ``tick`` seconds (None: go on)."""
        return None

    def receive(self):
        while True:
            end = self._buffer.find(b"\n", self._scanned)
            if end >= 0:
                break
            self._scanned = len(self._buffer)
            if len(self._buffer) > MAX_MESSAGE_BYTES:
                raise self._lost(f"the {self.peer_name} sent a message larger than {MAX_MESSAGE_BYTES >> 20} MB")
            self._wait()
            try:
                chunk = os.read(self.read_fd, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                raise self._lost(f"the {self.peer_name} ended")
            self._buffer += chunk
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        self._scanned = 0
        try:
            message = json.loads(line)
        except ValueError:
            raise self._lost(f"the {self.peer_name} sent something that is not a message") from None
        if not isinstance(message, dict):
            raise self._lost(f"the {self.peer_name} sent something that is not a message")
        text = message.get("out")
        if isinstance(text, str) and text and self.output is not None:
            self.output.write(text)
        return message

    def _lost(self, reason, timed_out=False):
        self.broken = self.broken or reason
        return PeerLost(reason, timed_out)

    # ---------------------------------------------------------------- requests

    def request(self, op, **fields):
        """Send a request and wait for its answer, serving the other side's requests meanwhile."""
        if self.broken:
            raise PeerLost(self.broken)
        self._requests += 1
        number = self._requests
        self.send({"id": number, "op": op, **fields})
        while True:
            message = self.receive()
            if "re" in message:
                if message["re"] != number:
                    raise self._lost(f"the {self.peer_name} answered a request that was not asked")
                return message
            self.serve(message)

    def _result(self, reply, decoder):
        """The value of an answer, or the other side's exception raised here."""
        try:
            if "err" in reply:
                err = reply["err"]
                _check(isinstance(err, dict), "bad error")
                traceback_lines = err.get("traceback", [])
                raise remote_exception(err.get("type"), err.get("mro"), err.get("message", ""),
                                       traceback_lines if isinstance(traceback_lines, list) else [])
            return decoder.decode(reply.get("ok"))
        except WireError as error:
            raise self._lost(f"the {self.peer_name} sent a value that is not data ({error})") from None

    def call(self, remote, args, kwargs):
        encoder = Encoder(self)
        payload = encoder.encode((tuple(args), dict(kwargs)))
        reply = self.request("call", ref=remote._key, args=payload)
        decoder = Decoder(self, encoder.objects)
        result = self._result(reply, decoder)
        try:
            updates = [(k, decoder.decode(contents)) for k, contents in reply.get("wb", [])]
            for k, new in updates:
                _check(type(k) is int and 0 <= k < len(encoder.objects), "bad write-back")
                write_back(encoder.objects[k], new)
        except (WireError, TypeError, ValueError) as error:
            raise self._lost(f"the {self.peer_name} sent a bad write-back ({error})") from None
        return result

    def getattr(self, remote, name):
        return self._result(self.request("getattr", ref=remote._key, name=name), Decoder(self))

    def iterate(self, remote):
        return self._result(self.request("iter", ref=remote._key), Decoder(self))

    def next(self, remote):
        reply = self.request("next", ref=remote._key)
        if reply.get("stop"):
            raise StopIteration
        return self._result(reply, Decoder(self))

    # ---------------------------------------------------------------- serving

    def serve(self, message):
        """Answer one request of the other side."""
        number, op = message.get("id"), message.get("op")
        handler = getattr(self, f"serve_{op}", None) if isinstance(op, str) and op.isidentifier() else None
        if type(number) is not int or handler is None:
            raise self._lost(f"the {self.peer_name} sent a request that does not exist")
        try:
            reply = handler(message)
        except WireError as error:
            raise self._lost(f"the {self.peer_name} sent a request that is not valid ({error})") from None
        except StopIteration:
            reply = {"stop": True}
        except PeerLost:
            raise
        except BaseException as error:  # every exception goes back to the caller...
            if not (isinstance(error, Exception) or self.catch_all):
                raise  # ...except the grader's own timeouts and interrupts
            reply = {"err": describe_exception(error, self.traceback_of(error))}
        self.send({"re": number, **reply})

    def traceback_of(self, error):
        return []

    def _target(self, message):
        return self.exported(message.get("ref"))

    def serve_call(self, message):
        target = self._target(message)
        _check(callable(target), "the object cannot be called")
        decoder = Decoder(self)
        decoded = decoder.decode(message.get("args"))
        _check(isinstance(decoded, tuple) and len(decoded) == 2 and isinstance(decoded[0], tuple)
               and isinstance(decoded[1], dict) and all(isinstance(k, str) for k in decoded[1]), "bad arguments")
        arguments = decoder.objects
        before = [snapshot(obj) for obj in arguments]
        result = target(*decoded[0], **decoded[1])
        encoder = Encoder(self, arguments)
        reply = {"ok": encoder.encode(result)}
        reply["wb"] = [[k, encoder.contents(obj)] for k, (obj, old) in enumerate(zip(arguments, before))
                       if changed(obj, old)]
        return reply

    def serve_getattr(self, message):
        name = message.get("name")
        _check(isinstance(name, str) and name.isidentifier(), "bad attribute name")
        if self.public_only and name.startswith("_"):
            raise AttributeError(f"the attribute {name} is not available")
        return {"ok": Encoder(self).encode(getattr(self._target(message), name))}

    def serve_iter(self, message):
        return {"ok": Encoder(self).encode(iter(self._target(message)))}

    def serve_next(self, message):
        return {"ok": Encoder(self).encode(next(self._target(message)))}
