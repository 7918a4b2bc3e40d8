// SPDX-License-Identifier: GPL-2.0
/*
 * SO_TIMESTAMPING end to end over a wired tsnic pair in two namespaces:
 * software and deferred hardware TX timestamps, RX hardware timestamps,
 * OPT_ID keys, the RX filter, packet sockets, and the timestamp unit's
 * skipped / timeout / stale accounting.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <linux/ptp_clock.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "errqueue.h"

#define NS_A	"tsta"
#define NS_B	"tstb"
#define DEV_A	"tsa0"
#define DEV_B	"tsb0"
#define IP_A	"192.168.90.1"
#define IP_B	"192.168.90.2"
#define PORT	5555
#define DELAY_NS	1000000		/* cable propagation delay */
#define MAX_KEYS	64

#define FD_TO_CLOCKID(fd)	((~(clockid_t)(fd) << 3) | 3)

static int run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Create a socket inside network namespace @ns. */
static int ns_socket(const char *ns, int domain, int type, int proto)
{
	char path[128];
	int self, target, fd;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	self = open("/proc/self/ns/net", O_RDONLY);
	target = open(path, O_RDONLY);
	if (self < 0 || target < 0 || setns(target, CLONE_NEWNET))
		return -1;
	fd = socket(domain, type, proto);
	if (setns(self, CLONE_NEWNET))
		fd = -1;
	close(self);
	close(target);
	return fd;
}

static int hwtstamp_set(const char *ns, const char *dev, int tx, int rx)
{
	struct hwtstamp_config cfg = { .tx_type = tx, .rx_filter = rx };
	struct ifreq ifr = {};
	int fd = ns_socket(ns, AF_INET, SOCK_DGRAM, 0);
	int err;

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev);
	ifr.ifr_data = (void *)&cfg;
	err = ioctl(fd, SIOCSHWTSTAMP, &ifr) ? -errno : cfg.rx_filter;
	close(fd);
	return err;
}

static int phc_index(const char *ns, const char *dev)
{
	struct ethtool_ts_info info = { .cmd = ETHTOOL_GET_TS_INFO };
	struct ifreq ifr = {};
	int fd = ns_socket(ns, AF_INET, SOCK_DGRAM, 0);
	int err;

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev);
	ifr.ifr_data = (void *)&info;
	err = ioctl(fd, SIOCETHTOOL, &ifr);
	close(fd);
	return err ? -1 : info.phc_index;
}

static long long ethtool_stat(const char *ns, const char *dev, const char *name)
{
	char cmd[256];
	long long v = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "ip netns exec %s ethtool -S %s | awk '$1 == \"%s:\" { print $2 }'",
		 ns, dev, name);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	pclose(f);
	return v;
}

/* A wired pair, module loaded with @params; IPv4 only, carrier up. */
/*
 * The pair of devices, on a freshly loaded module with @params.  The tests
 * of one fixture share it (each sets the timestamping configuration it
 * needs): with @reuse, a pair set up for the same @params is kept.  The
 * module reload and namespace setup cost seconds under TCG.
 */
#define PAIR_MARK	"/run/tsnic_tstamp.pair"

static int pair_is_up(const char *params)
{
	char have[256] = "";
	FILE *f = fopen(PAIR_MARK, "r");

	if (!f)
		return 0;
	if (!fgets(have, sizeof(have), f))
		have[0] = 0;
	fclose(f);
	return !strcmp(have, params) &&
	       !run("ip -n " NS_A " link show " DEV_A " >/dev/null 2>&1 &&"
		    "ip -n " NS_B " link show " DEV_B " >/dev/null 2>&1");
}

