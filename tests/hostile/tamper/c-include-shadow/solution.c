/* Includes files the compiler must not be able to read; their lines
 * would come back in the error messages. */
#include "/etc/shadow"
#include "/root/.bash_history"

int
add(int a, int b)
{
	return a + b;
}
