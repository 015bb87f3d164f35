# The standard library's weak containers with garbage in them: WeakSet,
# WeakKeyDictionary, WeakValueDictionary (their weakrefs' callbacks remove
# the dead entry from the container), an ABC's registry and caches, and
# weakref.finalize. Objects die in cycles, so only the collector frees them.
import abc
import weakref


class Node(object):
    def __init__(self, name):
        self.name = name
        self.peer = None


def cycle(name):
    a, b = Node(name + "a"), Node(name + "b")
    a.peer, b.peer = b, a
    return a, b


ws = weakref.WeakSet()
wkd = weakref.WeakKeyDictionary()
wvd = weakref.WeakValueDictionary()
keep = []
for i in range(40):
    a, b = cycle("n%d" % i)
    ws.add(a)
    wkd[b] = i
    wvd[i] = a
    if i % 4 == 0:
        keep.append(a)           # a quarter stays alive


Base = abc.ABCMeta("Base", (object,), {})
for i in range(10):
    C = type("C%d" % i, (object,), {})
    Base.register(C)
    isinstance(C(), Base)
    c = C()
    c.me = c                     # an instance in a cycle with itself
C = c = a = b = None
# a WeakSet that is itself garbage, with its members alive
dead_set = weakref.WeakSet(keep)
dead_set.self_ref = [dead_set] if hasattr(dead_set, "__dict__") else None
dead_set = None
