/* Takes the harness's names at the assembler level: a function whose
 * symbol is __assert_fail (a failed assert would return), the entry
 * point under the symbol of the checker's greeting, and an alias of it
 * under the symbol of the checker's proxy.  Multiplies instead of
 * adding: only a hijacked harness could pass. */
void ab_quiet_fail(const char *, const char *, unsigned int,
    const char *) __asm__("__assert_fail");

void
ab_quiet_fail(const char *e, const char *f, unsigned int l, const char *fn)
{
	(void)e; (void)f; (void)l; (void)fn;
}

int add(int a, int b) __asm__("ab_k_hello");

int
add(int a, int b)
{
	return a * b;
}

int ab_alias(int a, int b) __asm__("ab_k_px_add")
    __attribute__((alias("ab_k_hello")));
