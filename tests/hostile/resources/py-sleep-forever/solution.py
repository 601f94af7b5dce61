# Sleeps forever, using no CPU: only the wall-clock limit ends it.
import time
time.sleep(10 ** 6)
print(42)
