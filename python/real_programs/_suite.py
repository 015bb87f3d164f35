# Runs one module of CPython's own test suite in-process (quietly): the
# helper the cpython_test_*.py programs share. Its output is thrown away;
# the tests' pass/fail does not matter, only the heap they leave.
import io
import sys
import unittest


def run(module):
    stream = io.StringIO() if sys.version_info[0] >= 3 else io.BytesIO()
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    unittest.TextTestRunner(stream=stream, verbosity=0).run(suite)
