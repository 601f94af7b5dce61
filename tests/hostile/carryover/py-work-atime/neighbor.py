# A correct sample that marks the slot: the work directory's access time
# set far in the future (the owner may; a later reading of the directory
# leaves an access time newer than its change time alone).
import os
os.utime("/work", (3000000000, os.stat("/work").st_mtime))
print(42)
