/*
 * cli: see cli.h. Each command parses its options with getopt_long, as
 * main.c does, and calls its module (check.c, new.c, serve.c).
 */
#include "cli.h"

#include "arena.h"
#include "buf.h"
#include "check.h"
#include "diag.h"
#include "new.h"
#include "repo.h"
#include "schema.h"
#include "schema_json.h"
#include "serve.h"
#include "site.h"
#include "theme.h"

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

static const char schema_help[] =
	"usage: showcase schema --json [COLLECTION] [-C DIR] [--ref REF | --worktree]\n"
	"                       [--theme DIR]\n"
	"\n"
	"Print the site's schema (the theme's, extended by site.yaml) as JSON\n"
	"Schema (draft-07) for editors: with COLLECTION, that collection's front\n"
	"matter; without, every collection under \"definitions\". Titles and\n"
	"descriptions are in the site's language. README.md, \"Editor support\",\n"
	"says how to use it in VS Code.\n"
	"\n"
	"  --json          JSON Schema (the only format so far)\n"
	"  -C DIR          the site's folder (default: the current folder)\n"
	"  --ref REF       read the schema of this commit (default: HEAD)\n"
	"  --worktree      read site.yaml and the theme on disk\n"
	"  --theme DIR     use the theme in DIR\n"
	"\n"
	"Exit status: 0 printed; 1 invalid site.yaml or schema; 2 wrong usage\n"
	"or no such collection; 3 repository or theme failure.\n";

/* Load site.yaml, the theme and the merged schema of the snapshot, and
 * print the JSON Schema of `only` (or every collection). */
static int schema_print(const char *dir, const char *ref, int worktree,
			const char *theme_dir, const char *only, struct diag *d)
{
	struct arena a;
	struct repo_snapshot *snap = NULL;
	struct theme *theme = NULL;
	struct schema *schema = NULL;
	struct site_config site;
	const struct repo_file *f;
	struct buf text = BUF_INIT, out = BUF_INIT;

	arena_init(&a);
	if (repo_snapshot_open(&snap, dir, ref, worktree, NULL, d) < 0)
		goto cleanup;
	if (!(f = repo_snapshot_find(snap, "site.yaml"))) {
		diag_fail(d, NULL, 0, 0, "no site.yaml in '%s' (is -C pointing "
			  "at the content repository?)", snap->root_display);
		goto cleanup;
	}
	if (repo_snapshot_read(snap, f, &text, d) < 0 ||
	    site_load(&a, arena_strndup(&a, text.ptr, text.len), text.len,
		      "site.yaml", &site, d) < 0 ||
	    theme_open(&theme, &a, snap, theme_dir, site.theme, site.language,
		       d) < 0)
		goto cleanup;
	if (!theme->schema) {
		diag_fail(d, NULL, 0, 0, "theme '%s' has no schema.yaml", theme->root);
		goto cleanup;
	}
	if (schema_load(&a, theme->schema, theme->schema_path, site.collections,
			site.path, &schema, d) < 0)
		goto cleanup;
	if (schema_json(schema, site.language, only, &out) < 0) {
		diag_report(d, DIAG_ERROR, DIAG_USAGE, NULL, 0, 0,
			    "no collection '%s' in the schema", only);
		goto cleanup;
	}
	fwrite(out.ptr, 1, out.len, stdout);
	if (fflush(stdout) != 0)
		diag_fail(d, NULL, 0, 0, "cannot write the schema to stdout");
cleanup:
	theme_free(theme);
	repo_snapshot_free(snap);
	arena_release(&a);
	buf_release(&text);
	buf_release(&out);
	return diag_exit_code(d);
}

static int cmd_schema(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "ref", required_argument, NULL, 'r' },
		{ "worktree", no_argument, NULL, 'w' },
		{ "theme", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *ref = NULL, *theme = NULL, *only = NULL;
	int c, json = 0, worktree = 0, code;
	struct diag d;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":C:h", options, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'J': json = 1; break;
		case 'r': ref = optarg; break;
		case 'w': worktree = 1; break;
		case 't': theme = optarg; break;
		case 'h': fputs(schema_help, stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("schema", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("schema", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		only = argv[optind++];
	if (optind < argc)
		return cli_usage_error("schema", "unexpected argument '%s'", argv[optind]);
	if (!json)
		return cli_usage_error("schema", "%s", "schema needs a format: --json");
	if (ref && worktree)
		return cli_usage_error("schema", "%s",
				       "--ref and --worktree cannot be used together");
	diag_init(&d);
	code = schema_print(dir, ref, worktree ? REPO_WORKTREE : REPO_COMMIT,
			    theme, only, &d);
	diag_flush(&d, stderr);
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
	{ "schema", cmd_schema, schema_help },
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
