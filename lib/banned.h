/*
 * banned.h - libc calls that are too easy to misuse.  Using one of these
 * after including ab.h is a compile error naming the safer alternative.
 */
#ifndef AB_BANNED_H
#define AB_BANNED_H

#define AB_BANNED(func) sorry_##func##_is_banned_in_ab

#undef strcpy
#define strcpy(x, y) AB_BANNED(strcpy)	/* use snprintf or ab_buf */
#undef strcat
#define strcat(x, y) AB_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) AB_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) AB_BANNED(strncat)
#undef sprintf
#define sprintf(...) AB_BANNED(sprintf)	/* use snprintf or ab_xasprintf */
#undef vsprintf
#define vsprintf(...) AB_BANNED(vsprintf)
#undef gets
#define gets(x) AB_BANNED(gets)
#undef atoi
#define atoi(x) AB_BANNED(atoi)		/* use ab_parse_long */
#undef atol
#define atol(x) AB_BANNED(atol)
#undef atof
#define atof(x) AB_BANNED(atof)		/* use ab_parse_double */

#endif