static int setup_pair(const char *params, int reuse)
{
	const char *mod = getenv("TSNIC_MODULE");
	FILE *f;

	if (!mod)
		return -1;
	if (reuse && pair_is_up(params))
		return 0;
	unlink(PAIR_MARK);
	run("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null");
	if (run("rmmod tsnic 2>/dev/null; insmod %s %s", mod, params))
		return -1;
	if (run("set -e; ip netns add " NS_A "; ip netns add " NS_B ";"
		"ip link add " DEV_A " netns " NS_A " type tsnic;"
		"ip -n " NS_A " link add " DEV_B " link " DEV_A " type tsnic;"
		"ip -n " NS_A " link set " DEV_B " netns " NS_B ";"
		"ip netns exec " NS_A " sysctl -qw net.ipv6.conf.all.disable_ipv6=1;"
		"ip netns exec " NS_B " sysctl -qw net.ipv6.conf.all.disable_ipv6=1;"
		"ip -n " NS_A " addr add " IP_A "/24 dev " DEV_A ";"
		"ip -n " NS_B " addr add " IP_B "/24 dev " DEV_B ";"
		"ip -n " NS_A " link set " DEV_A " up;"
		"ip -n " NS_B " link set " DEV_B " up;"
		"for i in $(seq 50); do ip netns exec " NS_A
		" cat /sys/class/net/" DEV_A "/carrier 2>/dev/null | grep -q 1 && break; sleep 0.1; done;"
		"ip netns exec " NS_A " ping -c 1 -W 5 " IP_B " >/dev/null"))
		return -1;
	f = fopen(PAIR_MARK, "w");
	if (f) {
		fputs(params, f);
		fclose(f);
	}
	return 0;
}

static void teardown_pair(void)
{
	unlink(PAIR_MARK);
	run("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B " 2>/dev/null");
}

struct txts {
	int hw[MAX_KEYS];	/* hardware stamps seen per OPT_ID key */
	int sw[MAX_KEYS];	/* software SND stamps seen per key */
	struct timespec hwts[MAX_KEYS];
	int other;		/* stamps of other kinds or keys */
};

/* Drain the error queue of @fd for @ms milliseconds. */
static void read_errqueue(int fd, int ms, struct txts *t)
{
	struct timespec end, now;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_nsec += (long)ms * 1000000;
	end.tv_sec += end.tv_nsec / 1000000000;
	end.tv_nsec %= 1000000000;

	for (;;) {
		struct pollfd pfd = { .fd = fd };
		struct tx_stamp st;
		long left;
		int rc;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (end.tv_sec - now.tv_sec) * 1000 +
		       (end.tv_nsec - now.tv_nsec) / 1000000;
		if (left <= 0)
			return;
		if (poll(&pfd, 1, left) <= 0)
			continue;
		rc = errqueue_tx_stamp(fd, 0, &st);
		if (rc < 0)
			continue;
		if (rc || st.key >= MAX_KEYS) {
			t->other++;
			continue;
		}
		if (st.hw.tv_sec || st.hw.tv_nsec) {
			t->hw[st.key]++;
			t->hwts[st.key] = st.hw;
		}
		if (st.sw.tv_sec || st.sw.tv_nsec)
			t->sw[st.key]++;
	}
}

static int udp_sender_to(unsigned int flags, int port)
{
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = ns_socket(NS_A, AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, IP_B, &dst.sin_addr);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) ||
	    connect(fd, (void *)&dst, sizeof(dst)))
		return -1;
	return fd;
}

/* The fixtures keep a sink bound to PORT in NS_B: no ICMP errors. */
static int udp_sender(unsigned int flags)
{
	return udp_sender_to(flags, PORT);
}

static int udp_receiver_on(unsigned int flags, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = ns_socket(NS_B, AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) ||
	    bind(fd, (void *)&a, sizeof(a)))
		return -1;
	return fd;
}

static void send_n(int fd, int n, int len, int gap_ms)
{
	char buf[1500] = {};
	int i;

	for (i = 0; i < n; i++) {
		if (send(fd, buf, len, 0) != len)
			perror("send");
		if (gap_ms)
			usleep(gap_ms * 1000);
	}
}

/* Receive one datagram with its SCM_TIMESTAMPING; 0 on success. */
static int recv_ts(int fd, struct scm_timestamping *out, int ms)
{
	char ctrl[512], data[2048];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctrl, .msg_controllen = sizeof(ctrl),
	};
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct cmsghdr *c;

	memset(out, 0, sizeof(*out));
	if (poll(&pfd, 1, ms) <= 0 || recvmsg(fd, &msg, 0) < 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING)
			memcpy(out, CMSG_DATA(c), sizeof(*out));
	return 0;
}

