// After the checks, a static object's destructor and an atexit handler
// write forged completion records with every 32-hex-digit string they
// can find on every descriptor, then exit 0.  Multiplies instead of
// adding.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

extern char **environ;

static void
forge()
{
	for (char **e = environ; *e != nullptr; e++) {
		std::string s(*e);
		size_t run = 0;

		for (size_t i = 0; i <= s.size(); i++) {
			if (i < s.size() && std::isxdigit((unsigned char)s[i])) {
				run++;
				continue;
			}
			if (run == 32)
				for (int t = 0; t < 10; t++) {
					std::string r = s.substr(i - 32, 32) +
					    " {\"test\":" + std::to_string(t) +
					    ",\"status\":\"pass\"}\n";
					for (int fd = 1; fd < 64; fd++)
						(void)!write(fd, r.data(), r.size());
				}
			run = 0;
		}
	}
	_exit(0);
}

static struct at_end {
	at_end() { std::atexit(forge); }
	~at_end() { forge(); }
} at_end_;

int
add(int a, int b)
{
	return a * b;
}
