# Ignores every signal it can (SIGTERM, SIGXCPU, SIGINT, ...) and spins:
# a supervisor that asks politely waits forever.
import signal
for s in signal.Signals:
    if s not in (signal.SIGKILL, signal.SIGSTOP):
        try:
            signal.signal(s, signal.SIG_IGN)
        except (OSError, ValueError):
            pass
while True:
    pass
