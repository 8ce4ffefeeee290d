/*
 * driver: replay fuzz inputs without libFuzzer, as libgit2's standalone
 * fuzzer driver does, so the committed corpora run in plain CI with any
 * compiler (and under AddressSanitizer with SANITIZE=1).
 *
 *     fuzz_x_replay DIR_OR_FILE...
 *
 * Every regular file named (directly, or inside a named folder, not
 * recursively; hidden files skipped) goes through LLVMFuzzerTestOneInput()
 * once, in sorted order so runs are reproducible. When an input crashes
 * (a signal, or a sanitizer report) the driver names the file on stderr
 * and dies as the crash would have; otherwise it prints how many inputs
 * ran and exits 0. FUZZ_REPLAY_VERBOSE=1 names every file as it runs, with
 * the time it took (to find slow inputs). Exit 2 when an argument
 * cannot be read, or when no input was found at all (an empty corpus is a
 * broken checkout, not a pass).
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* libFuzzer calls this once if the target defines it; so do we. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* Present when linked with a sanitizer runtime: called before it exits
 * after a report. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* The input being run, for the crash message. */
static const char *current;
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
static struct sigaction old_actions[sizeof(crash_signals) / sizeof(int)];

static void say_current(void)
{
	static const char pre[] = "fuzz-replay: crash on input ";
	if (!current)
		return;
	/* write(2) only: this runs in a signal handler. */
	if (write(2, pre, sizeof(pre) - 1) < 0 ||
	    write(2, current, strlen(current)) < 0 || write(2, "\n", 1) < 0)
		return;
}

/* Name the input, then let the crash proceed as it would have: the
 * previous handler (a sanitizer's, or the default) takes over when the
 * faulting instruction runs again, or when abort() raises once more. */
static void on_crash(int sig)
{
	say_current();
	current = NULL;
	for (size_t i = 0; i < sizeof(crash_signals) / sizeof(int); i++)
		if (crash_signals[i] == sig)
			sigaction(sig, &old_actions[i], NULL);
}

static void install_crash_handlers(void)
{
	/* A stack overflow leaves no stack for the handler: give it its own. */
	static char alt[1 << 16];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	struct sigaction sa;
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(crash_signals) / sizeof(int); i++)
		sigaction(crash_signals[i], &sa, &old_actions[i]);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(say_current);
}

static int run_file(const char *path, int verbose)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "fuzz-replay: cannot open '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			data = realloc(data, cap);
			if (!data)
				abort();
		}
		n = fread(data + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	if (ferror(f)) {
		fprintf(stderr, "fuzz-replay: cannot read '%s'\n", path);
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	if (verbose)
		fprintf(stderr, "fuzz-replay: %s", path);
	/* An exact-size copy, so ASan catches reads past the end as
	 * libFuzzer would. */
	unsigned char *exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	memcpy(exact, data, len);
	free(data);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	current = path;
	LLVMFuzzerTestOneInput(exact, len);
	current = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (verbose)
		fprintf(stderr, " %.1f ms\n",
			(double)(t1.tv_sec - t0.tv_sec) * 1e3 +
				(double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	free(exact);
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every file of `dir`; returns the count, or -1. */
static long run_dir(const char *dir, int verbose)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	long count = 0;

	if (!dh) {
		fprintf(stderr, "fuzz-replay: cannot open '%s': %s\n", dir,
			strerror(errno));
		return -1;
	}
	while ((e = readdir(dh))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n])
			abort();
		snprintf(names[n], len, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(dh);
	qsort(names, n, sizeof(*names), compare_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (count >= 0 && !stat(names[i], &st) && S_ISREG(st.st_mode)) {
			if (run_file(names[i], verbose) < 0)
				count = -1;
			else
				count++;
		}
		free(names[i]);
	}
	free(names);
	return count;
}

int main(int argc, char **argv)
{
	int verbose = getenv("FUZZ_REPLAY_VERBOSE") != NULL;
	long total = 0;
	struct timespec t0, t1;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	install_crash_handlers();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		long n;
		if (stat(argv[i], &st)) {
			fprintf(stderr, "fuzz-replay: cannot open '%s': %s\n",
				argv[i], strerror(errno));
			return 2;
		}
		n = S_ISDIR(st.st_mode) ? run_dir(argv[i], verbose)
					: run_file(argv[i], verbose) ? -1 : 1;
		if (n < 0)
			return 2;
		total += n;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!total) {
		fprintf(stderr, "fuzz-replay: no inputs found\n");
		return 2;
	}
	printf("%s: %ld inputs replayed in %.2f s\n", argv[0], total,
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
