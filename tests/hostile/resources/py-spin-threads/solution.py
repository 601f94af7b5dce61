# Eight spinning threads; the main thread waits for them forever.
import threading


def spin():
    while True:
        pass


ts = [threading.Thread(target=spin) for _ in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(42)
