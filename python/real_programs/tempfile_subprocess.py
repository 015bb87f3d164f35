# tempfile and subprocess inside a traceback cycle: a failing helper catches
# its exception and keeps it in a local (exception -> traceback -> frame ->
# locals -> exception), with temporary files (NamedTemporaryFile: a wrapper
# whose closer has a __del__) and a finished subprocess's pipes among the
# frame's locals.
import subprocess
import sys
import tempfile


def work(i):
    tmp = tempfile.TemporaryFile()
    tmp.write(b"x" * 64)
    named = tempfile.NamedTemporaryFile()
    named.write(b"y" * 64)
    p = subprocess.Popen([sys.executable, "-c", "print(%d)" % i], stdout=subprocess.PIPE)
    out = p.communicate()[0]
    try:
        raise RuntimeError(out)
    except RuntimeError as e:
        err = e
        kept = sys.exc_info()   # noqa: F841 (the cycle)
    return err


for i in range(3):
    work(i)
