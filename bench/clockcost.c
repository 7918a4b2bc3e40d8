// SPDX-License-Identifier: GPL-2.0
/*
 * clockcost: the cost of one clock read in this machine, from user space:
 * the mean time of clock_gettime(CLOCK_MONOTONIC_RAW) over N calls (the
 * vDSO when the clocksource allows it, else a system call that reads the
 * clocksource, as ktime_get_raw_ns() does in the kernel).
 *
 *   clockcost [N]     prints "calls ns_per_call clocksource"
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 100000;
	struct timespec a, b, t;
	char cs[64] = "?";
	FILE *f;

	f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
	if (f) {
		if (fscanf(f, "%63s", cs) != 1)
			cs[0] = '?', cs[1] = 0;
		fclose(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		clock_gettime(CLOCK_MONOTONIC_RAW, &t);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%ld %.0f %s\n", n,
	       ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n, cs);
	return 0;
}
