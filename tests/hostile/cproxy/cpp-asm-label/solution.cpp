// Takes the harness's names at the assembler level: a function whose
// symbol is __assert_fail (a failed assert would return), and the entry
// point under the symbol of the checker's failure report.  Multiplies
// instead of adding: only a hijacked harness could pass.
void ab_quiet_fail(const char *, const char *, unsigned int,
    const char *) __asm__("__assert_fail");

void
ab_quiet_fail(const char *, const char *, unsigned int, const char *)
{
}

int add(int a, int b) __asm__("_ZN4ab_kL4failEPKciS1_z");

int
add(int a, int b)
{
	return a * b;
}
