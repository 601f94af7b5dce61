"""gen-tasks.py [N]: print N (default 164) HumanEval-like python tasks as
NDJSON, for tests/bench/b03-exec.sh.  Each task is a small function with a
docstring, a correct reference solution and a HumanEval-style
`def check(candidate)` of 6 to 10 assertions on small inputs.  The tasks
are written for ab (55 families, each in up to three variants that change
the constants, the names and the inputs); the expected values are computed
here from the reference, so they cannot drift.  Deterministic output."""
import json
import sys
import textwrap

FAMILIES = []


def family(fn):
    FAMILIES.append(fn)
    return fn


# Each family takes a variant number v (0, 1, 2) and returns
# (name, signature, docstring, body, list of argument tuples).

@family
def multiples(v):
    k = (3, 5, 7)[v]
    return ("sum_multiples_of_%d" % k, "(n: int) -> int",
            "Sum of the positive multiples of %d below n." % k,
            "return sum(i for i in range(1, n) if i %% %d == 0)" % k,
            [(0,), (1,), (10,), (16,), (100,), (k,), (k + 1,)])


@family
def vowels(v):
    chars = ("aeiou", "aeiouy", "AEIOUaeiou")[v]
    return ("count_vowels_%d" % v, "(s: str) -> int",
            "Count the characters of s that are in %r." % chars,
            "return sum(1 for c in s if c in %r)" % chars,
            [("",), ("abc",), ("Yellow sky",), ("AEIOU",), ("rhythm",),
             ("Queueing theory",)])


@family
def rotate(v):
    return ("rotate_left_%d" % v, "(xs: list, k: int) -> list",
            "Rotate the list xs left by k places (k may exceed the length)%s." %
            ("" if v == 0 else ", returning a new list"),
            "if not xs:\n    return []\nk %= len(xs)\nreturn xs[k:] + xs[:k]",
            [([], 3), ([1], 5), ([1, 2, 3], 1), ([1, 2, 3, 4], 6),
             ([5, 6, 7], 0), (list(range(v + 5)), v + 2)])


@family
def palindrome(v):
    norm = ("s", "s.lower()", "''.join(c for c in s.lower() if c.isalnum())")[v]
    return ("is_palindrome_%d" % v, "(s: str) -> bool",
            ("Whether s reads the same both ways.",
             "Whether s reads the same both ways, ignoring case.",
             "Whether s is a palindrome, ignoring case and anything but "
             "letters and digits.")[v],
            "t = %s\nreturn t == t[::-1]" % norm,
            [("",), ("a",), ("ab",), ("Abba",), ("racecar",),
             ("A man, a plan, a canal: Panama",), ("No lemon, no melon",)])


@family
def fizz(v):
    a, b = ((3, 5), (2, 7), (4, 6))[v]
    return ("fizzbuzz_%d_%d" % (a, b), "(n: int) -> list[str]",
            "For 1..n: 'Fizz' for multiples of %d, 'Buzz' of %d, 'FizzBuzz' "
            "of both, else the number as a string." % (a, b),
            "out = []\nfor i in range(1, n + 1):\n    s = ''\n"
            "    if i %% %d == 0:\n        s += 'Fizz'\n"
            "    if i %% %d == 0:\n        s += 'Buzz'\n"
            "    out.append(s or str(i))\nreturn out" % (a, b),
            [(0,), (1,), (7,), (15,), (24,)])


@family
def digits(v):
    base = (10, 2, 16)[v]
    return ("digit_sum_base_%d" % base, "(n: int) -> int",
            "Sum of the digits of the non-negative n written in base %d." % base,
            "s = 0\nwhile n:\n    s += n %% %d\n    n //= %d\nreturn s" % (base, base),
            [(0,), (1,), (15,), (255,), (1000,), (123456789,)])


@family
def run_length(v):
    return ("run_length_%d" % v, "(s: str) -> list",
            "Run-length encode s as a list of [char, count] pairs%s." %
            ("" if v == 0 else " (consecutive equal characters only)"),
            "out = []\nfor c in s:\n    if out and out[-1][0] == c:\n"
            "        out[-1][1] += 1\n    else:\n        out.append([c, 1])\n"
            "return out",
            [("",), ("a",), ("aaab",), ("abba",), ("zzzzzz",), ("aabbbcccc",)])


