"""Records what real CPython does for every scenario in cases/:

    python3 record.py [PYTHON ...]     (default: $(pyenv root)/versions/*/bin/python)

Each interpreter runs ../conformance/runner.py over cases/*.json twice; the
results are kept only when both runs agree byte for byte. They are written
to expected/<major.minor>.json as {scenario name: events}, one line per
scenario. A scenario outside an interpreter's version range has no entry.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "conformance", "runner.py")


def run(python, cases, out):
    subprocess.run([python, RUNNER] + cases + ["--out", out], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {os.path.basename(f)[:-5]: open(f).read() for f in sorted(glob.glob(os.path.join(out, "*.json")))}


def main():
    pythons = sys.argv[1:]
    if not pythons:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
        pythons = sorted(glob.glob(os.path.join(root, "versions", "*", "bin", "python")))
    cases = sorted(glob.glob(os.path.join(HERE, "cases", "*.json")))
    for python in pythons:
        with tempfile.TemporaryDirectory() as t1, tempfile.TemporaryDirectory() as t2:
            first, second = run(python, cases, t1), run(python, cases, t2)
        if first != second:
            sys.exit("%s: two runs differ: %s" % (python, sorted(k for k in first if first[k] != second.get(k))))
        version = json.loads(next(iter(first.values())))["python"]
        series = ".".join(version.split(".")[:2])
        lines = ["%s: %s" % (json.dumps(k), json.dumps(json.loads(v)["events"], sort_keys=True, separators=(",", ":")))
                 for k, v in sorted(first.items())]
        with open(os.path.join(HERE, "expected", series + ".json"), "w") as f:
            f.write("{\n" + ",\n".join(lines) + "\n}\n")
        print("%s: %d scenarios (%s)" % (series, len(first), version))


if __name__ == "__main__":
    main()
