# The test program behind test/data/heap-*.jsonl.gz (see make-dumps.sh).
#
#   python heapprog.py OUT.jsonl.gz EXPECTED.json [--freeze]
#
# Builds known structures with the collector disabled, dumps the heap with
# python/pygcsim_dump.py, then lets CPython itself collect (gc.collect() with
# DEBUG_SAVEALL, so that everything the collector found stays inspectable in
# gc.garbage) and records what it found in EXPECTED.json: the ground truth a
# full collection in pygcsim on the loaded dump must reproduce.
#
# Works on CPython 2.7 and 3.6+.
import gc
import os
import sys

gc.disable()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

import ctypes                 # noqa: E402
import json                   # noqa: E402
import weakref                # noqa: E402
import xml.dom.minidom        # noqa: E402
import pygcsim_dump           # noqa: E402

OUT, EXPECTED = sys.argv[1], sys.argv[2]
FREEZE = "--freeze" in sys.argv[3:]
CALLS = {"del": 0, "callback": 0}


class Node(object):
    __slots__ = ("ref", "other", "__weakref__")


class Fin(object):
    __slots__ = ("ref",)

    def __del__(self):
        CALLS["del"] += 1


class Leaky(object):
    __slots__ = ("ref",)


def on_collect(w):
    CALLS["callback"] += 1


if FREEZE:
    gc.freeze()               # 3.7+: everything so far moves to the permanent generation

# reachable structures: a cycle that stays alive, a list of nodes
alive = Node()
alive.ref = Node()
alive.ref.ref = alive
keep = [Node(), Node(), {"k": Node()}]
watcher = None


def make_garbage():
    global watcher
    a, b = Node(), Node()                      # two nodes in a cycle
    a.ref, b.ref = b, a
    l = []                                     # a list holding itself
    l.append(l)
    d = {}                                     # a dict holding itself
    d["self"] = d
    l2 = []                                    # list <-> tuple
    t = (l2, 1)
    l2.append(t)
    f1, f2 = Fin(), Fin()                      # a __del__ cycle (2.7: uncollectable)
    f1.ref, f2.ref = f2, f1
    n = Node()                                 # a self-cycle watched by a weakref with a callback
    n.ref = n
    watcher = weakref.ref(n, on_collect)
    doc = xml.dom.minidom.parseString('<root><a x="1"/><b>text</b><c/></root>')
    doc.documentElement.setAttribute("y", "2")
    x, y = Leaky(), Leaky()                    # a cycle leaked by a buggy C extension
    x.ref, y.ref = y, x
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(x))


make_garbage()
pygcsim_dump.dump(OUT)


def type_name(t):
    return pygcsim_dump._type_name(t)


def truth():
    """What CPython's own full collection finds now (DEBUG_SAVEALL keeps it in gc.garbage)."""
    stats0 = gc.get_stats()[2] if hasattr(gc, "get_stats") else None
    gc.set_debug(gc.DEBUG_SAVEALL)
    found = gc.collect()
    gc.set_debug(0)
    stats1 = gc.get_stats()[2] if hasattr(gc, "get_stats") else None
    garbage = {}
    for o in gc.garbage:
        k = type_name(type(o))
        garbage[k] = garbage.get(k, 0) + 1
    leaked = 0
    for o in gc.get_objects():
        if type(o) is Leaky:
            leaked += 1
    o = None
    res = {
        "python": "%d.%d.%d" % sys.version_info[:3],
        "collect": found,
        "garbage_by_type": garbage,
        "leaky_alive": leaked,
        "finalizers_run": CALLS["del"],
        "callbacks_run": CALLS["callback"],
        "freeze": FREEZE,
    }
    if stats0 is not None:
        res["collected"] = stats1["collected"] - stats0["collected"]
        res["uncollectable"] = stats1["uncollectable"] - stats0["uncollectable"]
    return res


result = truth()
with open(EXPECTED, "w") as f:
    f.write(json.dumps(result, sort_keys=True, indent=1) + "\n")
