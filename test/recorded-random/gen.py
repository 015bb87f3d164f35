"""Random conformance scenarios (docs/scenario-format.md), for recording
on real CPython with runner.py and replaying on the simulator
(test/recorded-random.test.ts).

    python3 gen.py OUT_DIR FAMILY FIRST_SEED END_SEED

Families: "a" runs on every version (no freeze, stats, is_finalized);
"b" needs 3.9+ and adds them; "c" is longer, with deep chains (trashcan).
Every scenario is valid by construction: names are never reused, `unref`
removes a reference that exists, an obj/fin never holds more than 16, a
target gets at most one callback-less weakref, a revived name is never used
again, tuples are never empty (see the () note in refcount.test.ts).
"""
import json
import os
import random
import sys


def gen(seed, family):
    R = random.Random("%s-%d" % (family, seed))
    ops = []
    kinds, bound, refs, used = {}, set(), {}, {}
    probed, basic, res, revived = set(), set(), set(), set()
    count = [0]

    def name(prefix):
        count[0] += 1
        return "%s%d" % (prefix, count[0])

    def bound_of(*types):
        return [n for n in sorted(bound) if kinds[n] in types]

    n_ops = R.randint(30, 90) if family != "c" else R.randint(80, 160)
    while len(ops) < n_ops:
        r = R.random()
        if r < 0.22 or len(bound) < 3:
            t = R.choice(["obj", "obj", "fin", "fin", "list", "dict", "tuple", "int", "str"])
            n = name(t[0])
            op = {"op": "new", "id": n, "type": t}
            if t == "fin" and R.random() < 0.3:
                op["resurrect"] = True
                res.add(n)
            if t == "tuple":
                items = []
                for _ in range(R.randint(1, 3)):
                    c = sorted(bound)
                    items.append(R.choice(c) if c and R.random() < 0.8 else R.randint(0, 9))
                op["items"] = items
            ops.append(op)
            kinds[n] = t
            bound.add(n)
            used[n] = 0
        elif r < 0.45:
            frm = [n for n in bound_of("obj", "fin", "list", "dict") if kinds[n] in ("list", "dict") or used[n] < 16]
            if not frm:
                continue
            f, t = R.choice(frm), R.choice(sorted(bound))
            ops.append({"op": "ref", "from": f, "to": t})
            refs[(f, t)] = refs.get((f, t), 0) + 1
            used[f] += 1
        elif r < 0.52:
            c = [(f, t) for (f, t), k in sorted(refs.items()) if k > 0 and f in bound]
            if not c:
                continue
            f, t = R.choice(c)
            ops.append({"op": "unref", "from": f, "to": t})
            refs[(f, t)] -= 1
            used[f] -= 1
        elif r < 0.70:
            if not bound:
                continue
            n = R.choice(sorted(bound))
            ops.append({"op": "del", "id": n})
            bound.discard(n)
        elif r < 0.75:
            targets = bound_of("obj", "fin")
            if not targets:
                continue
            t = R.choice(targets)
            cb = R.random() < 0.6 or t in basic
            if not cb:
                basic.add(t)
            n = name("w")
            ops.append({"op": "weakref", "id": n, "to": t, "callback": cb})
            kinds[n] = "weakref"
            bound.add(n)
            used[n] = 0
        elif r < 0.78:
            c = [n for n in bound_of("obj", "fin") if n not in probed]
            if c:
                n = R.choice(c)
                ops.append({"op": "probe", "id": n})
                probed.add(n)
        elif r < 0.81:
            if probed:
                ops.append({"op": "alive", "id": R.choice(sorted(probed))})
        elif r < 0.83:
            c = bound_of("weakref")
            if c:
                ops.append({"op": "deref", "id": R.choice(c)})
        elif r < 0.84:
            if bound:
                ops.append({"op": "incref", "id": R.choice(sorted(bound))})
        elif r < 0.91:
            ops.append({"op": "collect", "gen": R.choice([0, 1, 2, 2])})
        elif r < 0.93:
            if bound:
                ops.append({"op": "is_tracked", "id": R.choice(sorted(bound))})
        elif r < 0.94:
            ops.append({"op": "debug", "flags": R.choice([["SAVEALL"], []])})
        elif r < (0.96 if family != "c" else 0.975):
            t = R.choice(["obj", "fin", "list", "dict", "tuple"])
            n = name("c")
            op = {"op": "chain", "id": n, "type": t,
                  "length": R.randint(2 if t == "tuple" else 1, 5 if family != "c" else 130)}
            x = R.random()
            if x < 0.3 and t != "tuple":
                op["to"] = n
            elif x < 0.6 and bound:
                op["to"] = R.choice(sorted(bound))
            ops.append(op)
            kinds[n] = t
            bound.add(n)
            used[n] = 1 if t in ("obj", "fin") and ("to" in op or op["length"] > 1) else 0
        elif r < 0.97:
            ops.append({"op": R.choice(["drop_resurrected", "clear_garbage"])})
        elif r < 0.98:
            c = [n for n in sorted(kinds) if n not in bound and n not in revived
                 and kinds[n] in ("obj", "fin", "list", "dict")]
            if not c:
                continue
            n = R.choice(c)
            src = "resurrected" if n in res and R.random() < 0.7 else "garbage"
            ops.append({"op": "revive", "id": n, "from": src})
            revived.add(n)
        elif family == "b":
            k = R.random()
            if k < 0.3:
                if bound:
                    ops.append({"op": "is_finalized", "id": R.choice(sorted(bound))})
            elif k < 0.6:
                ops.append({"op": R.choice(["freeze", "unfreeze"])})
            else:
                ops.append({"op": "stats"})
    ops.append({"op": "collect", "gen": 2})
    scn = {"name": "rand_%s_%d" % (family, seed), "description": "random scenario (gen.py %s %d)" % (family, seed), "ops": ops}
    if family == "b":
        scn["min_python"] = "3.9"
    return scn


if __name__ == "__main__":
    out, family, first, end = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    for s in range(first, end):
        scn = gen(s, family)
        with open(os.path.join(out, scn["name"] + ".json"), "w") as f:
            json.dump(scn, f, indent=1)
            f.write("\n")
