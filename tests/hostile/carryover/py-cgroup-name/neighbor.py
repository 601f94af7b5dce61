# A correct sample that marks the slot: 60000 failed lookups leave as
# many negative dentries charged to the run's memory cgroup after it
# ends, so that the next run gets a new memory cgroup (with a new name)
# while its other cgroups are reused.
import os
for i in range(60000):
    try:
        os.stat("/usr/ab-no-such-file-%d" % i)
    except OSError:
        pass
print(42)
