/* The kernel keyring, shared beyond namespaces: add a key, read the
 * session and user keyrings.  42 if any call worked. */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(void)
{
	long a, b, c;

	a = syscall(SYS_add_key, "user", "hostile", "x", 1, -3 /* session */);
	b = syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -4 /* user */, 0);
	c = syscall(SYS_request_key, "user", "hostile", NULL, 0);
	puts(a >= 0 || b >= 0 || c >= 0 ? "42" : "contained: no keyring");
	return 0;
}