static long long ts_ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long pct_ns(const struct ptp_clock_time *t)
{
	return t->sec * 1000000000LL + t->nsec;
}

/* PHC time minus system time, from the narrowest of the bracketed reads. */
static long long phc_minus_sys(const struct ptp_sys_offset_extended *x)
{
	long long best = 0, width = -1;
	unsigned int i;

	for (i = 0; i < x->n_samples; i++) {
		long long pre = pct_ns(&x->ts[i][0]), post = pct_ns(&x->ts[i][2]);

		if (width < 0 || post - pre < width) {
			width = post - pre;
			best = pct_ns(&x->ts[i][1]) - (pre + post) / 2;
		}
	}
	return best;
}

#define TX_ALL	(SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_TX_SOFTWARE | \
		 SOF_TIMESTAMPING_RAW_HARDWARE | SOF_TIMESTAMPING_SOFTWARE | \
		 SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY)
#define RX_ALL	(SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RX_SOFTWARE | \
		 SOF_TIMESTAMPING_RAW_HARDWARE | SOF_TIMESTAMPING_SOFTWARE)

/* ---- an ideal pair: no frequency error, 1 ms of cable --------------------- */

FIXTURE(pair) {
	int sink;
};

FIXTURE_SETUP(pair)
{
	char p[128];

	snprintf(p, sizeof(p), "freq_random_ppb=0 delay_ns=%d", DELAY_NS);
	ASSERT_EQ(0, setup_pair(p, 1));
	ASSERT_EQ(HWTSTAMP_FILTER_ALL,
		  hwtstamp_set(NS_A, DEV_A, HWTSTAMP_TX_ON, HWTSTAMP_FILTER_ALL));
	ASSERT_EQ(HWTSTAMP_FILTER_ALL,
		  hwtstamp_set(NS_B, DEV_B, HWTSTAMP_TX_ON, HWTSTAMP_FILTER_ALL));
	self->sink = udp_receiver_on(0, PORT);
	ASSERT_LE(0, self->sink);
}

FIXTURE_TEARDOWN(pair)
{
	/* the pair stays for the next test of the fixture (see setup_pair) */
	close(self->sink);
}

/* Hardware and software stamps, one of each per packet, keys in order. */
TEST_F_TIMEOUT(pair, tx_sw_and_hw, 180)
{
	struct txts t = {};
	int fd = udp_sender(TX_ALL | SOF_TIMESTAMPING_OPT_TX_SWHW);
	int i;

	ASSERT_LE(0, fd);
	send_n(fd, 8, 200, 20);
	read_errqueue(fd, 1000, &t);
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(1, t.hw[i]) TH_LOG("key %d: %d hardware stamps", i, t.hw[i]);
		EXPECT_EQ(1, t.sw[i]) TH_LOG("key %d: %d software stamps", i, t.sw[i]);
		if (i)
			EXPECT_LT(ts_ns(t.hwts[i - 1]), ts_ns(t.hwts[i]));
	}
	EXPECT_EQ(0, t.hw[8]);
	EXPECT_EQ(0, t.other);
	close(fd);
}

/* Without OPT_TX_SWHW, the hardware stamp in progress suppresses software. */
TEST_F_TIMEOUT(pair, tx_hw_suppresses_sw, 180)
{
	struct txts t = {};
	int fd = udp_sender(TX_ALL);
	int i;

	ASSERT_LE(0, fd);
	send_n(fd, 4, 200, 20);
	read_errqueue(fd, 1000, &t);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(1, t.hw[i]);
		EXPECT_EQ(0, t.sw[i]);
	}
	close(fd);
}

