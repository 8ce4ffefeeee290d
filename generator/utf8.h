/*
 * utf8: decoding and checking UTF-8, for what showcase prints and names.
 *
 * Everything the user sees (file names in diagnostics, slugs in URLs)
 * must be valid UTF-8: git stores file names as raw bytes, so a name
 * committed from a system with another encoding reaches us unchanged.
 * Pure functions; no allocation.
 */
#ifndef SHOWCASE_UTF8_H
#define SHOWCASE_UTF8_H

#include <stddef.h>

/*
 * Decode the UTF-8 sequence at the start of s[0..len) (len > 0) into *cp.
 * Returns its length in bytes (1 to 4), or 0 when the bytes are not a
 * well-formed sequence: a stray continuation byte, a truncated sequence,
 * an overlong form, a surrogate or a code point above U+10FFFF.
 */
size_t utf8_decode(const char *s, size_t len, unsigned *cp);

/* 1 if all `len` bytes of `s` are well-formed UTF-8, else 0. */
int utf8_valid(const char *s, size_t len);

#endif
