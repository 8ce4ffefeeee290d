/*
 * new: `showcase new COLLECTION`, a new record written from the schema.
 */
#ifndef SHOWCASE_NEW_H
#define SHOWCASE_NEW_H

extern const char new_help[];

/* The command (argv[0] is "new"); returns the exit code. */
int new_command(int argc, char **argv);

#endif
