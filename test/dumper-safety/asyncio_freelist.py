# CPython gh-122695 (3.12.0-3.12.5): gc.get_referents(_asyncio) hands out the
# module's free list of future iterators; a dumper that holds and drops them
# corrupts the list, and a later collection or allocation can hang or crash.
# Fills the free list, dumps, then churns future iterators and collects: the
# program must finish (test/dumper-safety.test.ts runs it with a timeout).
#
#   python asyncio_freelist.py DUMPER_DIR OUT.jsonl.gz
import gc
import sys

sys.path.insert(0, sys.argv[1])
import asyncio  # noqa: E402
import pygcsim_dump  # noqa: E402

loop = asyncio.new_event_loop()
futs = [loop.create_future() for _ in range(8)]
its = [iter(f) for f in futs]
its = None                      # eight iterators onto _asyncio's free list
pygcsim_dump.dump(sys.argv[2])
pygcsim_dump.dump(sys.argv[2])  # a second dump visits the (corrupted) list again
for _ in range(1000):
    its = [iter(f) for f in futs]
    its = None
n = gc.collect()
loop.close()
sys.stdout.write('{"python":"%d.%d.%d","collected":%d}\n' % (sys.version_info[:3] + (n,)))
