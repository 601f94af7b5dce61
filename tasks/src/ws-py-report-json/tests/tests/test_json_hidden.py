import json
import os
import subprocess
import sys
import tempfile
import unittest

from report.render import to_json, to_text
from report.summary import Summary

ROWS = [("north", "tea", 250), ("south", "jam", 150), ("north", "jam", 100),
        ("east", "tea", 0)]


class TestJson(unittest.TestCase):
    def test_object(self):
        self.assertEqual(json.loads(to_json(Summary(ROWS))), {
            "total_cents": 500, "by_region": {"north": 350, "south": 150, "east": 0},
            "top_product": "jam"})

    def test_tie_sorts_first(self):
        s = Summary([("a", "tea", 5), ("a", "cake", 5)])
        self.assertEqual(json.loads(to_json(s))["top_product"], "cake")

    def test_empty(self):
        self.assertEqual(json.loads(to_json(Summary([]))),
                         {"total_cents": 0, "by_region": {}, "top_product": None})

    def run_cli(self, *args):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
            fh.write("region,product,cents\nnorth,tea,250\nsouth,jam,150\n")
        try:
            return subprocess.run([sys.executable, "-m", "report", *args, fh.name],
                                  capture_output=True, text=True, cwd=os.getcwd())
        finally:
            os.unlink(fh.name)

    def test_cli_json(self):
        p = self.run_cli("--format", "json")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.endswith("\n"))
        self.assertEqual(json.loads(p.stdout)["total_cents"], 400)

    def test_cli_text_default(self):
        p = self.run_cli()
        self.assertEqual(p.stdout, "total: 4.00\n  north: 2.50\n  south: 1.50\n")
        p = self.run_cli("--format", "text")
        self.assertEqual(p.stdout, "total: 4.00\n  north: 2.50\n  south: 1.50\n")
