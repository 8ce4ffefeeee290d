/*
 * history_bench: how long the history pass takes (repo_history_load: the
 * published and updated dates and the contributors of every record) on a
 * corpus of 10,000 records with a few hundred commits.
 *
 *   build/bench/history_bench [REPO] [REPEAT]
 *
 * Without REPO it runs bench/history_bench.sh, which makes the corpus
 * (bench/gen_corpus.py 10000, then bench/gen_history.py 200) and calls this
 * program back on it. Each run takes a new snapshot, so that no libgit2
 * cache is warm from the run before (the files are, from the first run).
 * Prints the time of taking the snapshot, for scale, and of the history
 * pass (best of REPEAT runs, default 5), the commits walked and the files
 * dated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "repo.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct repo_snapshot *s = NULL;
	struct repo_history *h = NULL;
	const struct repo_file *first;
	struct diag d;
	double t, snap_ms = -1, best = -1;
	int repeat = argc > 2 ? atoi(argv[2]) : 5, code = 1;
	size_t n, dated = 0, authors = 0;

	if (argc < 2) {
		/* The script makes the corpus, then runs this binary on it. */
		setenv("HISTORY_BENCH", argv[0], 1);
		return system("sh '" SHOWCASE_SRCDIR "/bench/history_bench.sh'") ? 1 : 0;
	}
	diag_init(&d);
	for (int i = 0; i < (repeat > 0 ? repeat : 1); i++) {
		repo_history_free(h);
		repo_snapshot_free(s);
		h = NULL;
		t = now_ms();
		if (repo_snapshot_open(&s, argv[1], NULL, 0, NULL, &d) < 0)
			goto cleanup;
		t = now_ms() - t;
		if (snap_ms < 0 || t < snap_ms)
			snap_ms = t;
		t = now_ms();
		if (repo_history_load(&h, s, "content/", &d) < 0)
			goto cleanup;
		t = now_ms() - t;
		if (best < 0 || t < best)
			best = t;
	}
	n = repo_snapshot_prefix(s, "content/", &first);
	for (size_t i = 0; i < n; i++) {
		const struct repo_file_history *f = repo_history_find(h, first[i].path);
		if (f) {
			dated++;
			authors += f->nauthors;
		}
	}
	printf("history: %zu files under content/, %zu dated (%.2f authors each), "
	       "%zu commits: snapshot %.1f ms, history %.1f ms (best of %d)\n",
	       n, dated, dated ? (double)authors / dated : 0.0,
	       repo_history_commits(h), snap_ms, best, repeat > 0 ? repeat : 1);
	code = 0;

cleanup:
	diag_flush(&d, stderr);
	repo_history_free(h);
	repo_snapshot_free(s);
	diag_release(&d);
	return code;
}
