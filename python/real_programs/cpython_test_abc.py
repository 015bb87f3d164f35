# CPython's Lib/test/test_abc.py, run in-process: classes made and dropped
# by the hundred, registered with ABCs (the ABC caches are WeakSets whose
# weakrefs' callbacks remove themselves), isinstance/issubclass checks.
import os
import sys
sys.path.insert(0, os.path.dirname(__file__))
import _suite  # noqa: E402
from test import test_abc  # noqa: E402
_suite.run(test_abc)