@family
def second_largest(v):
    return ("second_largest_%d" % v, "(xs: list[int]) -> int | None",
            "The second largest distinct value of xs, or None.",
            "u = sorted(set(xs))\nreturn u[-2] if len(u) > 1 else None",
            [([],), ([1],), ([1, 1],), ([3, 1, 2],), ([5, 5, 4, 4],),
             ([-1, -7, -3],), (list(range(10 * (v + 1))),)])


@family
def anagram(v):
    return ("are_anagrams_%d" % v, "(a: str, b: str) -> bool",
            "Whether a and b are anagrams%s." %
            ("", ", ignoring spaces", ", ignoring spaces and case")[v],
            ("return sorted(a) == sorted(b)",
             "return sorted(a.replace(' ', '')) == sorted(b.replace(' ', ''))",
             "f = lambda s: sorted(s.replace(' ', '').lower())\n"
             "return f(a) == f(b)")[v],
            [("", ""), ("ab", "ba"), ("abc", "abd"), ("dormitory", "dirty room"),
             ("Listen", "Silent"), ("aab", "abb")])


@family
def primes(v):
    lim = (30, 50, 100)[v]
    return ("primes_below_%d" % v, "(n: int) -> list[int]",
            "The primes below n, in increasing order.",
            "if n < 3:\n    return []\nsieve = [True] * n\nsieve[0] = sieve[1] = False\n"
            "for i in range(2, int(n ** 0.5) + 1):\n    if sieve[i]:\n"
            "        for j in range(i * i, n, i):\n            sieve[j] = False\n"
            "return [i for i, p in enumerate(sieve) if p]",
            [(0,), (2,), (3,), (10,), (lim,), (lim + 1,)])


@family
def gcd_list(v):
    return ("gcd_of_%d" % v, "(xs: list[int]) -> int",
            "The greatest common divisor of the non-empty list xs of "
            "positive integers.",
            "from math import gcd\ng = 0\nfor x in xs:\n    g = gcd(g, x)\nreturn g",
            [([7],), ([4, 6],), ([12, 18, 24],), ([17, 34, 51 * (v + 1)],),
             ([100, 75, 50],), ([9, 28],)])


@family
def caesar(v):
    k = (3, 13, 25)[v]
    return ("caesar_%d" % k, "(s: str) -> str",
            "Shift each ASCII letter of s by %d places, keeping case; other "
            "characters are unchanged." % k,
            "out = []\nfor c in s:\n    if 'a' <= c <= 'z':\n"
            "        out.append(chr((ord(c) - 97 + %d) %% 26 + 97))\n"
            "    elif 'A' <= c <= 'Z':\n"
            "        out.append(chr((ord(c) - 65 + %d) %% 26 + 65))\n"
            "    else:\n        out.append(c)\nreturn ''.join(out)" % (k, k),
            [("",), ("abc",), ("xyz",), ("Hello, World!",), ("Zebra 42",)])


@family
def flatten(v):
    return ("flatten_%d" % v, "(xs: list) -> list",
            "Flatten arbitrarily nested lists into one list, in order.",
            "out = []\nfor x in xs:\n    if isinstance(x, list):\n"
            "        out.extend(flatten_%d(x))\n    else:\n        out.append(x)\n"
            "return out" % v,
            [([],), ([1, 2],), ([1, [2, [3, [4]]]],), ([[], [[]], 5],),
             ([["a"], "b", [["c"]]],)])


@family
def word_freq(v):
    return ("top_word_%d" % v, "(text: str) -> str",
            "The most frequent lowercase word of text (words are runs of "
            "letters); ties go to the alphabetically first; '' if none.",
            "import re\nfrom collections import Counter\n"
            "c = Counter(re.findall('[a-z]+', text.lower()))\n"
            "if not c:\n    return ''\nbest = max(c.values())\n"
            "return min(w for w in c if c[w] == best)",
            [("",), ("a b a",), ("The cat and the hat.",), ("x y z",),
             ("Go, go, GO! stop",), ("123 !!",)])


@family
def matrix_t(v):
    return ("transpose_%d" % v, "(m: list[list[int]]) -> list[list[int]]",
            "The transpose of the rectangular matrix m.",
            "return [list(r) for r in zip(*m)]",
            [([],), ([[1]],), ([[1, 2, 3]],), ([[1, 2], [3, 4]],),
             ([[1, 2], [3, 4], [5, 6]],)])


