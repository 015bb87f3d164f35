# -*- coding: utf-8 -*-
"""Record the automatic garbage collections of a real CPython running a
schedule workload (see src/schedule/program.ts for the program format).

Runs under Python 2.7 and 3.6 ... 3.15 (native, or CPython in Pyodide).

    python schedule_recorder.py PROGRAM.bin PARAMS.json [--out FILE] [--no-callbacks]
        Runs the program in fresh interpreters (this one, with -S and
        PYTHONHASHSEED=0) and prints the result JSON:
        - the recording: gc.DEBUG_STATS on, sys.stderr removed, so the
          collector writes its lines straight to fd 2 and allocates no
          tracked object; a ptrace tracer stops the child at each "gc:
          collecting generation" write and reads the op index POS[0] from
          its memory (without ptrace: op indexes null);
        - the check: the same run with no recording; "undisturbed" says
          whether the two agree (counts, stats, heap sizes);
        - 3.x, unless --no-callbacks: the same run recording with
          gc.callbacks; "callbacks_agree" says whether it found the same
          collections at the same ops.
        Exit status 1 when "undisturbed" is false, 3 when the workload
        does not run on this version (min_python).
    python schedule_recorder.py --single MODE PROGRAM.bin PARAMS.json
        One run in this interpreter; MODE: debug_stats, plain or callbacks.
    python schedule_recorder.py --calibrate [--json]
        Measures, with the collector off, what each op kind does to
        gc.get_count()[0] (hidden allocations per op kind), and, with it on,
        how far each op pushes the count before its first release (the
        "peak": an op of peak p starts a collection when the count is within
        p of the threshold).  Prints a table (or JSON).

In-process (Pyodide: one fresh interpreter per run):
    run(program_bytes, params_json_text, mode) -> one run's JSON text
    merge([{"text", "stderr", "positions", "via"}, ...]) -> the result
    calibrate() -> calibration JSON text

PARAMS.json: {"workload": name, "nregs": N, "ops": number of ops,
"program_sha256": hex, "thresholds": null or [t0, t1, t2], "capacity":
collections that can be recorded, "min_python": null or "3.7", "build":
{the generator's parameters}}.
"""
from __future__ import print_function

import array
import gc
import hashlib
import json
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import weakref

PY2 = sys.version_info[0] == 2
HAS_CALLBACKS = hasattr(gc, "callbacks")
HAS_STATS = hasattr(gc, "get_stats")
# a C int64 array: 'q' appeared in 3.3; on 2.7 (64-bit Linux) 'l' is 8 bytes
INT64 = "l" if PY2 else "q"

# --- the program format (src/schedule/program.ts) -------------------------
NEW_OBJ = 1
NEW_FIN = 2
NEW_LIST = 3
NEW_DICT = 4
NEW_TUPLE = 5
NEW_INT = 6
SET_SLOT = 7
CLEAR_SLOT = 8
APPEND = 9
DEL_LAST = 10
DICT_SET = 11
DICT_DEL = 12
MOVE = 13
DROP = 14
WEAKREF = 15
FREEZE = 16
COLLECT = 17
OPERANDS = {NEW_OBJ: 1, NEW_FIN: 1, NEW_LIST: 1, NEW_DICT: 1, NEW_INT: 2,
            SET_SLOT: 3, CLEAR_SLOT: 2, APPEND: 2, DEL_LAST: 1, DICT_SET: 3,
            DICT_DEL: 2, MOVE: 2, DROP: 1, WEAKREF: 3, FREEZE: 0, COLLECT: 1}

SLOTS = ("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10",
         "s11", "s12", "s13", "s14", "s15", "__weakref__")


class Node(object):
    __slots__ = SLOTS


class Fin(object):
    # an independent class with the same slots (a subclass re-declaring the
    # slots would get a second set of them)
    __slots__ = SLOTS

    def __del__(self):
        pass


def CB(w):
    pass


# During the run sys.stderr is removed, so that the collector's DEBUG_STATS
# lines go out through the C library (PySys_WriteStderr falls back to fputs)
# and make no Python object.  3.15 keeps an exception object alive across
# the collection on that path (one more tracked object in each collection,
# the young count one lower after it: found by the undisturbed check), so
# there sys.stderr stays: its write() is C code (TextIOWrapper, line
# buffered) that makes no tracked object either (checked the same way).
KEEP_STDERR = sys.version_info[:2] >= (3, 15)


class Skip(Exception):
    pass


