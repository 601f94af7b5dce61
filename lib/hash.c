/*
 * hash.c - SHA-256 (OpenSSL's libcrypto) and the hash of a configuration.
 * A file of its own so that a program that hashes nothing (ab-extract,
 * ab-rank) does not link libcrypto, whose loading would cost each of its
 * starts some 3 ms.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ab.h"

void
ab_sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1)
		abort();
	for (i = 0; i < mdlen && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

void
ab_config_hash(const json_t *config, char out[65])
{
	json_t *c = ab_config_identity(config);
	char *s;

	s = ab_canonical(c);
	ab_sha256_hex(s, strlen(s), out);
	free(s);
	json_decref(c);
}
