# A busy loop inside the function under test (the commonest hang of a
# HumanEval-style sample): a time limit, on the warm and the cold path.
def add(a, b):
    while True:
        pass
