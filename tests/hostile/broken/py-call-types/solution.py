# Returns ints: 5 passes against an expected 5 or 5.0 (numbers compare by
# value), but never against true (booleans are not numbers), so one test
# of three fails.
def add(a, b):
    return a + b
