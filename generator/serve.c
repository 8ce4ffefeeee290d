#include "serve.h"
#include "diag.h"
#include <stdio.h>
const char serve_help[] = "usage: showcase serve\n";
int serve_command(int argc, char **argv)
{
	fputs("showcase: error: not yet\n", stderr);
	return EXIT_USAGE;
}
