/* ab-exec: a main that does nothing, to tell whether a C solution that
 * does not build with the server stub builds alone. */
int main(void);

int
main(void)
{
	return 0;
}
