import sys
import unittest

# Run every test of tests/test_*.py and print TAP.
sys.path.insert(0, ".")
suite = unittest.defaultTestLoader.discover("tests", pattern="test_*.py",
                                            top_level_dir=".")


def flat(s):
    for t in s:
        if isinstance(t, unittest.TestSuite):
            yield from flat(t)
        else:
            yield t


tests = list(flat(suite))
print("1..%d" % len(tests))
failed = 0
for i, t in enumerate(tests, 1):
    r = unittest.TestResult()
    t.run(r)
    ok = r.wasSuccessful()
    failed += not ok
    print("%s %d - %s" % ("ok" if ok else "not ok", i, t.id()))
    for _, tb in r.errors + r.failures:
        for line in tb.splitlines()[-3:]:
            print("# " + line)
sys.exit(1 if failed else 0)
