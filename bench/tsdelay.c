// SPDX-License-Identifier: GPL-2.0
/*
 * tsdelay: how long after the software TX timestamp (skb_tx_timestamp() in
 * the driver's xmit) the hardware TX timestamp reaches the socket's error
 * queue, as ptp4l waits for it; and how many hardware timestamp requests a
 * burst gets answered.
 *
 *   tsdelay lat   DEV DST_IPV4 PORT COUNT GAP_US SIZE
 *	one datagram at a time; for each, wait (up to 1 s) for both stamps
 *	and print "key sw_ns hw_arrival_ns latency_ns" (CLOCK_REALTIME; the
 *	arrival is read right after recvmsg() returns the hardware stamp).
 *	A stamp that never came prints latency -1.
 *   tsdelay burst DEV DST_IPV4 PORT BURSTS LEN GAP_MS SIZE
 *	BURSTS bursts of LEN back-to-back datagrams, each asking for a
 *	hardware stamp; prints "requested N hw M".
 *
 * Hardware TX stamping is switched on with SIOCSHWTSTAMP (rx_filter NONE).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "errqueue.h"

#define TS_FLAGS (SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_TX_SOFTWARE | \
		  SOF_TIMESTAMPING_RAW_HARDWARE | SOF_TIMESTAMPING_SOFTWARE | \
		  SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY | \
		  SOF_TIMESTAMPING_OPT_TX_SWHW)

static long long ns_of(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long now_ns(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return ns_of(t);
}

static int hwtstamp_on(int fd, const char *dev)
{
	struct hwtstamp_config cfg = { .tx_type = HWTSTAMP_TX_ON,
				       .rx_filter = HWTSTAMP_FILTER_NONE };
	struct ifreq ifr = {};

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev);
	ifr.ifr_data = (void *)&cfg;
	return ioctl(fd, SIOCSHWTSTAMP, &ifr);
}

/*
 * Read one message from the error queue, waiting up to @ms.  Returns 0 and
 * fills @key, @sw / @hw (0 when absent) and @arrival, or -1 on timeout.
 */
static int read_stamp(int fd, int ms, unsigned int *key, long long *sw,
		      long long *hw, long long *arrival)
{
	struct pollfd pfd = { .fd = fd };	/* POLLERR is always reported */
	struct tx_stamp st;
	int rc;

	for (;;) {
		rc = errqueue_tx_stamp(fd, MSG_DONTWAIT, &st);
		if (rc >= 0)
			break;
		if (errno != EAGAIN || poll(&pfd, 1, ms) <= 0)
			return -1;
	}
	*arrival = now_ns(CLOCK_REALTIME);
	*sw = *hw = 0;
	*key = ~0u;
	if (rc)
		return 0;
	*key = st.key;
	*sw = ns_of(st.sw);
	*hw = ns_of(st.hw);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	unsigned int flags = TS_FLAGS;
	static char buf[2048];
	int fd, i, j, count, gap;
	size_t size;

	if (argc < 2 || ((strcmp(argv[1], "lat") || argc != 8) &&
			 (strcmp(argv[1], "burst") || argc != 9))) {
		fprintf(stderr, "usage: tsdelay lat DEV DST PORT COUNT GAP_US SIZE\n"
			"       tsdelay burst DEV DST PORT BURSTS LEN GAP_MS SIZE\n");
		return 2;
	}
	size = strtoul(argv[argc - 1], NULL, 0);
	if (size > sizeof(buf) || inet_pton(AF_INET, argv[3], &dst.sin_addr) != 1) {
		fprintf(stderr, "tsdelay: bad address or size\n");
		return 2;
	}
	dst.sin_port = htons(atoi(argv[4]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || hwtstamp_on(fd, argv[2]) ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, argv[2], strlen(argv[2]) + 1) ||
	    connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
		perror("tsdelay: setup");
		return 1;
	}
	count = atoi(argv[5]);

	if (!strcmp(argv[1], "lat")) {
		gap = atoi(argv[6]);
		for (i = 0; i < count; i++) {
			long long sw = 0, hwarr = 0, s, h, a, end;
			unsigned int key;

			if (send(fd, buf, size, 0) != (ssize_t)size) {
				perror("tsdelay: send");
				return 1;
			}
			end = now_ns(CLOCK_MONOTONIC) + 1000000000LL;
			while ((!sw || !hwarr) && now_ns(CLOCK_MONOTONIC) < end) {
				if (read_stamp(fd, 1000, &key, &s, &h, &a))
					break;
				if (key != (unsigned int)i)
					continue;
				if (s)
					sw = s;
				if (h)
					hwarr = a;
			}
			printf("%d %lld %lld %lld\n", i, sw, hwarr,
			       sw && hwarr ? hwarr - sw : -1);
			usleep(gap);
		}
		return 0;
	}

	/* burst */
	{
		int len = atoi(argv[6]), gap_ms = atoi(argv[7]);
		long long hw = 0, req = 0;

		for (i = 0; i < count; i++) {
			long long s, h, a, end;
			unsigned int key;

			for (j = 0; j < len; j++) {
				if (send(fd, buf, size, 0) == (ssize_t)size)
					req++;
			}
			/* collect what this burst got, then let the link idle */
			end = now_ns(CLOCK_MONOTONIC) + gap_ms * 1000000LL;
			while (now_ns(CLOCK_MONOTONIC) < end) {
				int left = (end - now_ns(CLOCK_MONOTONIC)) / 1000000;

				if (read_stamp(fd, left > 0 ? left : 1, &key, &s, &h, &a))
					continue;
				if (h)
					hw++;
			}
		}
		printf("requested %lld hw %lld\n", req, hw);
	}
	return 0;
}
