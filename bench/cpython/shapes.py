# -*- coding: utf-8 -*-
"""The pygcsim benchmark shapes in real CPython (standard library only;
runs on Python 2.7 and 3.6+).

  reach    N objects (a class with __slots__ = ('s0','s1','s2','s3')), each
           holding 4 references to random objects, all kept alive by a list
           (the roots). gc.collect() finds nothing; it is timed on the same
           heap rep after rep (after one untimed warm-up collection).
  garbage  the same graph; then the list is dropped, so what refcounting
           cannot free is cyclic garbage. gc.collect() finds and frees it.
           A fresh heap is built for every rep; only gc.collect() is timed.

The random targets come from mulberry32 (seed 1 by default), drawn in the
order node 0 slot 0..3, node 1 slot 0..3, ...; target = floor(u / 2**32 * N).
bench/run.ts draws the same sequence and passes it in a file (--edges: 4*N
little-endian uint32) so both sides build the very same graph without
spending seconds in a pure-Python PRNG; without --edges the script draws
the sequence itself. --check-edges compares the two.

  dlist    a doubly linked list of N nodes, dropped; gc.collect() timed.
  tree     N nodes, node.s0 = childNodes list, child.s1 = parent (fan-out
           8), dropped; gc.collect() timed.
  young    gc.collect(0) of 700 new, live objects over the reach heap.
  alloc    building the reach graph with the automatic collector on: the
           build itself is timed (what CPython spends allocating 4 x N
           references, collections included).

The gc is disabled while building (but for alloc). Prints one JSON line per shape.

  python shapes.py --n 100000 [--shapes reach,garbage] [--reps 5] [--reach-reps 11]
                   [--edges FILE] [--seed 1] [--check-edges]
"""
from __future__ import print_function

import argparse
import array
import gc
import json
import os
import platform
import sys
import time

try:
    xrange
except NameError:  # Python 3
    xrange = range

clock = getattr(time, "perf_counter", time.time)

M32 = 0xFFFFFFFF


class Node(object):
    __slots__ = ("s0", "s1", "s2", "s3")


def draw_edges(n, seed):
    """4*n targets in [0, n) from mulberry32, identical to bench/shapes.ts."""
    out = array.array("I", [0]) * (4 * n)
    a = seed & M32
    for j in xrange(4 * n):
        a = (a + 0x6D2B79F5) & M32
        t = ((a ^ (a >> 15)) * (1 | a)) & M32
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & M32)) & M32) ^ t
        u = t ^ (t >> 14)
        out[j] = int(u / 4294967296.0 * n)  # the same double arithmetic as JS
    return out


def read_edges(path, n):
    edges = array.array("I")
    if edges.itemsize != 4:
        raise SystemExit("array('I') is not 4 bytes on this platform")
    size = os.path.getsize(path)
    if size != 16 * n:
        raise SystemExit("%s holds %d bytes, expected %d (4 * N uint32)" % (path, size, 16 * n))
    with open(path, "rb") as f:
        edges.fromfile(f, 4 * n)
    if sys.byteorder != "little":
        edges.byteswap()
    return edges


def build(n, e):
    """The N nodes, their 4 references each; returns the list (the roots)."""
    nodes = [Node() for _ in xrange(n)]
    j = 0
    for o in nodes:
        o.s0 = nodes[e[j]]
        o.s1 = nodes[e[j + 1]]
        o.s2 = nodes[e[j + 2]]
        o.s3 = nodes[e[j + 3]]
        j += 4
    return nodes


