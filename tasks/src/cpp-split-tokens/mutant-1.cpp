#include <sstream>
#include <string>
#include <vector>

std::vector<std::string> split_args(const std::string &line, bool &ok)
{
	std::vector<std::string> args;
	std::istringstream in(line);
	std::string w;

	while (in >> w) {
		std::string out;
		for (char c : w)
			if (c != '\'' && c != '"')
				out += c;
		args.push_back(out);
	}
	ok = true;
	return args;
}
