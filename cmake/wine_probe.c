/*
 * wine_probe.c - proof that Wine really runs this build tree's programs.
 *
 * Run by the wine-prefix fixture (cmake/wine_prefix.cmake) before any
 * test.  Needed because Wine 8's 64-bit loader, asked to start an i686
 * program when the 32-bit loader (wine32) is missing, gives up silently
 * with exit status 0: every i686 test would "pass" without running.  This
 * program must print its bitness and exit with 42, or no test runs.
 */
#include <stdio.h>

int main(void)
{
	printf("wine_probe: %d-bit program ran\n", (int)(8 * sizeof(void *)));
	return 42;
}