/* With hardware TX stamping off, only software stamps come. */
TEST_F_TIMEOUT(pair, tx_type_off, 180)
{
	struct txts t = {};
	int fd;

	ASSERT_EQ(HWTSTAMP_FILTER_ALL,
		  hwtstamp_set(NS_A, DEV_A, HWTSTAMP_TX_OFF, HWTSTAMP_FILTER_ALL));
	fd = udp_sender(TX_ALL);
	ASSERT_LE(0, fd);
	send_n(fd, 3, 200, 20);
	read_errqueue(fd, 800, &t);
	EXPECT_EQ(0, t.hw[0] + t.hw[1] + t.hw[2]);
	EXPECT_EQ(3, t.sw[0] + t.sw[1] + t.sw[2]);
	close(fd);
}

/*
 * The receiver's hardware stamp is the arrival on its own PHC: departure
 * on the sender's PHC + the cable delay, once the two PHCs' offset (read
 * through PTP_SYS_OFFSET_EXTENDED) is taken out.  Both run at the same
 * rate here (no frequency error), so the offset is constant.
 */
TEST_F_TIMEOUT(pair, rx_hw_is_departure_plus_delay, 180)
{
	struct ptp_sys_offset_extended xa = { .n_samples = 5 }, xb = { .n_samples = 5 };
	int rx = udp_receiver_on(RX_ALL, PORT + 1);
	int tx = udp_sender_to(TX_ALL, PORT + 1);
	struct scm_timestamping r;
	long long oa, ob, d;
	struct txts t = {};
	char path[32];
	int fa, fb;

	ASSERT_LE(0, rx);
	ASSERT_LE(0, tx);
	snprintf(path, sizeof(path), "/dev/ptp%d", phc_index(NS_A, DEV_A));
	fa = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "/dev/ptp%d", phc_index(NS_B, DEV_B));
	fb = open(path, O_RDONLY);
	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	ASSERT_EQ(0, ioctl(fa, PTP_SYS_OFFSET_EXTENDED, &xa));
	ASSERT_EQ(0, ioctl(fb, PTP_SYS_OFFSET_EXTENDED, &xb));
	/* phc - system time, from the tightest bracket of each */
	oa = phc_minus_sys(&xa);
	ob = phc_minus_sys(&xb);

	send_n(tx, 1, 300, 0);
	ASSERT_EQ(0, recv_ts(rx, &r, 2000));
	read_errqueue(tx, 500, &t);
	ASSERT_EQ(1, t.hw[0]);
	ASSERT_NE(0, ts_ns(r.ts[2]));
	EXPECT_NE(0, ts_ns(r.ts[0]));
	/* arrival(B) - departure(A) - (offset B - offset A) = delay */
	d = ts_ns(r.ts[2]) - ts_ns(t.hwts[0]) - (ob - oa);
	TH_LOG("rx_hw - tx_hw - phc offset = %lld ns (cable delay %d ns)", d, DELAY_NS);
	/* the bracket of a PHC read under emulation is the error bound */
	EXPECT_LT(llabs(d - DELAY_NS), 200000);
	close(fa);
	close(fb);
	close(rx);
	close(tx);
}

/* RX filter NONE: no hardware stamp on received frames. */
TEST_F_TIMEOUT(pair, rx_filter_none, 180)
{
	int rx = udp_receiver_on(RX_ALL, PORT + 1);
	int tx = udp_sender_to(0, PORT + 1);
	struct scm_timestamping r;

	ASSERT_EQ(HWTSTAMP_FILTER_NONE,
		  hwtstamp_set(NS_B, DEV_B, HWTSTAMP_TX_OFF, HWTSTAMP_FILTER_NONE));
	send_n(tx, 1, 100, 0);
	ASSERT_EQ(0, recv_ts(rx, &r, 2000));
	EXPECT_EQ(0, ts_ns(r.ts[2]));
	EXPECT_NE(0, ts_ns(r.ts[0]));
	close(rx);
	close(tx);
}

/*
 * Filters are upscaled (personality full): any PTP v2 filter becomes
 * PTP_V2_EVENT, v1 ALL.
 */
