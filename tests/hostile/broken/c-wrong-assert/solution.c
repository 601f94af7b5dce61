/* Wrong: a failing assert in the test main (SIGABRT there) is a wrong
 * answer, not a crash of the submission. */
int
add(int a, int b)
{
	return a * b;
}
