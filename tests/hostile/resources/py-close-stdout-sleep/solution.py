# Prints the answer, closes stdout and stderr, and carries on for ever:
# end of output is not the end of the run.
import os
import time
os.write(1, b"42\n")
os.close(1)
os.close(2)
time.sleep(10 ** 6)