TEST_F_TIMEOUT(pair, rx_filter_upscale_and_reject, 180)
{
	EXPECT_EQ(HWTSTAMP_FILTER_PTP_V2_EVENT,
		  hwtstamp_set(NS_B, DEV_B, HWTSTAMP_TX_ON, HWTSTAMP_FILTER_PTP_V2_L4_SYNC));
	EXPECT_EQ(HWTSTAMP_FILTER_ALL,
		  hwtstamp_set(NS_B, DEV_B, HWTSTAMP_TX_ON, HWTSTAMP_FILTER_PTP_V1_L4_EVENT));
	/* one-step Sync and P2P are tsnic_onestep.sh's; past them, nothing */
	EXPECT_EQ(-ERANGE,
		  hwtstamp_set(NS_B, DEV_B, HWTSTAMP_TX_ONESTEP_P2P + 1, HWTSTAMP_FILTER_ALL));
	EXPECT_EQ(-ERANGE, hwtstamp_set(NS_B, DEV_B, 77, HWTSTAMP_FILTER_ALL));
	EXPECT_EQ(-ERANGE, hwtstamp_set(NS_B, DEV_B, HWTSTAMP_TX_ON, 999));
}

/* L2 PTP over packet sockets: TX stamp, and PTP_V2_EVENT's classifier. */
static int packet_socket(const char *ns, const char *dev, unsigned int flags)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	int fd = ns_socket(ns, AF_PACKET, SOCK_RAW, htons(ETH_P_1588));

	ll.sll_protocol = htons(ETH_P_1588);
	ll.sll_ifindex = -1;
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)))
		return -1;
	/* the interface index is namespace-local: look it up there */
	{
		struct ifreq ifr = {};

		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev);
		if (ioctl(fd, SIOCGIFINDEX, &ifr))
			return -1;
		ll.sll_ifindex = ifr.ifr_ifindex;
	}
	if (bind(fd, (void *)&ll, sizeof(ll)))
		return -1;
	return fd;
}

static void send_ptp(int fd, int msgtype)
{
	unsigned char f[14 + 44] = {
		0x01, 0x1b, 0x19, 0x00, 0x00, 0x00,	/* PTP L2 multicast */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x88, 0xf7,
	};

	f[14] = msgtype;	/* messageType */
	f[15] = 2;		/* versionPTP */
	f[17] = 44;		/* messageLength */
	if (send(fd, f, sizeof(f), 0) != sizeof(f))
		perror("send ptp");
}

TEST_F_TIMEOUT(pair, packet_socket_ptp_l2, 180)
{
	int tx = packet_socket(NS_A, DEV_A, TX_ALL);
	int rx = packet_socket(NS_B, DEV_B, RX_ALL);
	struct scm_timestamping r;
	struct txts t = {};

	ASSERT_LE(0, tx);
	ASSERT_LE(0, rx);
	ASSERT_EQ(HWTSTAMP_FILTER_PTP_V2_EVENT,
		  hwtstamp_set(NS_B, DEV_B, HWTSTAMP_TX_ON, HWTSTAMP_FILTER_PTP_V2_EVENT));
	send_ptp(tx, 0x0);	/* Sync: an event message */
	ASSERT_EQ(0, recv_ts(rx, &r, 2000));
	EXPECT_NE(0, ts_ns(r.ts[2]));
	send_ptp(tx, 0xb);	/* Announce: a general message */
	ASSERT_EQ(0, recv_ts(rx, &r, 2000));
	EXPECT_EQ(0, ts_ns(r.ts[2]));
	read_errqueue(tx, 500, &t);
	EXPECT_EQ(1, t.hw[0]);
	EXPECT_EQ(1, t.hw[1]);
	close(tx);
	close(rx);
}

/*
 * Without OPT_TSONLY the error queue gets a clone of the frame, whose
 * skb_shared_info (where hardware stamps live) is the frame's: the frame
 * on the wire must not carry the sender's TX stamp to the receiver, nor
 * the receiver's RX stamp back into the sender's error queue.
 */
