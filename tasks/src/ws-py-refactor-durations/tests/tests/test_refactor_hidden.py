import inspect
import unittest

from jobs import scheduler, timeouts


class TestDurations(unittest.TestCase):
    def test_parse(self):
        from jobs.durations import parse_duration
        for text, want in [("90s", 90), ("5m", 300), ("2h", 7200), ("1d", 86400),
                           ("1h30m", 5400), (" 45 ", 45), ("0", 0), ("1d2h3m4s", 93784)]:
            self.assertEqual(parse_duration(text), want, text)

    def test_bad(self):
        from jobs.durations import parse_duration
        for text in ["", "5x", "m5", "1h 30m", "-5", "1.5h", "h"]:
            with self.assertRaises(ValueError, msg=text):
                parse_duration(text)

    def test_behaviour_kept(self):
        self.assertEqual(scheduler.next_run(10, "2m"), 130)
        self.assertEqual(timeouts.deadline(5, "1h"), 3605)
        with self.assertRaises(ValueError):
            scheduler.next_run(0, "soon")
        with self.assertRaises(ValueError):
            timeouts.deadline(0, "1y")

    def test_no_copies_left(self):
        for mod in (scheduler, timeouts):
            src = inspect.getsource(mod)
            self.assertNotIn("re.findall", src, mod.__name__)
            self.assertIn("parse_duration", src, mod.__name__)
