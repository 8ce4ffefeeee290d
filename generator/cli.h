/*
 * cli: the command lines of the tools for the people who write records,
 * `check`, `new` and `serve`, and `showcase help COMMAND`. main.c hands
 * these commands over whole, so that they live (and are tested) in the
 * library and main.c stays the parser of build and report.
 */
#ifndef SHOWCASE_CLI_H
#define SHOWCASE_CLI_H

/* Print "showcase: error: " and `fmt` with its one string argument, then
 * where to read more: 'showcase help COMMAND', or 'showcase --help' when
 * `command` is NULL. Returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, const char *arg);

/* 1 if `cmd` is one of the commands cli_run() runs. */
int cli_is_command(const char *cmd);

/* Run argv[0] (check, new or serve) with its arguments; returns the exit
 * code. */
int cli_run(int argc, char **argv);

/* Print the help of `cmd` to stdout and return 0; -1 when it is not one of
 * this module's commands (main.c prints its own). */
int cli_help(const char *cmd);

#endif
