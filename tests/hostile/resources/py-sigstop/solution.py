# Stops itself: no CPU is used, so only the wall clock can end it, and
# the supervisor must be able to kill a stopped process.
import os
import signal
os.kill(os.getpid(), signal.SIGSTOP)
print(42)
