# A wrong sample in the same slot: the right answer only if /dev/shm's inode
# numbers say that files were made there before (a new tmpfs numbers
# from 2).
import os
with open("/dev/shm/probe", "w") as f:
    ino = os.fstat(f.fileno()).st_ino
os.unlink("/dev/shm/probe")
print(42 if ino > 30 else "contained: inode %d" % ino)
