# Generators and coroutines left suspended inside reference cycles, an
# exception's traceback cycle (the frame holds the exception that holds the
# frame), and (3.7+) asyncio running a few tasks with a failing one.
import sys


def counter(box):
    box.append(box)              # the generator's frame holds a list holding itself
    n = 0
    while True:
        yield n
        n += 1


class Holder(object):
    pass


for i in range(5):
    h = Holder()
    h.gen = counter([i])
    next(h.gen)                  # suspended: closing it runs its frame's cleanup
    h.me = h

def fail():
    raise ValueError("boom")

def catch():
    try:
        fail()
    except ValueError:
        return sys.exc_info()    # exception -> traceback -> frame -> locals: a cycle

info = catch()
info = None
h = None

if sys.version_info >= (3, 7):
    # (compiled from a string: 2.7 and 3.6 cannot parse `async def`)
    exec(compile("""
import asyncio

async def worker(n, q):
    await asyncio.sleep(0)
    if n == 3:
        raise KeyError(n)
    q.append(n)

async def main():
    q = []
    tasks = [asyncio.ensure_future(worker(n, q)) for n in range(6)]
    await asyncio.gather(*tasks, return_exceptions=True)
    return q

loop = asyncio.new_event_loop()
loop.run_until_complete(main())
loop.close()
loop = None
""", "<asyncio part>", "exec"))
