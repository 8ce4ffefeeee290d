/*
 * cli: see cli.h. Each command parses its options with getopt_long, as
 * main.c does, and calls its module (check.c, new.c, serve.c).
 */
#include "cli.h"

#include "check.h"
#include "diag.h"
#include "new.h"
#include "repo.h"
#include "serve.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char check_help[] =
	"usage: showcase check [-C DIR] [--ref REF | --staged | --worktree]\n"
	"                      [--drafts] [--theme DIR] [--quiet]\n"
	"       showcase check [-C DIR] --install-hook\n"
	"\n"
	"Check the records as a build would (schema, references, links, images,\n"
	"templates, the booklets' directives) and write nothing. Errors are\n"
	"printed as path:line:column, with a Chinese line after each common one\n"
	"when site.yaml says language: zh-CN.\n"
	"\n"
	"  -C DIR          the site's folder (default: the current folder)\n"
	"  --ref REF       check this commit (default: HEAD)\n"
	"  --staged        check what 'git commit' would record: the index\n"
	"  --worktree      check the files on disk\n"
	"  --drafts        include records marked draft: true\n"
	"  --theme DIR     use the theme in DIR\n"
	"  -q, --quiet     no summary line\n"
	"  --install-hook  write the repository's pre-commit hook, which runs\n"
	"                  'showcase check --staged' (an existing hook that\n"
	"                  showcase did not write is left alone: exit 2)\n"
	"\n"
	"Exit status: 0 no problems; 1 invalid content; 2 wrong usage;\n"
	"3 repository, theme or I/O failure.\n";

int cli_usage_error(const char *command, const char *fmt, const char *arg)
{
	fputs("showcase: error: ", stderr);
	fprintf(stderr, fmt, arg);
	if (command)
		fprintf(stderr, "\nTry 'showcase help %s'.\n", command);
	else
		fputs("\nTry 'showcase --help'.\n", stderr);
	return EXIT_USAGE;
}

static int usage_error(const char *fmt, const char *arg)
{
	return cli_usage_error("COMMAND", fmt, arg);
}

static int cmd_check(int argc, char **argv)
{
	static const struct option options[] = {
		{ "ref", required_argument, NULL, 'r' },
		{ "staged", no_argument, NULL, 's' },
		{ "worktree", no_argument, NULL, 'w' },
		{ "drafts", no_argument, NULL, 'd' },
		{ "theme", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "install-hook", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct check_options o;
	struct diag d;
	int c, code, modes = 0, hook = 0;

	memset(&o, 0, sizeof(o));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":C:qh", options, NULL)) != -1) {
		switch (c) {
		case 'C': o.build.dir = optarg; break;
		case 'r': o.build.ref = optarg; modes++; break;
		case 's': o.build.worktree = REPO_INDEX; modes++; break;
		case 'w': o.build.worktree = REPO_WORKTREE; modes++; break;
		case 'd': o.build.drafts = 1; break;
		case 't': o.build.theme = optarg; break;
		case 'q': o.build.quiet = 1; break;
		case 'I': hook = 1; break;
		case 'h': fputs(check_help, stdout); return EXIT_OK;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (modes > 1)
		return usage_error("%s", "--ref, --staged and --worktree cannot be used together");
	if (hook && (modes || o.build.theme || o.build.drafts))
		return usage_error("%s", "--install-hook takes no other option than -C");

	diag_init(&d);
	code = hook ? check_install_hook(o.build.dir, NULL, &d)
		    : check_run(&o, &d);
	diag_release(&d);
	return code;
}

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "check", cmd_check, check_help },
	{ "new", new_command, new_help },
	{ "serve", serve_command, serve_help },
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

int cli_is_command(const char *cmd)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, cmd))
			return 1;
	return 0;
}

int cli_run(int argc, char **argv)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, argv[0]))
			return commands[i].run(argc, argv);
	return usage_error("unknown command '%s'", argv[0]);
}

int cli_help(const char *cmd)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, cmd)) {
			fputs(commands[i].help, stdout);
			return 0;
		}
	return -1;
}
