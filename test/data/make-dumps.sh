#!/bin/sh
# Regenerates the heap dumps test/load.test.ts reads, with every CPython found:
#   heap-X.Y.Z.jsonl.gz          the dump heapprog.py takes (python/pygcsim_dump.py)
#   heap-X.Y.Z.expected.json     what that interpreter's own full collection found then
#   heap-frozen-X.Y.Z.*          the same after gc.freeze() (3.7+; made with one interpreter)
# and MANIFEST.txt: which interpreter made each file.
#
#   sh test/data/make-dumps.sh                      # pythonX.Y on PATH, else ~/.pyenv/versions/*
#   PYTHONS="/usr/bin/python2.7 python3.12" sh test/data/make-dumps.sh
#
# -S -E keep the interpreter's own heap small (no site, no PYTHON* variables);
# PYTHONHASHSEED=0 makes reruns comparable.
set -e
cd "$(dirname "$0")"
if [ -z "$PYTHONS" ]; then
  for v in 2.7 3.6 3.7 3.8 3.9 3.10 3.11 3.12 3.13 3.14; do
    if "python$v" -c pass >/dev/null 2>&1; then PYTHONS="$PYTHONS python$v"
    else
      for p in "$HOME"/.pyenv/versions/"$v".*/bin/python; do [ -x "$p" ] && PYTHONS="$PYTHONS $p" && break; done
    fi
  done
fi
FROZEN=${FROZEN:-3.12}
rm -f heap-*.jsonl.gz heap-*.expected.json
echo "# file: interpreter (sys.version)" > MANIFEST.txt
for py in $PYTHONS; do
  v=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
  PYTHONHASHSEED=0 "$py" -S -E heapprog.py "heap-$v.jsonl.gz" "heap-$v.expected.json"
  echo "heap-$v.jsonl.gz heap-$v.expected.json: $py ($("$py" -c 'import sys; print(sys.version.replace(chr(10), " "))'))" >> MANIFEST.txt
  case "$v" in
    "$FROZEN".*)
      PYTHONHASHSEED=0 "$py" -S -E heapprog.py "heap-frozen-$v.jsonl.gz" "heap-frozen-$v.expected.json" --freeze
      echo "heap-frozen-$v.jsonl.gz heap-frozen-$v.expected.json: $py, after gc.freeze()" >> MANIFEST.txt ;;
  esac
  echo "made heap-$v.*"
done
