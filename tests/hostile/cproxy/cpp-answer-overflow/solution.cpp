// Answers the checker itself, on the socket the stub uses (fd 3), with a
// frame that holds the right answer followed by 4 KiB more (for "abc"),
// or claims a string of 4 GiB (otherwise), then exits.  Only a checker that believes what it is sent
// would pass (and allocate or copy without bounds).
#include <cstdint>
#include <cstring>
#include <string>
#include <unistd.h>

std::string
shout(const std::string &s)
{
	unsigned char f[8192];
	std::uint32_t len;
	std::uint64_t n;
	size_t k;

	if (s == "abc") {
		n = s.size();
		len = (std::uint32_t)(1 + 8 + n + 4096);
		std::memcpy(f, &len, 4);
		f[4] = 0;
		std::memcpy(f + 5, &n, 8);
		for (size_t i = 0; i < n; i++)
			f[13 + i] = (unsigned char)(s[i] & ~0x20);
		std::memset(f + 13 + n, 'X', 4096);
		k = 4 + len;
	} else {
		n = (std::uint64_t)1 << 32;
		len = 1 + 8 + 64;
		std::memcpy(f, &len, 4);
		f[4] = 0;
		std::memcpy(f + 5, &n, 8);
		std::memset(f + 13, 'X', 64);
		k = 4 + len;
	}
	(void)!write(3, f, k);
	_exit(0);
}