def execute(code, n, R, POS, CNT):
    """Run the program: one op per pass of the loop, all state in locals.

    Every op stores its index in POS[0] first (no allocation), so a gc
    callback knows where the collection ran.  Locals hold only ints between
    ops (never a reference to a program object).  The loop is `while 1:` with
    the end test at the top, so every op, the last one included, ends at
    the loop's back edge (3.12+: an eval-breaker check; `while pc < n:`
    leaves the loop after the last op without one).  CNT[0:3] and CNT[3:6]:
    gc.get_count() read twice right before the loop (the two agree when
    reading does not move the count); CNT[6:9]: gc.get_count() right after
    (with the collector switched off: the caller switches it back on if it
    wants it).
    """
    Node_ = Node
    Fin_ = Fin
    ref = weakref.ref
    cb = CB
    gc_ = gc
    get_count = gc.get_count
    c = get_count()
    c = None
    c = get_count()
    CNT[0] = c[0]
    CNT[1] = c[1]
    CNT[2] = c[2]
    c = None
    c = get_count()
    CNT[3] = c[0]
    CNT[4] = c[1]
    CNT[5] = c[2]
    c = None
    pc = 0
    i = 0
    while 1:
        if pc >= n:
            break
        POS[0] = i
        op = code[pc]
        if op == 7:  # SET_SLOT: R[a].s<k> = R[b]
            a = code[pc + 1]
            k = code[pc + 2]
            b = code[pc + 3]
            if k == 0:
                R[a].s0 = R[b]
            elif k == 1:
                R[a].s1 = R[b]
            elif k == 2:
                R[a].s2 = R[b]
            elif k == 3:
                R[a].s3 = R[b]
            elif k == 4:
                R[a].s4 = R[b]
            elif k == 5:
                R[a].s5 = R[b]
            elif k == 6:
                R[a].s6 = R[b]
            elif k == 7:
                R[a].s7 = R[b]
            elif k == 8:
                R[a].s8 = R[b]
            elif k == 9:
                R[a].s9 = R[b]
            elif k == 10:
                R[a].s10 = R[b]
            elif k == 11:
                R[a].s11 = R[b]
            elif k == 12:
                R[a].s12 = R[b]
            elif k == 13:
                R[a].s13 = R[b]
            elif k == 14:
                R[a].s14 = R[b]
            else:
                R[a].s15 = R[b]
            pc += 4
        elif op == 1:  # NEW_OBJ
            R[code[pc + 1]] = Node_()
            pc += 2
        elif op == 9:  # APPEND
            R[code[pc + 1]].append(R[code[pc + 2]])
            pc += 3
        elif op == 14:  # DROP
            R[code[pc + 1]] = None
            pc += 2
        elif op == 13:  # MOVE
            R[code[pc + 1]] = R[code[pc + 2]]
            pc += 3
        elif op == 3:  # NEW_LIST
            R[code[pc + 1]] = []
            pc += 2
        elif op == 4:  # NEW_DICT
            R[code[pc + 1]] = {}
            pc += 2
        elif op == 11:  # DICT_SET
            R[code[pc + 1]][code[pc + 2]] = R[code[pc + 3]]
            pc += 4
        elif op == 12:  # DICT_DEL
            del R[code[pc + 1]][code[pc + 2]]
            pc += 3
        elif op == 5:  # NEW_TUPLE
            a = code[pc + 1]
            m = code[pc + 2]
            if m == 1:
                R[a] = (R[code[pc + 3]],)
            elif m == 2:
                R[a] = (R[code[pc + 3]], R[code[pc + 4]])
            elif m == 3:
                R[a] = (R[code[pc + 3]], R[code[pc + 4]], R[code[pc + 5]])
            else:
                R[a] = (R[code[pc + 3]], R[code[pc + 4]], R[code[pc + 5]],
                        R[code[pc + 6]])
            pc += 3 + m
        elif op == 6:  # NEW_INT
            R[code[pc + 1]] = code[pc + 2]
            pc += 3
        elif op == 8:  # CLEAR_SLOT: R[a].s<k> = None
            a = code[pc + 1]
            k = code[pc + 2]
            if k == 0:
                R[a].s0 = None
            elif k == 1:
                R[a].s1 = None
            elif k == 2:
                R[a].s2 = None
            elif k == 3:
                R[a].s3 = None
            elif k == 4:
                R[a].s4 = None
            elif k == 5:
                R[a].s5 = None
            elif k == 6:
                R[a].s6 = None
            elif k == 7:
                R[a].s7 = None
            elif k == 8:
                R[a].s8 = None
            elif k == 9:
                R[a].s9 = None
            elif k == 10:
                R[a].s10 = None
            elif k == 11:
                R[a].s11 = None
            elif k == 12:
                R[a].s12 = None
            elif k == 13:
                R[a].s13 = None
            elif k == 14:
                R[a].s14 = None
            else:
                R[a].s15 = None
            pc += 3
        elif op == 10:  # DEL_LAST
            del R[code[pc + 1]][-1]
            pc += 2
        elif op == 2:  # NEW_FIN
            R[code[pc + 1]] = Fin_()
            pc += 2
        elif op == 15:  # WEAKREF
            if code[pc + 3]:
                R[code[pc + 1]] = ref(R[code[pc + 2]], cb)
            else:
                R[code[pc + 1]] = ref(R[code[pc + 2]])
            pc += 4
        elif op == 16:  # FREEZE
            gc_.freeze()
            pc += 1
        elif op == 17:  # COLLECT
            gc_.collect(code[pc + 1])
            pc += 2
        else:
            raise ValueError("bad opcode %d at op %d" % (op, i))
        i += 1
    POS[0] = i
    # the last op's collection (if any) ran at its back edge; switch the
    # collector off so that reading the count cannot start one
    gc_.disable()
    c = get_count()
    CNT[6] = c[0]
    CNT[7] = c[1]
    CNT[8] = c[2]
    c = None


# --- helpers ---------------------------------------------------------------

def version_string():
    return sys.version.split()[0]


def version_tuple():
    return tuple(sys.version_info[:2])


def parse_version(s):
    return tuple(int(x) for x in s.split(".")[:2])


def load_program(program_bytes):
    code = array.array("i")
    if code.itemsize != 4:
        raise RuntimeError("array 'i' is not 4 bytes here")
    if PY2:
        code.fromstring(program_bytes)
    else:
        code.frombytes(program_bytes)
    if sys.byteorder == "big":
        code.byteswap()
    return code


def count_ops(code):
    n = len(code)
    pc = 0
    ops = 0
    while pc < n:
        op = code[pc]
        if op == NEW_TUPLE:
            pc += 3 + code[pc + 2]
        elif op in OPERANDS:
            pc += 1 + OPERANDS[op]
        else:
            raise ValueError("bad opcode %d at word %d" % (op, pc))
        ops += 1
    if pc != n:
        raise ValueError("program ends inside an op")
    return ops


def probe_keys():
    """(callback info keys with type names, get_stats() entry keys with type
    names), from one throw-away collection made before the measured part."""
    info_keys = None
    stats_keys = None
    if HAS_CALLBACKS:
        box = []

        def probe(phase, info):
            if phase == "stop" and not box:
                box.append(sorted((k, type(v).__name__) for k, v in info.items()))
        gc.callbacks.append(probe)
        gc.collect(0)
        gc.callbacks.remove(probe)
        info_keys = box[0]
    if HAS_STATS:
        stats_keys = sorted((k, type(v).__name__) for k, v in gc.get_stats()[0].items())
    return info_keys, stats_keys


