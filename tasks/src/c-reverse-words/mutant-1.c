#include <stdio.h>
#include <string.h>

int main(void)
{
	char line[1024];

	while (fgets(line, sizeof line, stdin) != NULL) {
		char *words[512];
		int n = 0;
		char *w = strtok(line, " \t\n");

		while (w != NULL && n < 512) {
			words[n++] = w;
			w = strtok(NULL, " \t\n");
		}
		for (int i = n - 1; i >= 0; i--)
			printf("%s%s", words[i], i > 0 ? " " : "");
		printf("\n");
	}
	return 0;
}
