/*
 * serve: `showcase serve`, a preview server with live reload.
 */
#ifndef SHOWCASE_SERVE_H
#define SHOWCASE_SERVE_H

extern const char serve_help[];

/* The command (argv[0] is "serve"); returns the exit code. */
int serve_command(int argc, char **argv);

#endif
