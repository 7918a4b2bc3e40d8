// SPDX-License-Identifier: GPL-2.0
/*
 * Hold the kernel's RX timestamping static key on while the suite runs:
 * a UDP socket asking for SO_TIMESTAMPNS, kept open until a signal ends
 * the process.  run_tests.sh starts it before the first test (why: see
 * there).  A C program, not python3: under TCG python3 takes seconds to
 * start, tens of seconds on the debug kernel, beside the first test.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	int one = 1;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one))) {
		perror("stamp_holder");
		return 1;
	}
	for (;;)
		pause();
}
