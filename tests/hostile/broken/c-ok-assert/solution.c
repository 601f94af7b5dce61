/* A correct solution, for contrast: it must pass. */
int
add(int a, int b)
{
	return a + b;
}