@family
def binary_search(v):
    return ("find_index_%d" % v, "(xs: list[int], x: int) -> int",
            "The index of x in the sorted list xs, or -1.",
            "lo, hi = 0, len(xs) - 1\nwhile lo <= hi:\n    mid = (lo + hi) // 2\n"
            "    if xs[mid] == x:\n        return mid\n    if xs[mid] < x:\n"
            "        lo = mid + 1\n    else:\n        hi = mid - 1\nreturn -1",
            [([], 1), ([1], 1), ([1, 3, 5], 4), ([1, 3, 5, 7, 9], 9),
             (list(range(0, 100, 3)), 42), (list(range(0, 100, 3)), 43)])


@family
def brackets(v):
    pairs = ("()", "()[]", "()[]{}")[v]
    return ("balanced_%d" % v, "(s: str) -> bool",
            "Whether the brackets %s in s are balanced (other characters "
            "are ignored)." % pairs,
            "pairs = {%s}\nopen_ = set(pairs.values())\nstack = []\n"
            "for c in s:\n    if c in open_:\n        stack.append(c)\n"
            "    elif c in pairs:\n        if not stack or stack.pop() != pairs[c]:\n"
            "            return False\nreturn not stack" %
            ", ".join("%r: %r" % (pairs[i + 1], pairs[i])
                      for i in range(0, len(pairs), 2)),
            [("",), ("()",), ("(]",), ("([{}])",), ("((x)",), ("a(b)c[d]{e}",),
             ("}{",)])


@family
def roman(v):
    return ("to_roman_%d" % v, "(n: int) -> str",
            "n (1 to 3999) in Roman numerals%s." % ("", " (upper case)",
                                                     " (standard subtractive form)")[v],
            "vals = [(1000, 'M'), (900, 'CM'), (500, 'D'), (400, 'CD'), "
            "(100, 'C'), (90, 'XC'), (50, 'L'), (40, 'XL'), (10, 'X'), "
            "(9, 'IX'), (5, 'V'), (4, 'IV'), (1, 'I')]\nout = ''\n"
            "for val, sym in vals:\n    while n >= val:\n        out += sym\n"
            "        n -= val\nreturn out",
            [(1,), (4,), (9,), (14,), (40 + v,), (1994,), (3999,)])


@family
def chunks(v):
    return ("chunk_%d" % v, "(xs: list, size: int) -> list",
            "Split xs into consecutive lists of the given size (the last "
            "may be shorter).",
            "return [xs[i:i + size] for i in range(0, len(xs), size)]",
            [([], 2), ([1, 2, 3], 1), ([1, 2, 3, 4, 5], 2), ([1, 2], 5),
             (list(range(7 + v)), 3)])


@family
def dedupe(v):
    return ("dedupe_%d" % v, "(xs: list) -> list",
            "xs without repeated elements, keeping first occurrences in order.",
            "seen = set()\nout = []\nfor x in xs:\n    if x not in seen:\n"
            "        seen.add(x)\n        out.append(x)\nreturn out",
            [([],), ([1, 1, 1],), ([3, 1, 3, 2, 1],), (["a", "b", "a"],),
             ([0, v, 0, v + 1],)])


@family
def collatz(v):
    return ("collatz_steps_%d" % v, "(n: int) -> int",
            "Steps of the Collatz map (n/2 if even, 3n+1 if odd) from n to 1.",
            "steps = 0\nwhile n != 1:\n    n = n // 2 if n % 2 == 0 else 3 * n + 1\n"
            "    steps += 1\nreturn steps",
            [(1,), (2,), (3,), (6,), (27,), (97 + v,)])


@family
def camel(v):
    return ("snake_to_camel_%d" % v, "(s: str) -> str",
            "Convert snake_case to camelCase%s." %
            ("", " (empty parts are dropped)", " (leading underscores dropped)")[v],
            "parts = [p for p in s.split('_') if p]\nif not parts:\n    return ''\n"
            "return parts[0] + ''.join(p[:1].upper() + p[1:] for p in parts[1:])",
            [("",), ("a",), ("hello_world",), ("__x__y",), ("one_two_three",)])


