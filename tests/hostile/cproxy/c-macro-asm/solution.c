/* Type macros that would bring an attribute and an asm label into the
 * checker: "word" would make a constructor of what it declares, "label"
 * would give the proxy of add the symbol of the C library's abs.  The
 * view does not expand them (their bodies are not types), so what uses
 * them is left out; add itself multiplies: only the macros could pass
 * the test. */
#define word int __attribute__((constructor))
#define label __asm__("abs")
typedef struct { word a; } pair_t;
typedef word other_t;
int add(int a, int b) label;
int
add(int a, int b)
{
	return a * b;
}