def rss_bytes():
    """Resident set size (Linux /proc), or None."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except Exception:
        return None


def summary(xs):
    s = sorted(xs)
    k = len(s)
    med = s[k // 2] if k % 2 else (s[k // 2 - 1] + s[k // 2]) / 2.0
    return med, s[0], s[-1]


def info():
    v = sys.version_info
    return {
        "impl": "cpython",
        "implementation": platform.python_implementation(),
        "python": "%d.%d.%d" % (v[0], v[1], v[2]),
        "executable": os.path.realpath(sys.executable),
    }


def emit(shape, n, reps, times, collected, extra):
    med, lo, hi = summary(times)
    line = info()
    line.update({
        "shape": shape, "n": n, "reps": reps,
        "times_ms": [round(t, 3) for t in times],
        "median_ms": round(med, 3), "min_ms": round(lo, 3), "max_ms": round(hi, 3),
        "collected": collected,
    })
    line.update(extra)
    print(json.dumps(line, sort_keys=True))
    sys.stdout.flush()


def bench_reach(n, edges, reps):
    gc.collect()
    rss0 = rss_bytes()
    t0 = clock()
    nodes = build(n, edges)
    build_ms = (clock() - t0) * 1e3
    rss1 = rss_bytes()
    gc.collect()  # warm-up: moves everything to the oldest generation
    times, counts = [], []
    for _ in xrange(reps):
        t0 = clock()
        c = gc.collect()
        times.append((clock() - t0) * 1e3)
        counts.append(c)
    extra = {"build_ms": round(build_ms, 3), "sizeof_node": sys.getsizeof(nodes[0])}
    if rss0 is not None and rss1 is not None:
        extra["rss_bytes_per_obj"] = round(float(rss1 - rss0) / n, 1)
    del nodes
    gc.collect()
    emit("reach", n, reps, times, counts, extra)


def bench_garbage(n, edges, reps):
    times, counts, builds = [], [], []
    gc.collect()
    for _ in xrange(reps):
        t0 = clock()
        nodes = build(n, edges)
        builds.append((clock() - t0) * 1e3)
        del nodes  # refcounting frees the nodes no cycle keeps alive
        t0 = clock()
        c = gc.collect()
        times.append((clock() - t0) * 1e3)
        counts.append(c)
    emit("garbage", n, reps, times, counts, {"build_ms": round(summary(builds)[0], 3)})


def bench_dlist(n, reps):
    """A doubly linked list of N nodes (s0 next, s1 prev), dropped: found and freed."""
    times, counts = [], []
    gc.collect()
    for _ in xrange(reps):
        head = prev = Node()
        for _ in xrange(n - 1):
            o = Node()
            prev.s0 = o
            o.s1 = prev
            prev = o
        del head, prev, o
        t0 = clock()
        counts.append(gc.collect())
        times.append((clock() - t0) * 1e3)
    emit("dlist", n, reps, times, counts, {})


def bench_tree(n, reps, fanout=8):
    """N nodes; node.s0 = its childNodes list, child.s1 = parent (fan-out 8); dropped."""
    times, counts = [], []
    gc.collect()
    for _ in xrange(reps):
        nodes = [Node() for _ in xrange(n)]
        for i in xrange(1, n):
            p = nodes[(i - 1) // fanout]
            if (i - 1) % fanout == 0:
                p.s0 = []
            p.s0.append(nodes[i])
            nodes[i].s1 = p
        del nodes, p
        t0 = clock()
        counts.append(gc.collect())
        times.append((clock() - t0) * 1e3)
    emit("tree", n, reps, times, counts, {})


def bench_young(n, edges, reps):
    """gc.collect(0) of 700 new, live objects over the N-object reach heap."""
    nodes = build(n, edges)
    gc.collect()
    keep = []
    times, counts = [], []
    for r in xrange(reps):
        new = [Node() for _ in xrange(700)]
        for i in xrange(700):
            new[i].s0 = nodes[(i * 7919 + r * 104729) % n]
            new[i].s1 = new[(i + 1) % 700]
        keep.append(new)
        t0 = clock()
        counts.append(gc.collect(0))
        times.append((clock() - t0) * 1e3)
    del nodes, keep
    gc.collect()
    emit("young", n, reps, times, counts, {})


def bench_alloc(n, edges, reps):
    """Building the reach graph with the automatic collector ON: the whole build timed."""
    times = []
    for _ in xrange(reps):
        gc.collect()
        gc.enable()
        t0 = clock()
        nodes = build(n, edges)
        times.append((clock() - t0) * 1e3)
        gc.disable()
        del nodes
        gc.collect()
    emit("alloc", n, reps, times, [0] * reps, {})


def main():
    p = argparse.ArgumentParser(description="pygcsim benchmark shapes in CPython")
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--shapes", default="reach,garbage")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--reach-reps", type=int, default=None,
                   help="reps for reach (default: --reps); they are cheap, no rebuild")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--edges", help="file of 4*N little-endian uint32 targets")
    p.add_argument("--check-edges", action="store_true",
                   help="draw the targets in Python too and compare them with --edges")
    a = p.parse_args()
    n = a.n
    reach_reps = a.reach_reps if a.reach_reps is not None else a.reps
    if n < 1 or a.reps < 1 or reach_reps < 1:
        raise SystemExit("--n and --reps must be >= 1")
    if a.edges:
        edges = read_edges(a.edges, n)
        if a.check_edges:
            mine = draw_edges(n, a.seed)
            same = mine == edges
            print(json.dumps({"check_edges": same, "n": n, "seed": a.seed}))
            if not same:
                raise SystemExit(1)
    else:
        edges = draw_edges(n, a.seed)
    gc.disable()
    for shape in a.shapes.split(","):
        if shape == "reach":
            bench_reach(n, edges, reach_reps)
        elif shape == "garbage":
            bench_garbage(n, edges, a.reps)
        elif shape == "dlist":
            bench_dlist(n, a.reps)
        elif shape == "tree":
            bench_tree(n, a.reps)
        elif shape == "young":
            bench_young(n, edges, max(a.reps, 21))
        elif shape == "alloc":
            bench_alloc(n, edges, a.reps)
        else:
            raise SystemExit("unknown shape %r" % shape)


if __name__ == "__main__":
    main()
