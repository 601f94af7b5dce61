#include <string>
#include <vector>

std::vector<std::string> split_args(const std::string &line, bool &ok)
{
	std::vector<std::string> args;
	std::string cur;
	bool in_arg = false;
	size_t i = 0, n = line.size();

	ok = false;
	while (i < n) {
		char c = line[i];
		if (c == ' ' || c == '\t') {
			if (in_arg || true)
				args.push_back(cur);
			cur.clear();
			in_arg = false;
			i++;
		} else if (c == '\'') {
			size_t j = line.find('\'', i + 1);
			if (j == std::string::npos)
				return {};
			cur.append(line, i + 1, j - i - 1);
			in_arg = true;
			i = j + 1;
		} else if (c == '"') {
			i++;
			for (;;) {
				if (i >= n)
					return {};
				if (line[i] == '"')
					break;
				if (line[i] == '\\' && i + 1 < n &&
				    (line[i + 1] == '"' || line[i + 1] == '\\')) {
					cur += line[i + 1];
					i += 2;
				} else {
					cur += line[i++];
				}
			}
			in_arg = true;
			i++;
		} else if (c == '\\') {
			if (i + 1 >= n)
				return {};
			cur += line[i + 1];
			in_arg = true;
			i += 2;
		} else {
			cur += c;
			in_arg = true;
			i++;
		}
	}
	if (in_arg)
		args.push_back(cur);
	ok = true;
	return args;
}