@family
def intervals(v):
    return ("merge_intervals_%d" % v, "(xs: list[list[int]]) -> list[list[int]]",
            "Merge overlapping closed intervals; the result is sorted.",
            "out = []\nfor a, b in sorted(xs):\n    if out and a <= out[-1][1]:\n"
            "        out[-1][1] = max(out[-1][1], b)\n    else:\n"
            "        out.append([a, b])\nreturn out",
            [([],), ([[1, 2]],), ([[1, 3], [2, 6], [8, 10]],), ([[5, 6], [1, 5]],),
             ([[1, 10], [2, 3], [4, 5]],)])


@family
def mode_(v):
    return ("mode_%d" % v, "(xs: list[int]) -> int",
            "The most common value of the non-empty xs; ties go to the "
            "smallest.",
            "from collections import Counter\nc = Counter(xs)\nbest = max(c.values())\n"
            "return min(x for x in c if c[x] == best)",
            [([1],), ([1, 2, 2],), ([3, 3, 1, 1],), ([-1, -1, 5, 5, 5],),
             ([v] * 3 + [v + 1] * 3,)])


@family
def leap(v):
    return ("leap_years_%d" % v, "(a: int, b: int) -> int",
            "How many leap years there are from year a to year b inclusive "
            "(Gregorian rules).",
            "f = lambda y: y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)\n"
            "return sum(1 for y in range(a, b + 1) if f(y))",
            [(2000, 2000), (1900, 1900), (1996, 2004), (1, 400), (2021, 2023 + v)])


@family
def pascal(v):
    return ("pascal_row_%d" % v, "(n: int) -> list[int]",
            "Row n (from 0) of Pascal's triangle.",
            "row = [1]\nfor _ in range(n):\n"
            "    row = [a + b for a, b in zip([0] + row, row + [0])]\nreturn row",
            [(0,), (1,), (2,), (5,), (10 + v,)])


@family
def compress_ws(v):
    return ("squeeze_spaces_%d" % v, "(s: str) -> str",
            "s with runs of white space replaced by one space and no "
            "leading or trailing white space.",
            "return ' '.join(s.split())",
            [("",), ("   ",), (" a  b ",), ("x\t\ny",), ("one two",)])


@family
def running(v):
    return ("running_max_%d" % v if v else "running_sum", "(xs: list[int]) -> list[int]",
            "The running %s of xs." % ("sum" if v == 0 else "maximum"),
            ("out = []\nt = 0\nfor x in xs:\n    t += x\n    out.append(t)\nreturn out"
             if v == 0 else
             "out = []\nfor x in xs:\n    out.append(x if not out else max(out[-1], x))\n"
             "return out"),
            [([],), ([1],), ([1, 2, 3],), ([3, -1, 4, -1, 5],), ([-5, -2, -9],)])


@family
def pairs_sum(v):
    return ("count_pairs_%d" % v, "(xs: list[int], target: int) -> int",
            "How many index pairs i < j have xs[i] + xs[j] == target.",
            "n = 0\nfor i in range(len(xs)):\n    for j in range(i + 1, len(xs)):\n"
            "        if xs[i] + xs[j] == target:\n            n += 1\nreturn n",
            [([], 0), ([1, 1], 2), ([1, 2, 3, 4], 5), ([0, 0, 0], 0),
             ([2, 4, 6, 8], 10 + v)])


@family
def isbn(v):
    return ("valid_isbn10_%d" % v, "(s: str) -> bool",
            "Whether s is a valid ISBN-10 (hyphens ignored; X may be the "
            "last digit).",
            "s = s.replace('-', '')\nif len(s) != 10:\n    return False\n"
            "total = 0\nfor i, c in enumerate(s):\n    if c.isdigit():\n"
            "        d = int(c)\n    elif c == 'X' and i == 9:\n        d = 10\n"
            "    else:\n        return False\n    total += (10 - i) * d\n"
            "return total % 11 == 0",
            [("",), ("0-306-40615-2",), ("0306406153",), ("123456789X",),
             ("X123456789",), ("3-598-21508-8",)])


@family
def hamming(v):
    return ("hamming_%d" % v, "(a: int, b: int) -> int",
            "The number of bit positions where the non-negative a and b differ.",
            "return bin(a ^ b).count('1')",
            [(0, 0), (1, 0), (7, 8), (255, 0), (12345, 54321 + v)])


