# logging, argparse and (3.3+) unittest.mock, as a command-line tool uses
# them: parsers built and dropped (parser <-> actions <-> groups), loggers and
# handlers, mocks with child mocks (parent links: cycles).
import argparse
import logging
import sys

log = logging.getLogger("realprog")
log.addHandler(logging.NullHandler())
for i in range(5):
    p = argparse.ArgumentParser(prog="tool%d" % i)
    p.add_argument("--n", type=int, default=i)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--a", action="store_true")
    g.add_argument("--b", action="store_true")
    sub = p.add_subparsers(dest="cmd")
    sub.add_parser("run").add_argument("x")
    ns = p.parse_args(["--n", str(i), "run", "y"])
    log.info("parsed %s", ns)
p = g = sub = ns = None

if sys.version_info >= (3, 3):
    from unittest import mock
    for i in range(3):
        m = mock.MagicMock()
        m.service.call(i)
        m.service.call.assert_called_with(i)
    m = None
