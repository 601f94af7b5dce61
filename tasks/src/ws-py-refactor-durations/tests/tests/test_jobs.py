import unittest

from jobs import scheduler, timeouts


class TestJobs(unittest.TestCase):
    def test_next_run(self):
        self.assertEqual(scheduler.next_run(100, "1h30m"), 100 + 5400)

    def test_deadline(self):
        self.assertEqual(timeouts.deadline(0, "90s"), 90)
        self.assertIsNone(timeouts.deadline(0, "none"))
