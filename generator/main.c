/*
 * main: the showcase command line. Parses arguments and hands over to the
 * command's module (build.c); everything else lives in libshowcase.a so the
 * tests run the same code.
 */
#include "build.h"
#include "cli.h"
#include "diag.h"
#include "parallel.h"
#include "progress.h"
#include "report.h"
#include "write.h"

#include <errno.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: showcase build [-C DIR] [--ref REF] [--worktree] [--out DIR]\n"
	"                      [--drafts] [--theme DIR] [--jobs N] [--quiet]\n"
	"                      [--wait] [--allow-empty] [--print-key]\n"
	"       showcase report YEAR [-C DIR] [--ref REF] [--worktree] [--out FILE]\n"
	"                      [--format pdf|html] [--theme DIR]\n"
	"       showcase check [-C DIR] [--ref REF | --staged | --worktree] [--install-hook]\n"
	"       showcase new COLLECTION [--title T] [--date D] [--slug S] [--set F=V]...\n"
	"       showcase serve [-C DIR] [--worktree] [--port N] [--bind ADDR]\n"
	"       showcase schema --json [COLLECTION] [-C DIR] [--ref REF | --worktree]\n"
	"       showcase help COMMAND | --help | --version\n"
	"\n"
	"build: make the website of the records committed in the git repository\n"
	"that contains DIR. report: typeset the yearly showcase booklet of YEAR\n"
	"(content/reports/YEAR.md) as a PDF (default output/reports/YEAR/SLUG.pdf)\n"
	"or one print HTML page.\n"
	"\n"
	"  -C DIR        the site's folder (default: the current folder)\n"
	"  --ref REF     the commit to build: branch, tag or id (default: HEAD)\n"
	"  --worktree    build the files on disk instead of a commit (preview)\n"
	"  --out DIR     the output folder (default: DIR/output); for report, the file.\n"
	"                A build replaces it only if it is new, empty or was written\n"
	"                by showcase (it holds a .showcase-output file)\n"
	"  --format F    report: pdf (default) or html\n"
	"  --drafts      include records marked draft: true\n"
	"  --theme DIR   use the theme in DIR\n"
	"  -j, --jobs N  work on N threads at most: read, render, typeset, remove\n"
	"                the old output (default: one per CPU)\n"
	"  -q, --quiet   no progress line (on a terminal) and no summary line\n"
	"  --wait        wait for another build writing the same output folder\n"
	"  --allow-empty publish even when the commit holds no records\n"
	"  --print-key   print the build's key (64 hex digits: what it would write\n"
	"                into OUT/.showcase-manifest) and write nothing, for CI\n"
	"                caches; reads no record, so a commit whose build would\n"
	"                fail has a key too. Not with --worktree (no key)\n"
	"\n"
	"Exit status: 0 built; 1 invalid content (nothing written); 2 wrong\n"
	"usage; 3 repository, theme or I/O failure.\n";

static int usage_error(const char *fmt, const char *arg)
{
	return cli_usage_error(NULL, fmt, arg);
}

/* Options that build and report share. */
#define COMMON_OPTIONS                                          \
	{ "ref", required_argument, NULL, 'r' },                \
	{ "worktree", no_argument, NULL, 'w' },                 \
	{ "out", required_argument, NULL, 'o' },                \
	{ "drafts", no_argument, NULL, 'd' },                   \
	{ "theme", required_argument, NULL, 't' },              \
	{ "quiet", no_argument, NULL, 'q' },                    \
	{ "help", no_argument, NULL, 'h' }

/*
 * Handle an option of COMMON_OPTIONS (or an error) for `o`, whose output
 * goes to *out. Returns -1 when `c` is one of them and parsing goes on,
 * -2 when `c` is not, or the exit code to stop with.
 */
static int common_option(int c, char **argv, struct load_options *o,
			 const char **out)
{
	switch (c) {
	case 'C': o->dir = optarg; return -1;
	case 'r': o->ref = optarg; return -1;
	case 'w': o->worktree = 1; return -1;
	case 'o': *out = optarg; return -1;
	case 'd': o->drafts = 1; return -1;
	case 't': o->theme = optarg; return -1;
	case 'q': o->quiet = 1; return -1;
	case 'h':
		fputs(usage_text, stdout);
		return EXIT_OK;
	case ':':
		return usage_error("option '%s' needs a value", argv[optind - 1]);
	case '?':
		return usage_error("unknown option '%s'", argv[optind - 1]);
	}
	return -2;
}

