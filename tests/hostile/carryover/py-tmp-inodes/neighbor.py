# A correct sample that marks the slot: 40 files made and removed in
# /tmp move a reused tmpfs's inode counter on by 40.
import os
for i in range(40):
    open("/tmp/f%d" % i, "w").close()
    os.unlink("/tmp/f%d" % i)
print(42)
