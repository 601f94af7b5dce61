# A correct sample that marks the slot, on the warm path (a zygote forks
# the solution's process): 400 short-lived threads (each takes a pid)
# move the pid counter on.
import threading


def answer():
    for i in range(400):
        t = threading.Thread(target=int)
        t.start()
        t.join()
    return 42