@family
def title(v):
    return ("title_case_%d" % v, "(s: str, minor: list[str]) -> str",
            "Capitalise each word of s except the words in minor (unless "
            "first); words are split on single spaces.",
            "words = s.split(' ')\nout = []\nfor i, w in enumerate(words):\n"
            "    lw = w.lower()\n    if i > 0 and lw in minor:\n        out.append(lw)\n"
            "    else:\n        out.append(lw[:1].upper() + lw[1:])\nreturn ' '.join(out)",
            [("", []), ("the old man", ["the"]), ("a tale of two cities", ["a", "of"]),
             ("HELLO", []), ("of mice and men", ["of", "and"])])


@family
def spiral(v):
    return ("spiral_%d" % v, "(m: list[list[int]]) -> list[int]",
            "The elements of the rectangular matrix m in clockwise spiral "
            "order from the top left.",
            "out = []\nm = [row[:] for row in m]\nwhile m:\n    out += m.pop(0)\n"
            "    m = [list(r) for r in zip(*m)][::-1]\nreturn out",
            [([],), ([[1]],), ([[1, 2], [3, 4]],), ([[1, 2, 3], [4, 5, 6], [7, 8, 9]],),
             ([[1, 2, 3, 4]],)])


@family
def kth_digit(v):
    return ("nth_fib_%d" % v, "(n: int) -> int",
            "The n-th Fibonacci number, with F(0) = 0 and F(1) = 1.",
            "a, b = 0, 1\nfor _ in range(n):\n    a, b = b, a + b\nreturn a",
            [(0,), (1,), (2,), (10,), (50,), (90 + v,)])


@family
def vowel_rev(v):
    return ("reverse_vowels_%d" % v, "(s: str) -> str",
            "s with its vowels (aeiou, either case) in reverse order.",
            "vs = [c for c in s if c in 'aeiouAEIOU']\nout = []\nfor c in s:\n"
            "    out.append(vs.pop() if c in 'aeiouAEIOU' else c)\nreturn ''.join(out)",
            [("",), ("hello",), ("leetcode",), ("AbEcId",), ("xyz",)])


@family
def triangle(v):
    return ("triangle_kind_%d" % v, "(a: int, b: int, c: int) -> str",
            "'equilateral', 'isosceles', 'scalene', or 'invalid' for side "
            "lengths that make no triangle.",
            "x, y, z = sorted((a, b, c))\nif x <= 0 or x + y <= z:\n    return 'invalid'\n"
            "if x == z:\n    return 'equilateral'\nif x == y or y == z:\n"
            "    return 'isosceles'\nreturn 'scalene'",
            [(1, 1, 1), (2, 2, 3), (3, 4, 5), (1, 2, 3), (0, 1, 1), (5, 5, 9 + v)])


@family
def stock(v):
    return ("best_profit_%d" % v, "(prices: list[int]) -> int",
            "The best profit of one buy followed by one later sell (0 if none).",
            "best, low = 0, None\nfor p in prices:\n    if low is None or p < low:\n"
            "        low = p\n    best = max(best, p - low)\nreturn best",
            [([],), ([5],), ([7, 1, 5, 3, 6, 4],), ([7, 6, 4, 3, 1],),
             ([2, 4, 1, 9 + v],)])


@family
def words_len(v):
    return ("longest_word_%d" % v, "(s: str) -> str",
            "The longest space-separated word of s (the first if tied), '' if "
            "none.",
            "best = ''\nfor w in s.split():\n    if len(w) > len(best):\n"
            "        best = w\nreturn best",
            [("",), ("a bb ccc",), ("tie tie",), ("  spaced   out  ",),
             ("supercalifragilistic is long",)])


@family
def bits(v):
    return ("count_set_bits_upto_%d" % v, "(n: int) -> int",
            "The total number of 1 bits in the binary forms of 0..n.",
            "return sum(bin(i).count('1') for i in range(n + 1))",
            [(0,), (1,), (2,), (7,), (100 + v,)])


@family
def perfect(v):
    return ("is_perfect_%d" % v, "(n: int) -> bool",
            "Whether n is a perfect number (the sum of its proper divisors).",
            "return n > 1 and sum(d for d in range(1, n) if n % d == 0) == n",
            [(1,), (6,), (12,), (28,), (496,), (500 + v,)])