def int_keys(typed):
    return [k for k, t in typed if t == "int"]


def snapshot_stats(keys):
    """get_stats() as a flat list of ints (per generation, per key)."""
    out = []
    for entry in gc.get_stats():
        for k in keys:
            out.append(entry[k])
    return out


# --- one run ----------------------------------------------------------------

MODES = ("debug_stats", "plain", "callbacks")
BEGIN = "##SCHEDULE-BEGIN##"
END = "##SCHEDULE-END##"


def run(program_bytes, params_json_text, mode="debug_stats"):
    """One run of the program in this interpreter (a fresh one: the heap
    before the run is part of what is measured).  Returns the run's result
    JSON text (see merge() for the final one).

    mode "debug_stats": gc.set_debug(gc.DEBUG_STATS) for the run, with
    sys.stderr removed, so that the collector writes its lines with the C
    library straight to file descriptor 2 and makes no Python object (in
    3.x a str, which is not tracked).  The caller reads them, and reads
    POS[0] (the op index) at each "gc: collecting generation" line: a
    tracer stopping this process at that write (native; see Tracer) or the
    Pyodide stderr handler reading the wasm memory.  The address of POS is
    on the BEGIN line this run writes to fd 2.
    mode "plain": no recording (the check run).
    mode "callbacks": gc.callbacks records each collection: a cross-check
    only, since the collector makes an info dict for every callback call,
    which moves the dict free list and so, later, gc.get_count().
    All three run exactly the same Python code, with other arguments."""
    if mode not in MODES:
        raise ValueError("mode is one of %s" % (MODES,))
    if mode == "callbacks" and not HAS_CALLBACKS:
        raise ValueError("this Python has no gc.callbacks")
    params = json.loads(params_json_text)
    if params.get("min_python") and version_tuple() < parse_version(params["min_python"]):
        raise Skip("needs Python %s or later" % params["min_python"])
    sha = hashlib.sha256(program_bytes).hexdigest()
    if params.get("program_sha256") and params["program_sha256"] != sha:
        raise ValueError("program_sha256 does not match the program")
    code = load_program(program_bytes)
    nregs = int(params["nregs"])
    capacity = int(params.get("capacity") or 200000)

    info_typed, stats_typed = probe_keys()
    extra = []
    if info_typed is not None:
        extra = [k for k in int_keys(info_typed)
                 if k not in ("generation", "collected", "uncollectable")]
        if len(extra) > 2:
            raise RuntimeError("more than 2 extra int keys in the callback info: %r" % extra)
    width = 4 + len(extra)
    stat_keys = int_keys(stats_typed) if stats_typed is not None else []

    # everything the run uses exists before the start-up heap is measured
    R = [None] * nregs
    POS = array.array(INT64, [-1])
    CNT = array.array(INT64, [0] * 9)
    N = array.array(INT64, [0])
    D = array.array(INT64, [0]) * (capacity * width)
    x0 = extra[0] if len(extra) > 0 else None
    x1 = extra[1] if len(extra) > 1 else None
    nx = len(extra)

    def rec(phase, info):
        # no tracked allocation here, and `info` is not kept
        if phase == "stop":
            j = N[0]
            N[0] = j + 1
            if j < capacity:
                o = j * width
                D[o] = POS[0]
                D[o + 1] = info["generation"]
                D[o + 2] = info["collected"]
                D[o + 3] = info["uncollectable"]
                if nx > 0:
                    D[o + 4] = info[x0]
                if nx > 1:
                    D[o + 5] = info[x1]

    # the same code in every mode, only these differ
    sink = []
    hooks = gc.callbacks if mode == "callbacks" else sink
    debug = gc.DEBUG_STATS if mode == "debug_stats" else 0
    begin = ("\n%s %d\n" % (BEGIN, POS.buffer_info()[0])).encode("ascii")
    end = ("\n%s\n" % END).encode("ascii")

    thresholds = params.get("thresholds")
    if thresholds:
        gc.set_threshold(*thresholds)
    sys.stdout.flush()
    sys.stderr.flush()
    saved_stderr = sys.stderr
    os.write(2, begin)

    gc.collect()
    objs = gc.get_objects()
    startup = len(objs) - (1 if any(o is objs for o in objs) else 0)
    objs = None
    gc.collect()
    stats0 = snapshot_stats(stat_keys) if HAS_STATS else None
    threshold_run = list(gc.get_threshold())
    # The last thing before the run: a full collection empties the free lists
    # that the lines above filled (3.x; 2.7 keeps its list and dict ones), so
    # the program starts with them empty, as the simulator does. The stats
    # delta leaves this collection out (below).
    final = gc.collect()
    hooks.append(rec)
    if not KEEP_STDERR:
        del sys.stderr
    gc.set_debug(debug)
    execute(code, len(code), R, POS, CNT)
    # (execute() switched the collector off)
    gc.set_debug(0)
    sys.stderr = saved_stderr
    hooks.remove(rec)
    os.write(2, end)

    stats_delta = None
    if HAS_STATS:
        stats1 = snapshot_stats(stat_keys)
        stats_delta = []
        nk = len(stat_keys)
        for g in range(len(stats1) // nk if nk else 0):
            d = {}
            for j, k in enumerate(stat_keys):
                d[k] = stats1[g * nk + j] - stats0[g * nk + j]
            if g == 2:
                # not the program's: the full collection that started it
                d["collections"] -= 1
                d["collected"] -= final
                if "candidates" in d:
                    del d["candidates"]
            stats_delta.append(d)
    objs = gc.get_objects()
    tracked_end = len(objs) - (1 if any(o is objs for o in objs) else 0)
    objs = None

    collections = None
    overflow = 0
    if mode == "callbacks":
        total = N[0]
        kept = min(total, capacity)
        overflow = total - kept
        collections = [[int(D[j * width + f]) for f in range(width)] for j in range(kept)]

    result = [
        ("workload", params.get("workload")),
        ("python", version_string()),
        ("platform", sys.platform),
        ("recording", mode),
        ("checked_against", None),
        ("params", params),
        ("thresholds", threshold_run),
        ("startup_objects", startup),
        ("count_start", [int(CNT[3]), int(CNT[4]), int(CNT[5])]),
        ("count_start_stable", [int(CNT[0]), int(CNT[1]), int(CNT[2])] == [int(CNT[3]), int(CNT[4]), int(CNT[5])]),
        ("debug_stderr", "sys.stderr" if KEEP_STDERR else "C stderr (sys.stderr removed)"),
        ("collection_fields", ["op", "generation", "collected", "uncollectable"]),
        ("collections", collections),
        ("generation_sizes", None),
        ("stats_delta", stats_delta),
        ("count_end", [int(CNT[6]), int(CNT[7]), int(CNT[8])]),
        ("tracked_end", tracked_end),
        ("garbage_end", len(gc.garbage)),
        ("callback_info_keys", [k for k, t in info_typed] if info_typed is not None else None),
        ("stats_keys", [k for k, t in stats_typed] if stats_typed is not None else None),
        ("callback_extra_fields", extra),
        ("callbacks_overflow", overflow),
        ("undisturbed", None),
        ("callbacks_agree", None),
    ]
    return dump(result)


# --- JSON with a fixed key order, one collection per line -----------------

def _j(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"))


ROWS = ("collections", "generation_sizes", "stats_delta")


def dump(pairs):
    lines = []
    for k, v in pairs:
        if k in ROWS and v:
            body = ",\n  ".join(_j(row) for row in v)
            lines.append(' %s: [\n  %s\n ]' % (_j(k), body))
        else:
            lines.append(" %s: %s" % (_j(k), _j(v)))
    return "{\n" + ",\n".join(lines) + "\n}\n"


class _Pairs(list):
    pass


def load_pairs(text):
    """The result JSON as a list of (key, value) in file order."""
    return json.loads(text, object_pairs_hook=_Pairs)


def _plain(v):
    # object_pairs_hook turned every object into a _Pairs; undo that below
    # the top level (params, stats_delta entries) for comparison and output
    if isinstance(v, _Pairs):
        return dict((k, _plain(x)) for k, x in v)
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


COMPARED = ("python", "params", "thresholds", "startup_objects", "count_start",
            "stats_delta", "count_end", "tracked_end", "garbage_end")


def merge(runs):
    """The result: runs is a list of {"text", "stderr", "positions",
    "via"} for one debug_stats run (the recording), one plain run (the
    check) and optionally one callbacks run (a cross-check), in any order.
    positions: POS[0] read at each "gc: collecting generation" line of the
    debug_stats run (None: unknown, the op indexes are then null); via:
    what read them ("ptrace", "wasm").

    "undisturbed": the recording and the check agree on COMPARED.
    "callbacks_agree": the callbacks run found the same collections (op
    index, generation, collected, uncollectable), and the same COMPARED;
    null when there was no callbacks run.  Neither decides anything else."""
    by = {}
    for r in runs:
        d = [(k, _plain(v)) for k, v in load_pairs(r["text"])]
        by[dict(d)["recording"]] = (d, r)
    if "debug_stats" not in by or "plain" not in by:
        raise ValueError("merge needs a debug_stats run and a plain run")
    prim, prun = by["debug_stats"]
    pd = dict(prim)
    rows, sizes = parse_debug_stats(prun["stderr"], prun.get("positions"))
    check = dict(by["plain"][0])
    differ = [k for k in COMPARED if pd.get(k) != check.get(k)]
    agree = None
    first_diff = None
    if "callbacks" in by:
        cb = dict(by["callbacks"][0])
        cbrows = [row[:4] for row in cb["collections"]]
        agree = (cbrows == rows and not cb.get("callbacks_overflow")
                 and all(pd.get(k) == cb.get(k) for k in COMPARED))
        if not agree:
            for i in range(max(len(rows), len(cbrows))):
                a = rows[i] if i < len(rows) else None
                b = cbrows[i] if i < len(cbrows) else None
                if a != b:
                    first_diff = {"index": i, "recorded": a, "callbacks": b}
                    break
            first_diff = first_diff or {}
            first_diff["fields"] = [k for k in COMPARED if pd.get(k) != cb.get(k)]
    out = []
    for k, v in prim:
        if k == "recording":
            via = prun.get("via")
            v = "debug_stats" + ("+" + via if via else "")
        elif k == "checked_against":
            v = "plain"
        elif k == "collections":
            v = rows
        elif k == "generation_sizes":
            v = sizes
        elif k == "undisturbed":
            v = not differ
        elif k == "callbacks_agree":
            v = agree
        elif k == "callbacks_overflow":
            continue
        out.append((k, v))
    if first_diff is not None:
        out.append(("callbacks_difference", first_diff))
    if differ:
        out.append(("disturbed_fields", differ))
        out.append(("check_values", dict((k, check.get(k)) for k in differ)))
    return dump(out)


_COLLECTING = re.compile(r"^gc: collecting generation (\d+)")
_SIZES = re.compile(r"^gc: objects in each generation:((?: \d+)+)")
_PERMANENT = re.compile(r"^gc: objects in permanent generation: (\d+)")
_DONE = re.compile(r"^gc: done(?:, (\d+) unreachable, (\d+) uncollectable)?")


def parse_debug_stats(stderr_text, positions=None):
    """([[op, gen, collected, uncollectable], ...], [[sizes...], ...]) from
    the DEBUG_STATS lines between the markers.  The collector prints "X
    unreachable" counting the uncollectable ones too: collected = X -
    uncollectable (as the callbacks and get_stats() count).  Sizes: the
    generations' sizes when the collection started, then the permanent
    generation's (3.7+).  op: positions[i] (None when positions is None)."""
    if BEGIN not in stderr_text or END not in stderr_text:
        raise RuntimeError("no DEBUG_STATS markers in the run's stderr")
    body = stderr_text.split(BEGIN, 1)[1].split("\n", 1)[1].split(END, 1)[0]
    out = []
    sizes = []
    gen = None
    cur = None
    for line in body.splitlines():
        m = _COLLECTING.match(line)
        if m:
            if gen is not None:
                raise RuntimeError("DEBUG_STATS: collection without a 'done' line")
            gen = int(m.group(1))
            cur = []
            continue
        m = _SIZES.match(line)
        if m and cur is not None:
            cur.extend(int(x) for x in m.group(1).split())
            continue
        m = _PERMANENT.match(line)
        if m and cur is not None:
            cur.append(int(m.group(1)))
            continue
        m = _DONE.match(line)
        if m:
            if gen is None:
                raise RuntimeError("DEBUG_STATS: 'done' without a collection")
            unreachable = int(m.group(1) or 0)
            uncollectable = int(m.group(2) or 0)
            op = None
            if positions is not None:
                if len(out) >= len(positions):
                    raise RuntimeError("fewer positions than collections")
                op = positions[len(out)]
            out.append([op, gen, unreachable - uncollectable, uncollectable])
            sizes.append(cur)
            gen = None
            cur = None
            continue
        if line.strip():
            raise RuntimeError("unexpected line on stderr during the run: %r" % line[:200])
    if gen is not None:
        raise RuntimeError("DEBUG_STATS: unfinished collection")
    if positions is not None and len(positions) != len(out):
        raise RuntimeError("%d positions for %d collections" % (len(positions), len(out)))
    return out, sizes


# --- reading POS while the collector writes: a ptrace tracer ---------------

class Tracer(object):
    """Runs a child under ptrace (Linux x86_64, through ctypes), stops it at
    every write(2, ...) it makes and, when the text starts with "gc:
    collecting generation", reads the child's POS[0] (its address is on the
    BEGIN line) from /proc/PID/mem.  The child is stopped inside the
    collector at that moment, so the value is the op the collection ran in.
    The child's Python code is not changed in any way."""

    PTRACE_TRACEME = 0
    PTRACE_GETREGS = 12
    PTRACE_SYSCALL = 24
    PTRACE_SETOPTIONS = 0x4200
    PTRACE_O_TRACESYSGOOD = 1
    PTRACE_O_EXITKILL = 0x100000
    SYS_write = 1

    def __init__(self):
        import ctypes
        import platform
        if not sys.platform.startswith("linux") or platform.machine() != "x86_64":
            raise OSError("the tracer needs Linux on x86_64")
        self.ctypes = ctypes
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
        self.libc.ptrace.restype = ctypes.c_long
        names = ("r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs "
                 "eflags rsp ss fs_base gs_base ds es fs gs").split()

        class Regs(ctypes.Structure):
            _fields_ = [(n, ctypes.c_ulonglong) for n in names]
        self.Regs = Regs

    def _ptrace(self, req, pid, addr, data):
        r = self.libc.ptrace(req, pid, addr, data)
        if r == -1:
            e = self.ctypes.get_errno()
            raise OSError(e, "ptrace(%d): %s" % (req, os.strerror(e)))
        return r

    def run(self, argv, env, stdout, stderr):
        """Run argv to its end; returns (exit status, positions)."""
        libc = self.libc

        def traceme():
            libc.ptrace(0, 0, None, None)
        p = subprocess.Popen(argv, env=env, stdout=stdout, stderr=stderr, preexec_fn=traceme)
        pid = p.pid
        _, status = os.waitpid(pid, 0)
        if not os.WIFSTOPPED(status):
            raise RuntimeError("traced child did not stop at exec")
        self._ptrace(self.PTRACE_SETOPTIONS, pid, None,
                     self.PTRACE_O_TRACESYSGOOD | self.PTRACE_O_EXITKILL)
        mem = open("/proc/%d/mem" % pid, "rb", 0)
        regs = self.Regs()
        entering = True
        pos_addr = None
        positions = []
        sig = 0
        begin = BEGIN.encode("ascii")
        collecting = b"gc: collecting generation"
        try:
            while True:
                self._ptrace(self.PTRACE_SYSCALL, pid, None, sig)
                sig = 0
                _, status = os.waitpid(pid, 0)
                if os.WIFEXITED(status) or os.WIFSIGNALED(status):
                    break
                s = os.WSTOPSIG(status)
                if s != (signal.SIGTRAP | 0x80):
                    sig = s            # a real signal: deliver it
                    continue
                if entering:
                    self._ptrace(self.PTRACE_GETREGS, pid, None, self.ctypes.byref(regs))
                    if regs.orig_rax == self.SYS_write and regs.rdi == 2:
                        mem.seek(regs.rsi)
                        text = mem.read(min(regs.rdx, 200))
                        if text.startswith(collecting):
                            if pos_addr is None:
                                raise RuntimeError("a collection before the BEGIN line")
                            mem.seek(pos_addr)
                            positions.append(struct.unpack("<q", mem.read(8))[0])
                        elif pos_addr is None and begin in text:
                            pos_addr = int(text.split(begin, 1)[1].split()[0])
                entering = not entering
        finally:
            mem.close()
        p.returncode = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
        return p.returncode, positions


_TRACER = []


def tracer():
    """The Tracer, or None where ptrace cannot be used."""
    if not _TRACER:
        t = None
        try:
            t = Tracer()
            # try it once
            code, pos = t.run([sys.executable, "-S", "-c", "pass"], None, None, None)
            if code != 0:
                t = None
        except (OSError, RuntimeError, AttributeError, ImportError):
            t = None
        _TRACER.append(t)
    return _TRACER[0]


# --- the command line: fresh child interpreters, then merge ----------------

def child(mode, prog_path, params_path, trace=False):
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "0"
    argv = [sys.executable, "-S", os.path.abspath(__file__), "--single", mode, prog_path, params_path]
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    try:
        positions = None
        via = None
        if trace:
            code, positions = tracer().run(argv, env, out, err)
            via = "ptrace"
        else:
            code = subprocess.call(argv, env=env, stdout=out, stderr=err)
        out.seek(0)
        err.seek(0)
        o = out.read().decode("utf-8")
        e = err.read().decode("utf-8", "replace")
    finally:
        out.close()
        err.close()
    if code == 3:
        raise Skip(e.strip().splitlines()[-1].replace("skipped: ", "", 1))
    if code != 0:
        raise RuntimeError("%s run failed (%d):\n%s" % (mode, code, e[-4000:]))
    return {"text": o, "stderr": e, "positions": positions, "via": via}


def record_file(prog_path, params_path, callbacks=True):
    """The recording (debug_stats, positions read by the tracer where it
    works), the check run (plain) and, where gc.callbacks exists and
    `callbacks`, the cross-check; merged."""
    trace = tracer() is not None
    runs = [child("debug_stats", prog_path, params_path, trace),
            child("plain", prog_path, params_path)]
    if callbacks and HAS_CALLBACKS:
        runs.append(child("callbacks", prog_path, params_path))
    return merge(runs)


# --- calibration -------------------------------------------------------------

class Prog(object):
    def __init__(self):
        self.words = []

    def op(self, *w):
        self.words.extend(w)
        return self

    def count(self):
        return count_ops(array.array("i", self.words))


# registers of the calibration programs
C_H = 0        # holder list (keeps the drained objects)
C_T = 1        # scratch
C_I = 2        # an int
C_S = 3        # a shared Node
C_L = 4        # a list
C_D = 5        # a dict
C_X = 6        # scratch 2
C_W = 10       # weakrefs W+i (K of them)
C_F = 10 + 1100  # per-instance targets F+i
C_G = C_F + 1100  # peak-probe fill registers
C_NREGS = C_G + 200
K_NET = 1000


def _cases():
    """(name, expected net, expected peak, setup(p, i), op(p, i), target(i) or None).
    Instance i uses registers C_F+i, C_W+i; shared ones as above."""
    F = C_F
    W = C_W

    def nothing(p, i):
        pass

    def node_at(p, i):
        p.op(NEW_OBJ, F + i)

    def fin_at(p, i):
        p.op(NEW_FIN, F + i)

    def node_holding_shared(p, i):
        p.op(NEW_OBJ, F + i).op(SET_SLOT, F + i, 0, C_S)

    def node_holding_own(p, i):
        p.op(NEW_OBJ, F + i).op(NEW_OBJ, C_T).op(SET_SLOT, F + i, 0, C_T).op(DROP, C_T)

    def list_of_shared(p, i):
        p.op(NEW_LIST, F + i).op(APPEND, F + i, C_S)

    def list_of_own(p, i):
        p.op(NEW_LIST, F + i).op(NEW_OBJ, C_T).op(APPEND, F + i, C_T).op(DROP, C_T)

    def dict_of_shared(p, i):
        p.op(NEW_DICT, F + i).op(DICT_SET, F + i, 7, C_S)

    def dict_of_own(p, i):
        p.op(NEW_DICT, F + i).op(NEW_OBJ, C_T).op(DICT_SET, F + i, 7, C_T).op(DROP, C_T)

    def node_with_cb_ref(p, i):
        p.op(NEW_OBJ, F + i).op(WEAKREF, W + i, F + i, 1)

    def node_with_ref(p, i):
        p.op(NEW_OBJ, F + i).op(WEAKREF, W + i, F + i, 0)

    def empty_list_at(p, i):
        p.op(NEW_LIST, F + i)

    def empty_dict_at(p, i):
        p.op(NEW_DICT, F + i)

    return [
        ("NEW_OBJ", 1, 1, nothing, lambda p, i: p.op(NEW_OBJ, F + i), lambda i: F + i),
        ("NEW_OBJ over a Node", 0, 1, node_at, lambda p, i: p.op(NEW_OBJ, F + i), None),
        ("NEW_FIN", 1, 1, nothing, lambda p, i: p.op(NEW_FIN, F + i), lambda i: F + i),
        ("NEW_FIN over a Fin", 0, 1, fin_at, lambda p, i: p.op(NEW_FIN, F + i), None),
        ("NEW_LIST", 1, 1, nothing, lambda p, i: p.op(NEW_LIST, F + i), lambda i: F + i),
        ("NEW_DICT", 1, 1, nothing, lambda p, i: p.op(NEW_DICT, F + i), lambda i: F + i),
        ("NEW_TUPLE 1 (int)", 1, 1, nothing, lambda p, i: p.op(NEW_TUPLE, F + i, 1, C_I), lambda i: F + i),
        ("NEW_TUPLE 1 (Node)", 1, 1, nothing, lambda p, i: p.op(NEW_TUPLE, F + i, 1, C_S), lambda i: F + i),
        ("NEW_TUPLE 2", 1, 1, nothing, lambda p, i: p.op(NEW_TUPLE, F + i, 2, C_I, C_S), lambda i: F + i),
        ("NEW_TUPLE 3", 1, 1, nothing, lambda p, i: p.op(NEW_TUPLE, F + i, 3, C_I, C_S, C_I), lambda i: F + i),
        ("NEW_TUPLE 4", 1, 1, nothing, lambda p, i: p.op(NEW_TUPLE, F + i, 4, C_I, C_S, C_I, C_S), lambda i: F + i),
        ("NEW_INT", 0, 0, nothing, lambda p, i: p.op(NEW_INT, F + i, 100000 + i), None),
        ("SET_SLOT", 0, 0, node_at, lambda p, i: p.op(SET_SLOT, F + i, 0, C_S), None),
        ("SET_SLOT s15", 0, 0, node_at, lambda p, i: p.op(SET_SLOT, F + i, 15, C_S), None),
        ("CLEAR_SLOT (kept)", 0, 0, node_holding_shared, lambda p, i: p.op(CLEAR_SLOT, F + i, 0), None),
        ("CLEAR_SLOT (frees a Node)", -1, 0, node_holding_own, lambda p, i: p.op(CLEAR_SLOT, F + i, 0), None),
        ("APPEND", 0, 0, empty_list_at, lambda p, i: p.op(APPEND, F + i, C_S), None),
        ("DEL_LAST (kept)", 0, 0, list_of_shared, lambda p, i: p.op(DEL_LAST, F + i), None),
        ("DEL_LAST (frees a Node)", -1, 0, list_of_own, lambda p, i: p.op(DEL_LAST, F + i), None),
        ("DICT_SET", 0, 0, empty_dict_at, lambda p, i: p.op(DICT_SET, F + i, 3, C_S), None),
        ("DICT_DEL (kept)", 0, 0, dict_of_shared, lambda p, i: p.op(DICT_DEL, F + i, 7), None),
        ("DICT_DEL (frees a Node)", -1, 0, dict_of_own, lambda p, i: p.op(DICT_DEL, F + i, 7), None),
        ("MOVE", 0, 0, nothing, lambda p, i: p.op(MOVE, F + i, C_S), None),
        ("DROP (frees a Node)", -1, 0, node_at, lambda p, i: p.op(DROP, F + i), None),
        ("DROP (frees a Fin: __del__)", -1, 0, fin_at, lambda p, i: p.op(DROP, F + i), None),
        ("WEAKREF", 1, 1, node_at, lambda p, i: p.op(WEAKREF, W + i, F + i, 0), lambda i: W + i),
        ("WEAKREF (callback)", 1, 1, node_at, lambda p, i: p.op(WEAKREF, W + i, F + i, 1), lambda i: W + i),
        ("DROP (frees a Node with a weakref)", -1, 0, node_with_ref, lambda p, i: p.op(DROP, F + i), None),
        ("DROP (frees a Node, weakref callback runs)", -1, 0, node_with_cb_ref, lambda p, i: p.op(DROP, F + i), None),
    ]


_HOLD = []   # objects drained from the free lists, kept for the whole calibration


def _drain(p, n):
    """Allocate n of each free-listed kind and keep them (empties the list,
    dict, tuple (1..4) and, via append, method free lists)."""
    for _ in range(n):
        p.op(NEW_LIST, C_T).op(APPEND, C_H, C_T)
        p.op(NEW_DICT, C_T).op(APPEND, C_H, C_T)
        p.op(NEW_TUPLE, C_T, 1, C_I).op(APPEND, C_H, C_T)
        p.op(NEW_TUPLE, C_T, 2, C_I, C_I).op(APPEND, C_H, C_T)
        p.op(NEW_TUPLE, C_T, 3, C_I, C_I, C_I).op(APPEND, C_H, C_T)
        p.op(NEW_TUPLE, C_T, 4, C_I, C_I, C_I, C_I).op(APPEND, C_H, C_T)
    p.op(DROP, C_T)


def _fresh_regs():
    R = [None] * C_NREGS
    R[C_H] = []
    _HOLD.append(R[C_H])
    R[C_I] = 5
    R[C_S] = Node()
    return R


_CAL_POS = [array.array(INT64, [-1])]   # the running calibration program's POS


def _exec(p, R):
    code = array.array("i", p.words)
    POS = array.array(INT64, [-1])
    _CAL_POS[0] = POS
    CNT = array.array(INT64, [0] * 9)
    execute(code, len(code), R, POS, CNT)
    return CNT


def _net(setup, op):
    """count[0] change per op over K_NET ops (collector off), measured inside
    a program that runs a short drain of the free lists (what the harness
    released in between) and then just those ops; the setup ran before, in
    the same registers.  Against the same with K_NET DROPs of an empty
    register in place of the ops; also returns that one's count change
    beyond the drain's (should be 0)."""
    res = []
    for variant in (0, 1, 2):
        p = Prog()
        _drain(p, 2100)     # tuple free lists hold up to 2000 of each size
        for _ in range(3000):       # lift the count well above 0: no clamping
            p.op(NEW_OBJ, C_T).op(APPEND, C_H, C_T)
        p.op(DROP, C_T)
        for i in range(K_NET):
            setup(p, i)
        R = _fresh_regs()
        _exec(p, R)
        p = Prog()
        _drain(p, 20)
        if variant < 2:
            for i in range(K_NET):
                if variant == 0:
                    op(p, i)
                else:
                    p.op(DROP, C_X)
        CNT = _exec(p, R)
        res.append(CNT[6] - CNT[3])
        del R
    return float(res[0] - res[1]) / K_NET, res[1] - res[2]


def _probe_triggers(setup, op, target, recycled, fill, T, full=False):
    """One run: [drain] setup [the op once more, then release its result]
    COLLECT(0) (full: COLLECT(2)), `fill` objects into empty registers, the
    op, with the collector on and threshold[0] = T.  No gc callback (a
    callback's info dict would refill the dict free list).  Whether a
    collection ran after the COLLECT: then count[0] at the end is near 0
    instead of >= fill - 2.  recycled: the fill is Nodes only, so that the
    released object stays in its free list for the op."""
    p = Prog()
    _drain(p, 30)
    setup(p, 0)
    if recycled:
        setup(p, 1)
        op(p, 1)
        p.op(DROP, target(1))
    p.op(COLLECT, 2 if full else 0)
    # the fill starts with one of each free-listed kind: they take what the
    # COLLECT call released (3.6: its argument tuple) and count only when
    # their free list is empty: the same for the reference and the op
    first = [(NEW_TUPLE, None, 1, C_I), (NEW_TUPLE, None, 2, C_I, C_I),
             (NEW_TUPLE, None, 3, C_I, C_I, C_I), (NEW_TUPLE, None, 4, C_I, C_I, C_I, C_I),
             (NEW_LIST, None), (NEW_DICT, None)]
    for j in range(fill):
        if j < len(first) and not recycled:
            w = list(first[j])
            w[1] = C_G + j
            p.op(*w)
        else:
            p.op(NEW_OBJ, C_G + j)
    op(p, 0)
    R = _fresh_regs()
    gc.collect()
    t = gc.get_threshold()
    gc.set_threshold(T, t[1], t[2])
    gc.enable()
    CNT = _exec(p, R)       # (switches the collector off at the end)
    gc.set_threshold(*t)
    del R
    return CNT[6] < fill // 2


def _peak(setup, op, target, recycled, T, ref_fill, full=False):
    """How far the op pushes the count before its first release: the op
    starts a collection once the fill reaches ref_fill + 1 - peak, where
    ref_fill is where the reference op (NEW_OBJ into an empty register,
    peak 1) first does (a smaller fill cannot start one during the fill).
    5 means 5 or more."""
    for fill in range(max(0, ref_fill - 4), ref_fill + 1):
        if _probe_triggers(setup, op, target, recycled, fill, T, full):
            return ref_fill + 1 - fill
    return 0


def _ref_fill(case, T, full=False, nodes_only=False):
    name, exp_net, exp_peak, setup, op, target = case
    for fill in range(10, T + 12):
        # (nodes_only: the reference op released first, as the recycled probes do)
        if _probe_triggers(setup, op, target, nodes_only, fill, T, full):
            return fill
    return None


def calibrate_data():
    was_enabled = gc.isenabled()
    gc.disable()
    # one big drain first (tuple free lists hold up to 2000 per size)
    p = Prog()
    _drain(p, 2500)
    R = _fresh_regs()
    _exec(p, R)
    del R
    T = 50
    rows = []
    cases = _cases()
    problems = []
    try:
        ref_fill = _ref_fill(cases[0], T)
        ref_full = _ref_fill(cases[0], T, True)
        ref_rec = _ref_fill(cases[0], T, False, True)
        if ref_fill is None or ref_full is None or ref_rec is None:
            problems.append("peak probe: the reference op (NEW_OBJ) never started a collection")
        for name, exp_net, exp_peak, setup, op, target in cases:
            net, base = _net(setup, op)
            if base != 0:
                problems.append("%s: %d DROPs of an empty register moved the count by %s"
                                % (name, K_NET, base))
            peak = peak_rec = peak_full = None
            if ref_fill is not None:
                peak = _peak(setup, op, target, False, T, ref_fill)
                if target is not None and ref_rec is not None:
                    peak_rec = _peak(setup, op, target, True, T, ref_rec)
            if ref_full is not None:
                peak_full = _peak(setup, op, target, False, T, ref_full, True)
            flag = []
            if abs(net - exp_net) >= 0.01:
                flag.append("net")
            if peak is not None and peak != exp_peak:
                flag.append("peak")
            if peak_full is not None and peak_full != exp_peak:
                flag.append("peak after gc.collect(2)")
            rows.append([name, exp_net, net, exp_peak, peak, peak_rec, peak_full, flag])
        if ref_fill is not None and _ref_fill(cases[0], T) != ref_fill:
            problems.append("peak probe: the reference moved during the calibration")
    finally:
        if was_enabled:
            gc.enable()
    return {"python": version_string(), "platform": sys.platform, "rows": rows,
            "problems": problems, "peak_probe_threshold": T, "reference_fill": ref_fill,
            "reference_fill_full": ref_full, "reference_fill_released": ref_rec,
            "columns": ["op", "expected net", "net", "expected peak", "peak",
                        "peak after a release of the same kind",
                        "peak after gc.collect(2) (free lists cleared)", "differs"]}


def calibrate():
    return json.dumps(calibrate_data(), sort_keys=True)


def calibration_table(data):
    def fmt(v):
        if v is None:
            return "-"
        if isinstance(v, float):
            return ("%.3f" % v).rstrip("0").rstrip(".") if v != int(v) else "%d" % v
        return str(v)
    lines = ["Python %s (%s): net = count[0] change per op, collector off; peak = how far "
             "the op pushes the count before its first release (probe threshold %d): "
             "as measured, after a release of the same kind, after gc.collect(2)"
             % (data["python"], data["platform"], data["peak_probe_threshold"]),
             "%-44s %8s %8s %8s %6s %6s %6s  %s" % ("op", "exp.net", "net", "exp.peak", "peak",
                                                   "rel.", "full", "differs")]
    for name, en, n, ep, p, pr, pf, flag in data["rows"]:
        lines.append("%-44s %8s %8s %8s %6s %6s %6s  %s" % (name, fmt(en), fmt(n), fmt(ep), fmt(p),
                                                           fmt(pr), fmt(pf), ", ".join(flag)))
    for pr in data["problems"]:
        lines.append("PROBLEM: " + pr)
    return "\n".join(lines)


# --- main -------------------------------------------------------------------

def _read(path, binary):
    f = open(path, "rb" if binary else "r")
    try:
        return f.read()
    finally:
        f.close()


def main(argv):
    if argv[:1] == ["--calibrate"]:
        data = calibrate_data()
        if "--json" in argv:
            sys.stdout.write(json.dumps(data, sort_keys=True) + "\n")
        else:
            print(calibration_table(data))
        return 0
    if argv[:1] == ["--single"]:
        mode, prog, params = argv[1], argv[2], argv[3]
        try:
            out = run(_read(prog, True), _read(params, False), mode)
        except Skip as e:
            sys.stderr.write("skipped: %s\n" % e)
            return 3
        sys.stdout.write(out)
        sys.stdout.flush()
        return 0
    callbacks = True
    if "--no-callbacks" in argv:
        callbacks = False
        argv = [a for a in argv if a != "--no-callbacks"]
    out_path = None
    if "--out" in argv:
        i = argv.index("--out")
        out_path = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        text = record_file(argv[0], argv[1], callbacks)
    except Skip as e:
        sys.stderr.write("skipped on %s: %s\n" % (version_string(), e))
        return 3
    if out_path:
        f = open(out_path, "w")
        f.write(text)
        f.close()
    else:
        sys.stdout.write(text)
    if not json.loads(text)["undisturbed"]:
        sys.stderr.write("RECORDING DISTURBED THE RUN: %s\n" % json.loads(text).get("disturbed_fields"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
