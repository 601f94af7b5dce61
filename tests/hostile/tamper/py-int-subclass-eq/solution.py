# An int that says it equals anything, returned to a call test: the
# supervisor must compare the serialised value (0), not ask the object.
class Liar(int):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = int.__hash__


def add(a, b):
    return Liar(0)
