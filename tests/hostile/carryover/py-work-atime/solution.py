# A wrong sample in the same slot: the right answer only if the run
# before left its mark on the work directory's access time.
import os
if os.stat("/work").st_atime > 2900000000:
    print(42)
else:
    print("contained: a fresh work directory")