@family
def armstrong(v):
    return ("is_armstrong_%d" % v, "(n: int) -> bool",
            "Whether the non-negative n equals the sum of its digits each "
            "raised to the number of digits.",
            "s = str(n)\nreturn n == sum(int(c) ** len(s) for c in s)",
            [(0,), (9,), (10,), (153,), (370,), (9474,), (9475,)])


@family
def zip_dict(v):
    return ("invert_%d" % v, "(d: dict) -> dict",
            "Invert d, mapping each value to the sorted list of keys that "
            "had it.",
            "out = {}\nfor k, val in d.items():\n    out.setdefault(val, []).append(k)\n"
            "return {k: sorted(ks) for k, ks in out.items()}",
            [({},), ({"a": 1},), ({"a": 1, "b": 1, "c": 2},), ({"x": "y", "z": "y"},)])


@family
def digits_rev(v):
    return ("reverse_int_%d" % v, "(n: int) -> int",
            "n with its decimal digits reversed, keeping the sign.",
            "s = int(str(abs(n))[::-1])\nreturn -s if n < 0 else s",
            [(0,), (123,), (-456,), (1200,), (7 + v,)])


@family
def staircase(v):
    return ("climb_ways_%d" % v, "(n: int) -> int",
            "The number of ways to climb n stairs taking 1 or 2 steps at a time.",
            "a, b = 1, 1\nfor _ in range(n):\n    a, b = b, a + b\nreturn a",
            [(0,), (1,), (2,), (5,), (30 + v,)])


@family
def luhn(v):
    return ("luhn_valid_%d" % v, "(s: str) -> bool",
            "Whether the digit string s (spaces ignored, at least two "
            "digits) passes the Luhn check.",
            "s = s.replace(' ', '')\nif len(s) < 2 or not s.isdigit():\n"
            "    return False\ntotal = 0\nfor i, c in enumerate(reversed(s)):\n"
            "    d = int(c)\n    if i % 2 == 1:\n        d *= 2\n        if d > 9:\n"
            "            d -= 9\n    total += d\nreturn total % 10 == 0",
            [("",), ("0",), ("059",), ("4539 3195 0343 6467",), ("8273 1232 7352 0569",),
             ("79927398713",)])


@family
def wordwrap(v):
    width = (10, 15, 20)[v]
    return ("wrap_%d" % width, "(text: str) -> list[str]",
            "Greedily wrap the words of text into lines of at most %d "
            "characters (a longer word gets a line of its own)." % width,
            "lines = []\ncur = ''\nfor w in text.split():\n    if not cur:\n        cur = w\n"
            "    elif len(cur) + 1 + len(w) <= %d:\n        cur += ' ' + w\n"
            "    else:\n        lines.append(cur)\n        cur = w\nif cur:\n"
            "    lines.append(cur)\nreturn lines" % width,
            [("",), ("short",), ("the quick brown fox jumps over the lazy dog",),
             ("an extraordinarily longwordthatdoesnotfit here",)])


@family
def nested_depth(v):
    return ("max_depth_%d" % v, "(s: str) -> int",
            "The deepest nesting of parentheses in s (assumed balanced).",
            "d = best = 0\nfor c in s:\n    if c == '(':\n        d += 1\n"
            "        best = max(best, d)\n    elif c == ')':\n        d -= 1\nreturn best",
            [("",), ("()",), ("(()())",), ("((()))()",), ("a(b(c)d)e",)])


@family
def evens(v):
    return ("sort_by_parity_%d" % v, "(xs: list[int]) -> list[int]",
            "The even numbers of xs in increasing order, then the odd ones in "
            "decreasing order.",
            "return sorted(x for x in xs if x % 2 == 0) + "
            "sorted((x for x in xs if x % 2), reverse=True)",
            [([],), ([1, 2, 3, 4],), ([5, 3, 1],), ([-2, -1, 0, 7, 8],)])


@family
def acronym(v):
    return ("acronym_%d" % v, "(s: str) -> str",
            "The upper-case first letters of the words of s (words are "
            "separated by spaces or hyphens).",
            "import re\nreturn ''.join(w[0].upper() for w in re.split('[ -]+', s) if w)",
            [("",), ("portable network graphics",), ("Complementary metal-oxide semiconductor",),
             ("  lots   of  space ",)])


