# A busy loop that never prints: only the CPU limit ends it.
while True:
    pass