static int check_common(const struct load_options *o)
{
	if (o->ref && o->worktree)
		return usage_error("%s", "--ref and --worktree cannot be used together");
	return -1;
}

static int cmd_build(int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_OPTIONS,
		{ "jobs", required_argument, NULL, 'j' },
		{ "wait", no_argument, NULL, 'W' },
		{ "allow-empty", no_argument, NULL, 'E' },
		{ "print-key", no_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	struct load_options o;
	struct diag d;
	int c, code, print_key = 0;

	memset(&o, 0, sizeof(o));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":C:j:qh", options, NULL)) != -1) {
		if ((code = common_option(c, argv, &o, &o.out)) >= 0)
			return code;
		if (code == -1)
			continue;
		if (c == 'W' || c == 'E' || c == 'K') {
			*(c == 'W' ? &o.wait : c == 'E' ? &o.allow_empty
			  : &print_key) = 1;
			continue;
		}
		/* c == 'j' */
		char *end;
		long n = strtol(optarg, &end, 10);
		if (*end || n < 1 || n > 64)
			return usage_error("--jobs needs a number from 1 to 64, not '%s'", optarg);
		o.jobs = (int)n;
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if ((code = check_common(&o)) >= 0)
		return code;
	if (print_key && o.worktree)
		return usage_error("%s", "--print-key and --worktree cannot be used together: a build of the files on disk has no key");
	parallel_set_jobs(o.jobs);

	diag_init(&d);
	if (print_key) {
		/* No progress line: it takes a blink, and prints one line. */
		code = build_print_key(&o, &d);
		diag_release(&d);
		return code;
	}
	/* A progress line only for a person watching (progress.h). */
	progress_start(!o.quiet && isatty(STDERR_FILENO));
	code = build_run(&o, &d);
	progress_stop();
	diag_release(&d);
	return code;
}

static int cmd_report(int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_OPTIONS,
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_options o;
	struct diag d;
	int c, code;
	char *end;

	memset(&o, 0, sizeof(o));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":C:qh", options, NULL)) != -1) {
		if ((code = common_option(c, argv, &o.build, &o.out)) >= 0)
			return code;
		if (code == -1)
			continue;
		/* c == 'f' */
		if (!strcmp(optarg, "pdf"))
			o.format = REPORT_PDF;
		else if (!strcmp(optarg, "html"))
			o.format = REPORT_HTML;
		else
			return usage_error("--format is pdf or html, not '%s'", optarg);
	}
	if (optind >= argc)
		return usage_error("%s", "report needs a YEAR, e.g. 'showcase report 2024'");
	/* Range-checked as a long: narrowing first made 4294969320 into 2024. */
	errno = 0;
	long year = strtol(argv[optind], &end, 10);
	if (errno || end == argv[optind] || *end || year < 1900 || year > 9999)
		return usage_error("'%s' is not a year from 1900 to 9999", argv[optind]);
	o.year = (int)year;
	if (optind + 1 < argc)
		return usage_error("unexpected argument '%s'", argv[optind + 1]);
	if ((code = check_common(&o.build)) >= 0)
		return code;

	diag_init(&d);
	progress_start(!o.build.quiet && isatty(STDERR_FILENO));
	code = report_run(&o, &d);
	progress_stop();
	diag_release(&d);
	return code;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "no command given");
	if (!strcmp(argv[1], "help") && argc > 2 && cli_help(argv[2]) == 0)
		return EXIT_OK;
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("showcase %s\n", SHOWCASE_VERSION);
		return EXIT_OK;
	}
	/* Before any thread starts, so that every thread inherits the mask.
	 * fontconfig's FcFini() is not called on exit: it asserted once under
	 * AddressSanitizer, and the process ends anyway (tests call
	 * ts_shutdown() instead). */
	if (write_catch_signals() < 0) {
		fputs("showcase: error: cannot start the signal thread\n", stderr);
		return EXIT_SYSTEM;
	}
	if (!strcmp(argv[1], "build"))
		return cmd_build(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	if (cli_is_command(argv[1]))
		return cli_run(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", argv[1]);
}