@family
def median(v):
    return ("median_%d" % v, "(xs: list[int]) -> float",
            "The median of the non-empty xs, as a float.",
            "s = sorted(xs)\nn = len(s)\nmid = n // 2\n"
            "return float(s[mid]) if n % 2 else (s[mid - 1] + s[mid]) / 2",
            [([1],), ([1, 2],), ([3, 1, 2],), ([4, 1, 3, 2],), ([-5, 10, 0 + v],)])


@family
def capitals(v):
    return ("count_upper_%d" % v, "(s: str) -> int",
            "The number of upper-case ASCII letters in s.",
            "return sum(1 for c in s if 'A' <= c <= 'Z')",
            [("",), ("abc",), ("ABC",), ("Hello World",), ("ÄBC",)])


@family
def merge_sorted(v):
    return ("merge_sorted_%d" % v, "(a: list[int], b: list[int]) -> list[int]",
            "Merge two sorted lists into one sorted list.",
            "out = []\ni = j = 0\nwhile i < len(a) and j < len(b):\n"
            "    if a[i] <= b[j]:\n        out.append(a[i])\n        i += 1\n"
            "    else:\n        out.append(b[j])\n        j += 1\n"
            "return out + a[i:] + b[j:]",
            [([], []), ([1], []), ([1, 3], [2, 4]), ([1, 1], [1]), ([0, 5, 9], [1, 2, 10 + v])])


@family
def base_conv(v):
    base = (2, 8, 3)[v]
    return ("to_base_%d" % base, "(n: int) -> str",
            "The non-negative n written in base %d." % base,
            "if n == 0:\n    return '0'\nout = ''\nwhile n:\n"
            "    out = str(n %% %d) + out\n    n //= %d\nreturn out" % (base, base),
            [(0,), (1,), (8,), (255,), (1000,)])


@family
def window(v):
    k = (2, 3, 4)[v]
    return ("max_window_sum_%d" % k, "(xs: list[int]) -> int | None",
            "The largest sum of %d consecutive elements of xs, or None if "
            "xs is shorter." % k,
            "if len(xs) < %d:\n    return None\n"
            "return max(sum(xs[i:i + %d]) for i in range(len(xs) - %d + 1))" % (k, k, k),
            [([],), ([1, 2, 3, 4, 5],), ([-1, -2, -3, -4],), ([5, -10, 6, 7, -1, 3],)])


@family
def is_sorted(v):
    return ("is_sorted_%d" % v, "(xs: list[int]) -> bool",
            "Whether xs is in %s order." %
            ("non-decreasing", "strictly increasing", "non-increasing")[v],
            ("return all(a <= b for a, b in zip(xs, xs[1:]))",
             "return all(a < b for a, b in zip(xs, xs[1:]))",
             "return all(a >= b for a, b in zip(xs, xs[1:]))")[v],
            [([],), ([1],), ([1, 1, 2],), ([3, 2, 1],), ([1, 3, 2],), ([2, 2, 2],)])


def variants():
    """164 (family, variant) pairs: every family's variant 0, then 1, 2."""
    out = []
    for v in range(3):
        for f in FAMILIES:
            out.append((f, v))
    return out


def make(idx, f, v):
    name, sig, doc, body, cases = f(v)
    src = "def %s%s:\n    %s\n" % (name, sig, '"""%s"""' % doc)
    src += textwrap.indent(body, "    ") + "\n"
    ns = {}
    exec(src, ns)
    fn = ns[name]
    lines = ["def check(candidate):"]
    for args in cases:
        want = fn(*[json.loads(json.dumps(a)) for a in args])
        lines.append("    assert candidate(%s) == %r" %
                     (", ".join(repr(a) for a in args), want))
    prompt = "def %s%s:\n    %s\n" % (name, sig, '"""%s"""' % doc)
    return {
        "id": "bench-py-%03d" % idx,
        "suite": "bench",
        "language": "python",
        "prompt": prompt,
        "entry_point": name,
        "difficulty": "easy",
        "category": "algorithms",
        "tests": [{"style": "assert", "code": "\n".join(lines) + "\n"}],
        "reference": src,
    }


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 164
    pairs = variants()[:n]
    if len(pairs) < n:
        sys.exit("gen-tasks.py: only %d tasks" % len(pairs))
    for i, (f, v) in enumerate(pairs):
        sys.stdout.write(json.dumps(make(i, f, v), sort_keys=True) + "\n")


main()
