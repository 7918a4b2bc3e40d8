// SPDX-License-Identifier: GPL-2.0
/*
 * udpsend: send UDP datagrams through the whole socket stack, one send()
 * per datagram on a connected socket, as fast as the stack takes them, for
 * a fixed time.  Prints "sent refused seconds pps".
 *
 *   udpsend DST_IPV4 PORT PAYLOAD_BYTES SECONDS
 *
 * A send the stack refuses (ENOBUFS: the qdisc or the device queue is full)
 * is counted apart and retried after yielding the CPU.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	unsigned long long sent = 0, refused = 0;
	static char buf[65536];
	double start, end, t;
	size_t len;
	int fd, i;

	if (argc != 5) {
		fprintf(stderr, "usage: udpsend DST_IPV4 PORT PAYLOAD_BYTES SECONDS\n");
		return 2;
	}
	len = strtoul(argv[3], NULL, 0);
	if (len > sizeof(buf) || inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "udpsend: bad address or size\n");
		return 2;
	}
	dst.sin_port = htons(atoi(argv[2]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
		perror("udpsend: socket");
		return 1;
	}
	start = now_s();
	end = start + atof(argv[4]);
	t = start;
	while (t < end) {
		/* read the clock once per 64 sends: it is not free under TCG */
		for (i = 0; i < 64; i++) {
			if (send(fd, buf, len, 0) == (ssize_t)len) {
				sent++;
			} else if (errno == ENOBUFS || errno == EAGAIN ||
				   errno == ECONNREFUSED) {
				refused++;
				sched_yield();
			} else {
				perror("udpsend: send");
				return 1;
			}
		}
		t = now_s();
	}
	printf("%llu %llu %.3f %.0f\n", sent, refused, t - start, sent / (t - start));
	return 0;
}
