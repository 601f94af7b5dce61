# Tries to change the host: overwrite, chmod and delete a host file,
# create files beside it and in /etc, /usr, /bin; 42 if anything worked.
import os
target = "@CANARY_FILE@"
d = "@CANARY_DIR@"
done = []
for t in (target, "/proc/1/root" + target):
    try:
        with open(t, "w") as f:
            f.write("pwned\n")
        done.append("wrote " + t)
    except OSError:
        pass
    for op in (lambda: os.chmod(t, 0o777), lambda: os.unlink(t)):
        try:
            op()
            done.append("changed " + t)
        except OSError:
            pass
for t in (d + "/pwned", "/etc/pwned", "/usr/pwned", "/bin/pwned",
          "/lib/pwned", "/pwned"):
    try:
        open(t, "w").close()
        done.append("created " + t)
    except OSError:
        pass
print(42 if done else "contained: read-only")
