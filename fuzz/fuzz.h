/*
 * fuzz: what every fuzz target of showcase shares.
 *
 * Each fuzz/fuzz_*.c defines LLVMFuzzerTestOneInput() for one parser; it
 * is linked either with libFuzzer (`make fuzz`, clang) or with driver.c,
 * which replays the committed corpus in plain CI (`make fuzz-replay`).
 * A target must not leak, must not keep state between inputs except
 * read-only fixtures built at its first call, and calls abort() when the
 * code under test breaks a documented contract, so that both the fuzzer
 * and the replay see it as a crash.
 */
#ifndef SHOWCASE_FUZZ_H
#define SHOWCASE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where diagnostics are flushed: formatting them is code under test too,
 * but nobody needs to read them. */
static inline FILE *fuzz_devnull(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

#endif
