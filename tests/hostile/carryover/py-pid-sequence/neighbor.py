# A correct sample that marks the slot: 400 short-lived threads (each
# takes a pid) move the pid counter of a namespace that lives on by 400.
import threading
for i in range(400):
    t = threading.Thread(target=int)
    t.start()
    t.join()
print(42)