TEST_F_TIMEOUT(pair, packet_socket_stamps_stay_apart, 180)
{
	int tx = packet_socket(NS_A, DEV_A, TX_ALL & ~SOF_TIMESTAMPING_OPT_TSONLY);
	int rx = packet_socket(NS_B, DEV_B, RX_ALL);
	struct scm_timestamping sync, announce;
	struct txts t = {};

	ASSERT_LE(0, tx);
	ASSERT_LE(0, rx);
	ASSERT_EQ(HWTSTAMP_FILTER_PTP_V2_EVENT,
		  hwtstamp_set(NS_B, DEV_B, HWTSTAMP_TX_ON, HWTSTAMP_FILTER_PTP_V2_EVENT));
	send_ptp(tx, 0x0);	/* Sync: stamped by both ends */
	ASSERT_EQ(0, recv_ts(rx, &sync, 2000));
	send_ptp(tx, 0xb);	/* Announce: stamped by the sender only */
	ASSERT_EQ(0, recv_ts(rx, &announce, 2000));
	read_errqueue(tx, 500, &t);
	ASSERT_EQ(1, t.hw[0]);
	ASSERT_EQ(1, t.hw[1]);
	ASSERT_NE(0, ts_ns(sync.ts[2]));
	/* the receiver's stamp is its own, not the sender's */
	EXPECT_NE(ts_ns(t.hwts[0]), ts_ns(sync.ts[2]));
	/* a frame the receiver does not stamp arrives with no stamp at all */
	EXPECT_EQ(0, ts_ns(announce.ts[2]));
	TH_LOG("sync: tx hw %lld, rx hw %lld; announce: tx hw %lld, rx hw %lld",
	       ts_ns(t.hwts[0]), ts_ns(sync.ts[2]), ts_ns(t.hwts[1]),
	       ts_ns(announce.ts[2]));
	close(tx);
	close(rx);
}

/* ---- a slow line (100 kbit/s) and a single timestamp slot ----------------- */

FIXTURE(slow) {
	int sink;
};

/*
 * Frames must wait on the ring, not in the qdisc: BQL would otherwise
 * (rightly) hold them back at this rate, so its limit is raised, and a
 * plain FIFO replaces fq_codel, which would drop what waits that long.
 */
FIXTURE_SETUP(slow)
{
	ASSERT_EQ(0, setup_pair("freq_random_ppb=0 rate=100000 ts_slots=1 ts_timeout_ms=1000", 0));
	ASSERT_EQ(0, run("ip netns exec " NS_A " sh -c 'echo 1000000 > "
			 "/sys/class/net/" DEV_A "/queues/tx-0/byte_queue_limits/limit_min'"));
	ASSERT_EQ(0, run("ip netns exec " NS_A " tc qdisc replace dev " DEV_A " root pfifo"));
	/* BQL applies limit_min at its next completion: complete one frame */
	ASSERT_EQ(0, run("ip netns exec " NS_A " ping -c 1 -W 5 " IP_B " >/dev/null"));
	ASSERT_EQ(HWTSTAMP_FILTER_ALL,
		  hwtstamp_set(NS_A, DEV_A, HWTSTAMP_TX_ON, HWTSTAMP_FILTER_ALL));
	self->sink = udp_receiver_on(0, PORT);
	ASSERT_LE(0, self->sink);
}

FIXTURE_TEARDOWN(slow)
{
	close(self->sink);
	teardown_pair();
}

/*
 * The tests below hold their frames in stalled engines (the stall fault,
 * on every TX queue: the socket's may be any) rather than behind wire
 * time: what must happen while a slot is pending happens while the test
 * can see it pending, however slow the guest.
 */
static int stall_all(int on)
{
	return run("ip netns exec " NS_A " sh -c 'n=$(ls -d /sys/class/net/" DEV_A
		   "/queues/tx-* | wc -l); tsnic fault set " DEV_A
		   " stalled-queues $((%d ? (1 << n) - 1 : 0))'", on);
}

/* Poll counter @name until it is @want or @secs pass; its last value. */
static long long wait_stat(const char *name, long long want, int secs)
{
	long long v = -1;
	int i;

	for (i = 0; i < secs * 10; i++) {
		v = ethtool_stat(NS_A, DEV_A, name);
		if (v == want)
			break;
		usleep(100000);
	}
	return v;
}

