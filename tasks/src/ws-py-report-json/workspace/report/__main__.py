import sys

from .load import load
from .render import to_text
from .summary import Summary


def main(argv):
    if len(argv) != 1:
        print("usage: python3 -m report FILE.csv", file=sys.stderr)
        return 2
    sys.stdout.write(to_text(Summary(load(argv[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
