/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading TX timestamps from a socket's error queue, shared by the
 * selftests (tsnic_tstamp.c) and the benchmark (bench/tsdelay.c).
 */
#ifndef TSNIC_SELFTESTS_ERRQUEUE_H
#define TSNIC_SELFTESTS_ERRQUEUE_H

#include <linux/errqueue.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

/* One SCM_TSTAMP_SND timestamp: its OPT_ID key, software and hardware time. */
struct tx_stamp {
	unsigned int key;
	struct timespec sw;	/* zero when the message has none */
	struct timespec hw;	/* zero when the message has none */
};

/**
 * errqueue_tx_stamp() - read one message from @fd's error queue
 * @fd: a socket with SO_TIMESTAMPING (UDP or packet)
 * @flags: recvmsg() flags besides MSG_ERRQUEUE (e.g. MSG_DONTWAIT)
 * @st: the timestamp, filled when the return value is 0
 *
 * Return: 0 when the message is a TX (SCM_TSTAMP_SND) timestamp with its
 * key, 1 when it is anything else (another kind of stamp, an ICMP error),
 * -1 when recvmsg() failed (errno as it left it).
 */
static inline int errqueue_tx_stamp(int fd, int flags, struct tx_stamp *st)
{
	char ctrl[512], data[2048];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctrl, .msg_controllen = sizeof(ctrl),
	};
	struct scm_timestamping *ts = NULL;
	struct sock_extended_err *ee = NULL;
	struct cmsghdr *c;

	if (recvmsg(fd, &msg, MSG_ERRQUEUE | flags) < 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING)
			ts = (void *)CMSG_DATA(c);
		else if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
			 (c->cmsg_level == SOL_PACKET &&
			  c->cmsg_type == PACKET_TX_TIMESTAMP))
			ee = (void *)CMSG_DATA(c);
	}
	if (!ts || !ee || ee->ee_origin != SO_EE_ORIGIN_TIMESTAMPING ||
	    ee->ee_info != SCM_TSTAMP_SND)
		return 1;
	st->key = ee->ee_data;
	st->sw = ts->ts[0];
	st->hw = ts->ts[2];
	return 0;
}

#endif /* TSNIC_SELFTESTS_ERRQUEUE_H */
