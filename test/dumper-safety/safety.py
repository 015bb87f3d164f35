# Runs python/pygcsim_dump.py inside a hostile program (test/dumper-safety.test.ts):
# objects whose Python-level __sizeof__, __eq__, __hash__, __getattr__,
# __getattribute__, __repr__, __class__ or metaclass hooks record that they ran;
# a unittest.mock.MagicMock (its __sizeof__ builds child mocks); a dead
# weakref.proxy (its __class__ raises ReferenceError); a class body whose
# namespace is a custom mapping; on 3.x an asyncio future iterator freed into
# _asyncio's free list (CPython gh-122695 on 3.12.0-3.12.5). The dump must run
# none of the program's code, and the gc.collect() after it must return.
#
#   python safety.py DUMPER_DIR OUT.jsonl.gz   -> prints one JSON line
import gc
import sys
import weakref

sys.path.insert(0, sys.argv[1])
import pygcsim_dump  # noqa: E402

OUT = sys.argv[2]
CALLS = []


class Meta(type):
    def __instancecheck__(cls, other):
        CALLS.append("__instancecheck__")
        return False

    def __subclasscheck__(cls, other):
        CALLS.append("__subclasscheck__")
        return False

    def __getattribute__(cls, name):
        if name not in ("__call__", "__new__", "__init__", "__prepare__", "__class__", "__dict__", "__mro__", "__bases__", "__name__", "__module__", "__qualname__", "__flags__", "__doc__", "__weakref__", "__slots__", "__basicsize__", "__itemsize__", "__abstractmethods__", "__del__", "__sizeof__", "__eq__", "__hash__", "__repr__", "__getattr__", "__getattribute__", "__setattr__", "__init_subclass__", "__set_name__", "__class_getitem__", "__orig_bases__", "__firstlineno__", "__static_attributes__", "__type_params__"):
            CALLS.append("Meta.__getattribute__(%s)" % name)
        return type.__getattribute__(cls, name)

    @property
    def __flags__(cls):
        CALLS.append("Meta.__flags__")
        return 0


Evil = Meta("Evil", (object,), {
    "__sizeof__": lambda self: CALLS.append("__sizeof__") or 0,
    "__eq__": lambda self, other: CALLS.append("__eq__") or False,
    "__ne__": lambda self, other: CALLS.append("__ne__") or True,
    "__hash__": lambda self: CALLS.append("__hash__") or 0,
    "__getattr__": lambda self, name: CALLS.append("__getattr__(%s)" % name),
    "__repr__": lambda self: CALLS.append("__repr__") or "Evil",
    "__class__": property(lambda self: CALLS.append("__class__") or Evil),
})


class Slotted(object):
    __slots__ = ("ref",)

    def __sizeof__(self):
        CALLS.append("Slotted.__sizeof__")
        return 0


class Plain(object):
    pass


# a cycle of hostile objects that survives, and one that is garbage
keep = [Evil(), Evil(), Slotted()]
keep[0].other = keep[1]
keep[1].other = keep[0]
keep[2].ref = keep
g1, g2 = Evil(), Evil()
g1.ref, g2.ref = g2, g1
g1 = g2 = None

# a dead weakref.proxy and a dead callable proxy, held by a list
dead = Plain()
proxies = [weakref.proxy(dead), weakref.proxy(lambda: None)]
dead = None

mock_children = -1
if sys.version_info >= (3, 3):
    import unittest.mock
    m = unittest.mock.MagicMock()
    m.configure_mock(name="m")
    keep.append(m)
    mock_children = len(m._mock_children)

if sys.version_info >= (3, 7):
    import asyncio
    loop = asyncio.new_event_loop()
    fut = loop.create_future()
    it = iter(fut)     # _asyncio.FutureIter; freed into the module's free list
    it = None
    fut = None


gc.disable()
if sys.version_info >= (3, 0):
    # the dump taken from inside a class body whose namespace is a custom mapping
    exec("""
class Space(dict):
    def values(self):
        CALLS.append("Space.values")
        return dict.values(self)
    def items(self):
        CALLS.append("Space.items")
        return dict.items(self)

class PrepMeta(type):
    @classmethod
    def __prepare__(mcs, name, bases):
        return Space()

class Body(metaclass=PrepMeta):
    x = [1]
    n = pygcsim_dump.dump(OUT)
N = Body.n
""", globals())
else:
    N = pygcsim_dump.dump(OUT)

if mock_children >= 0 and len(keep[3]._mock_children) != mock_children:
    CALLS.append("MagicMock grew %d child mocks" % (len(keep[3]._mock_children) - mock_children))
collected = gc.collect()
if sys.version_info >= (3, 7):
    loop.close()
sys.stdout.write('{"python":"%d.%d.%d","objects":%d,"collected":%d,"calls":[%s]}\n' % (
    sys.version_info[0], sys.version_info[1], sys.version_info[2], N, collected,
    ",".join(['"%s"' % c for c in CALLS])))
