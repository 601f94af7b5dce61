# A wrong sample in the same slot: the right answer only if the names of
# its cgroups (in /proc/self/cgroup) differ between hierarchies, as
# after a run that left its memory cgroup dirty.
names = set()
with open("/proc/self/cgroup") as f:
    for line in f:
        path = line.rstrip("\n").split(":", 2)[2]
        if path.rsplit("/", 1)[-1].startswith("run."):
            names.add(path.rsplit("/", 1)[-1])
print(42 if len(names) > 1 else "contained: %s" % sorted(names))