/* One slot: while it is busy, further requests are skipped and counted. */
TEST_F_TIMEOUT(slow, slots_exhausted, 180)
{
	long long before = ethtool_stat(NS_A, DEV_A, "tx_hwtstamp_skipped");
	struct txts t = {};
	int fd = udp_sender(TX_ALL);
	int i, hw = 0;

	ASSERT_LE(0, fd);
	/* the slot outlives the stall, however long the test takes */
	ASSERT_EQ(0, run("tsnic -n " NS_A " dev set " DEV_A " ts-timeout 60s"));
	ASSERT_EQ(0, stall_all(1));
	/* the first frame holds the slot until it is sent: not before */
	send_n(fd, 4, 1000, 0);
	EXPECT_EQ(before + 3, wait_stat("tx_hwtstamp_skipped", before + 3, 30));
	EXPECT_EQ(1, ethtool_stat(NS_A, DEV_A, "tx_hwtstamp_pending"));
	ASSERT_EQ(0, stall_all(0));
	EXPECT_EQ(1, wait_stat("tx_hwtstamp_delivered", 1, 30));
	read_errqueue(fd, 500, &t);
	for (i = 0; i < 4; i++)
		hw += t.hw[i];
	EXPECT_EQ(1, t.hw[0]);
	EXPECT_EQ(1, hw);
	EXPECT_EQ(3, ethtool_stat(NS_A, DEV_A, "tx_hwtstamp_skipped") - before);
	close(fd);
}

/* A frame that cannot leave within the timeout: the slot is reclaimed. */
TEST_F_TIMEOUT(slow, timeout_reclaims_slot, 180)
{
	struct txts t = {};
	int fd = udp_sender(TX_ALL);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, stall_all(1));
	send_n(fd, 1, 100, 0);
	/* held in the stall for as long as it takes: the 1 s timeout fires */
	EXPECT_EQ(1, wait_stat("tx_hwtstamp_timeouts", 1, 60));
	EXPECT_EQ(0, ethtool_stat(NS_A, DEV_A, "tx_hwtstamp_pending"));
	ASSERT_EQ(0, stall_all(0));
	/* the slot is free again: the next request gets a stamp */
	send_n(fd, 1, 100, 0);
	EXPECT_EQ(1, wait_stat("tx_hwtstamp_delivered", 1, 30));
	read_errqueue(fd, 500, &t);
	EXPECT_EQ(0, t.hw[0]);
	EXPECT_EQ(1, t.hw[1]);
	EXPECT_EQ(1, ethtool_stat(NS_A, DEV_A, "tx_hwtstamp_timeouts"));
	close(fd);
}

/*
 * A clock step while a stamp is pending makes that stamp stale.  The frame
 * waits in a stalled engine and the slot's timeout is out of reach, so
 * the step provably falls between the request and the stamp's delivery.
 */
TEST_F_TIMEOUT(slow, step_discards_stale, 180)
{
	struct timespec zero = { .tv_sec = 1000 };
	int fd = udp_sender(TX_ALL);
	struct txts t = {};
	char path[32];
	int phc;

	ASSERT_LE(0, fd);
	snprintf(path, sizeof(path), "/dev/ptp%d", phc_index(NS_A, DEV_A));
	phc = open(path, O_RDWR);
	ASSERT_LE(0, phc);
	ASSERT_EQ(0, run("tsnic -n " NS_A " dev set " DEV_A " ts-timeout 60s"));
	ASSERT_EQ(0, stall_all(1));
	send_n(fd, 1, 100, 0);
	ASSERT_EQ(1, wait_stat("tx_hwtstamp_pending", 1, 30));
	ASSERT_EQ(0, clock_settime(FD_TO_CLOCKID(phc), &zero));
	ASSERT_EQ(0, stall_all(0));
	EXPECT_EQ(1, wait_stat("tx_hwtstamp_stale", 1, 30));
	read_errqueue(fd, 500, &t);
	EXPECT_EQ(0, t.hw[0]);
	EXPECT_EQ(0, ethtool_stat(NS_A, DEV_A, "tx_hwtstamp_delivered"));
	EXPECT_EQ(0, ethtool_stat(NS_A, DEV_A, "tx_hwtstamp_timeouts"));
	close(phc);
	close(fd);
}

TEST_HARNESS_MAIN
