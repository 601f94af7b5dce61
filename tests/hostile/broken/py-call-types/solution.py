# Returns ints: 5 passes, 5.0 and true do not (type-strict comparison),
# so one test of three passes.
def add(a, b):
    return a + b
