#include "new.h"
#include "diag.h"
#include <stdio.h>
const char new_help[] = "usage: showcase new COLLECTION\n";
int new_command(int argc, char **argv)
{
	fputs("showcase: error: not yet\n", stderr);
	return EXIT_USAGE;
}
