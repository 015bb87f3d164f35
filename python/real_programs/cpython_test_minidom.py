# CPython's Lib/test/test_minidom.py, run in-process: DOM trees (parent and
# sibling links: cycles), NodeLists, the expat parser's handlers.
import os
import sys
sys.path.insert(0, os.path.dirname(__file__))
import _suite  # noqa: E402
from test import test_minidom  # noqa: E402
_suite.run(test_minidom)
