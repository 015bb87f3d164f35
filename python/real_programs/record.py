# Records one real program for the real-program suite (test/real-programs/):
# runs PROGRAM (a file of python/real_programs/) in-process with the collector
# disabled, dumps the heap with python/pygcsim_dump.py, then lets the
# interpreter's own full collection run with gc.DEBUG_SAVEALL (so what it
# found stays in gc.garbage, identifiable by id()) and writes what it found.
#
#   python -S -E record.py PROGRAM.py OUT.jsonl.gz OUT.json [--plain]
#
# --plain: the same, but the collection runs without DEBUG_SAVEALL (what a
# program sees: on 2.7, objects with __del__ that only the garbage held are
# freed by delete_garbage and then not counted as uncollectable); no ids.
#
# OUT.json: {"python", "program", "collect" (gc.collect()'s result),
# "collected"/"uncollectable" (gc.get_stats() deltas, 3.4+), "garbage_addrs"
# (id() of each object in gc.garbage afterwards: the dump's "addr")}.
# Works on CPython 2.7 and 3.6+. Nothing is imported between the dump and the
# collection (an import would leave garbage of its own).
import gc
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import pygcsim_dump  # noqa: E402

PROGRAM, OUT, RESULT = sys.argv[1], sys.argv[2], sys.argv[3]
PLAIN = sys.argv[4:] == ["--plain"]
sys.argv[1:] = []            # unittest.main and argparse see no arguments
with open(PROGRAM) as f:
    source = f.read()
code = compile(source, PROGRAM, "exec")
source = None
ns = {"__name__": "__realprog__", "__file__": PROGRAM}
gc.disable()                 # the program's cyclic garbage stays until the dump
exec(code, ns)
code = None

before = len(gc.garbage)
nobj = pygcsim_dump.dump(OUT)
stats0 = gc.get_stats()[2] if hasattr(gc, "get_stats") else None
gc.set_debug(0 if PLAIN else gc.DEBUG_SAVEALL)
found = gc.collect()
gc.set_debug(0)
stats1 = gc.get_stats()[2] if hasattr(gc, "get_stats") else None
addrs = [] if PLAIN else [id(o) for o in gc.garbage[before:]]
res = ['"python":"%d.%d.%d"' % tuple(sys.version_info[:3]),
       '"program":"%s"' % os.path.basename(PROGRAM)[:-3],
       '"objects":%d' % nobj,
       '"collect":%d' % found]
if stats0 is not None:
    res.append('"collected":%d' % (stats1["collected"] - stats0["collected"]))
    res.append('"uncollectable":%d' % (stats1["uncollectable"] - stats0["uncollectable"]))
res.append('"garbage_addrs":[%s]' % ",".join(["%d" % a for a in addrs]))
with open(RESULT, "w") as f:
    f.write("{" + ",".join(res) + "}\n")
