// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the "tsnic" generic netlink family: tens of thousands of random and
 * mutated requests (known and unknown commands, random flags and header
 * fields, random attribute types, lengths and nesting, truncated and lying
 * headers, several messages per datagram), as root and as an unprivileged
 * user.  The kernel must survive them (run_tests.sh fails the test on any
 * WARN, oops, KASAN or kmemleak report), an unprivileged user must change
 * nothing, and afterwards the fuzzed device must still answer DEV_GET and
 * QUEUE_GET and carry a ping to its peer.
 *
 * The generator is seeded from TSNIC_FUZZ_SEED, or the clock; the seed is
 * printed so that a failure replays.  TSNIC_FUZZ_ITERS sets the number of
 * requests of each phase.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/tsnic.h>

#include "kselftest_harness.h"

#pragma GCC diagnostic ignored "-Wclobbered"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define FUZZ_ITERS_DEFAULT	25000
#define FUZZ_BUF		2048

/* ---- a deterministic generator (xorshift64*) ---------------------------- */

static __u64 rng_state;

static __u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* uniform in [0, n) */
static unsigned int rnd_below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int percent)
{
	return rnd_below(100) < percent;
}

/* ---- netlink plumbing --------------------------------------------------- */

static int nl_open(void)
{
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

/* The family id of "tsnic", or -1. */
static int nl_family(int fd)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char buf[64];
	} req = {};
	static char buf[8192];
	struct nlattr *a;
	int len;

	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	a = (struct nlattr *)req.buf;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(TSNIC_FAMILY_NAME);
	memcpy((char *)a + NLA_HDRLEN, TSNIC_FAMILY_NAME, sizeof(TSNIC_FAMILY_NAME));
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(a->nla_len);
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0)
		return -1;
	len = recv(fd, buf, sizeof(buf), 0);
	if (len < (int)NLMSG_LENGTH(GENL_HDRLEN))
		return -1;
	{
		struct nlmsghdr *n = (struct nlmsghdr *)buf;
		int rem = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

		if (n->nlmsg_type == NLMSG_ERROR)
			return -1;
		a = (struct nlattr *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);
		while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
		       a->nla_len <= rem) {
			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				return *(__u16 *)((char *)a + NLA_HDRLEN);
			rem -= NLA_ALIGN(a->nla_len);
			a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
		}
	}
	return -1;
}

struct fuzz_stats {
	long sent;
	long acks_ok;		/* NLMSG_ERROR with 0, or a reply */
	long errors;		/* NLMSG_ERROR or NLMSG_DONE < 0 */
	long dumps_done;
	long set_ok;		/* DEV_SET that succeeded */
	long send_fail;
};

/*
 * Read everything the kernel has for us.  Requests are handled inside
 * send(), and each recv() makes a dump's next skb: read without waiting
 * until nothing is left.
 */
static void drain(int fd, __u32 seq, int cmd, struct fuzz_stats *st)
{
	static char buf[65536];

	for (;;) {
		int len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *n = (struct nlmsghdr *)buf;

		if (len <= 0)
			return;
		for (; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(n);

				if (e->error) {
					st->errors++;
				} else {
					st->acks_ok++;
					if (n->nlmsg_seq == seq &&
					    cmd == TSNIC_CMD_DEV_SET)
						st->set_ok++;
				}
			} else if (n->nlmsg_type == NLMSG_DONE) {
				st->dumps_done++;
				if (*(int *)NLMSG_DATA(n) < 0)
					st->errors++;
			} else {
				st->acks_ok++;
			}
		}
	}
}

/* ---- message generation ------------------------------------------------- */

struct target {
	int family;
	int ifindex;		/* the fuzzed device */
	char name[IFNAMSIZ];
};

struct msg {
	char buf[FUZZ_BUF];
	int len;
};

static void *msg_put(struct msg *m, int bytes)
{
	void *p;

	if (m->len + NLA_ALIGN(bytes) > FUZZ_BUF)
		return NULL;
	p = m->buf + m->len;
	memset(p, 0, NLA_ALIGN(bytes));
	m->len += NLA_ALIGN(bytes);
	return p;
}

/* an interesting 32-bit value */
static __u32 rnd_u32(const struct target *t)
{
	static const __u32 edge[] = {
		0, 1, 2, 3, 15, 16, 63, 64, 65, 255, 256, 4095, 4096, 4097,
		10000, 10001, 60000, 60001, 1000000, 1000001, 1000000000,
		1000000001, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};

	switch (rnd_below(4)) {
	case 0:
		return edge[rnd_below(sizeof(edge) / sizeof(edge[0]))];
	case 1:
		return t->ifindex + rnd_below(3) - 1;
	case 2:
		return rnd_below(8);
	default:
		return rnd();
	}
}

static void put_payload(struct nlattr *a, int len, const struct target *t)
{
	char *p = (char *)a + NLA_HDRLEN;
	int i;

	switch (len) {
	case 4: {
		__u32 v = rnd_u32(t);

		memcpy(p, &v, 4);
		return;
	}
	case 8: {
		__u64 v = chance(50) ? rnd_u32(t) : rnd();

		memcpy(p, &v, 8);
		return;
	}
	default:
		break;
	}
	if (len >= 2 && chance(40)) {
		/* a string: the device's name, another one, or junk */
		const char *names[] = { t->name, "lo", "nosuchdev", "" };
		const char *s = names[rnd_below(4)];
		int n = strlen(s);

		if (n > len)
			n = len;
		memcpy(p, s, n);
		if (chance(80))
			p[len - 1] = 0;
		return;
	}
	for (i = 0; i < len; i++)
		p[i] = rnd();
}

static int rnd_attr_len(void)
{
	static const int lens[] = { 0, 1, 2, 3, 4, 4, 4, 5, 7, 8, 8, 9, 12,
				    15, 16, 17, 31 };

	if (chance(10))
		return rnd_below(200);
	return lens[rnd_below(sizeof(lens) / sizeof(lens[0]))];
}

/* Random attributes, nested up to @depth more levels. */
static void put_attrs(struct msg *m, const struct target *t, int depth)
{
	int n = rnd_below(8), i;

	for (i = 0; i < n; i++) {
		int type = chance(85) ? 1 + rnd_below(TSNIC_A_STATS_MAX + 2) :
					rnd_below(0x4000);
		struct nlattr *a;

		if (depth > 0 && chance(20)) {
			int start;

			a = msg_put(m, NLA_HDRLEN);
			if (!a)
				return;
			start = (char *)a - m->buf;
			a->nla_type = type | (chance(90) ? NLA_F_NESTED : 0);
			put_attrs(m, t, depth - 1);
			a = (struct nlattr *)(m->buf + start);
			a->nla_len = m->len - start;
			continue;
		}
		{
			int len = rnd_attr_len();

			a = msg_put(m, NLA_HDRLEN + len);
			if (!a)
				return;
			a->nla_type = type;
			if (chance(3))
				a->nla_type |= chance(50) ? NLA_F_NESTED :
							    NLA_F_NET_BYTEORDER;
			a->nla_len = NLA_HDRLEN + len;
			put_payload(a, len, t);
		}
	}
}

/* A well-formed request of a known command, to be mutated. */
static void valid_request(struct msg *m, const struct target *t, int *cmd)
{
	struct nlattr *a, *nest;
	__u64 v64;
	int start;

	*cmd = 1 + rnd_below(TSNIC_CMD_MAX);
	a = msg_put(m, NLA_HDRLEN + 4);
	a->nla_type = chance(50) ? TSNIC_A_DEV_IFINDEX : TSNIC_A_QUEUE_IFINDEX;
	a->nla_len = NLA_HDRLEN + 4;
	memcpy((char *)a + NLA_HDRLEN, &t->ifindex, 4);
	switch (*cmd) {
	case TSNIC_CMD_DEV_SET:
		a = msg_put(m, NLA_HDRLEN + 8);
		a->nla_type = TSNIC_A_DEV_RATE_BPS;
		a->nla_len = NLA_HDRLEN + 8;
		v64 = rnd_below(2) ? 1000000000ULL : rnd() % 1000000000000ULL;
		memcpy((char *)a + NLA_HDRLEN, &v64, 8);
		nest = msg_put(m, NLA_HDRLEN);
		start = (char *)nest - m->buf;
		nest->nla_type = TSNIC_A_DEV_OSC | NLA_F_NESTED;
		a = msg_put(m, NLA_HDRLEN + 4);
		a->nla_type = 1 + rnd_below(TSNIC_A_OSC_MAX);
		a->nla_len = NLA_HDRLEN + 4;
		put_payload(a, 4, t);
		nest = (struct nlattr *)(m->buf + start);
		nest->nla_len = m->len - start;
		break;
	case TSNIC_CMD_QUEUE_GET:
	case TSNIC_CMD_RING_DUMP:
		a = msg_put(m, NLA_HDRLEN + 4);
		a->nla_type = TSNIC_A_QUEUE_TYPE;
		a->nla_len = NLA_HDRLEN + 4;
		put_payload(a, 4, t);
		a = msg_put(m, NLA_HDRLEN + 4);
		a->nla_type = TSNIC_A_QUEUE_ID;
		a->nla_len = NLA_HDRLEN + 4;
		*(__u32 *)((char *)a + NLA_HDRLEN) = rnd_below(4);
		break;
	default:
		break;
	}
}

/* Flip, overwrite, cut or lengthen parts of a message's attributes. */
static void mutate(struct msg *m, int hdr)
{
	int n = 1 + rnd_below(4), i;

	for (i = 0; i < n && m->len > hdr; i++) {
		int off = hdr + rnd_below(m->len - hdr);

		switch (rnd_below(4)) {
		case 0:
			m->buf[off] ^= 1 << rnd_below(8);
			break;
		case 1:
			m->buf[off] = rnd();
			break;
		case 2:
			/* cut the message: its last attribute lies */
			m->len = off;
			break;
		default:
			/* an attribute length, off by a little */
			if (off + 2 <= m->len)
				*(__u16 *)(m->buf + off) += rnd_below(9) - 4;
			break;
		}
	}
}

/*
 * One request: a header (sometimes broken), then random or mutated
 * attributes.  Returns the byte count to send and the command in @cmd.
 */
static int build(struct msg *m, const struct target *t, __u32 seq, int *cmd)
{
	struct nlmsghdr *n;
	struct genlmsghdr *g;
	int hdr = NLMSG_LENGTH(GENL_HDRLEN), sendlen;
	bool valid = chance(40);

	memset(m->buf, 0, hdr);
	m->len = hdr;
	n = (struct nlmsghdr *)m->buf;
	g = NLMSG_DATA(n);
	if (valid) {
		valid_request(m, t, cmd);
		mutate(m, hdr);
	} else {
		/* known commands mostly, unknown ones too */
		*cmd = chance(80) ? rnd_below(TSNIC_CMD_MAX + 2) : rnd_below(256);
		put_attrs(m, t, 3);
	}
	n = (struct nlmsghdr *)m->buf;
	g = NLMSG_DATA(n);
	n->nlmsg_type = t->family;
	n->nlmsg_flags = NLM_F_REQUEST;
	if (chance(90))
		n->nlmsg_flags |= NLM_F_ACK;
	if (chance(35))
		n->nlmsg_flags |= NLM_F_DUMP;
	if (chance(3))
		n->nlmsg_flags = rnd();
	n->nlmsg_seq = seq;
	g->cmd = *cmd;
	g->version = chance(95) ? TSNIC_FAMILY_VERSION : rnd();
	g->reserved = chance(95) ? 0 : rnd();
	n->nlmsg_len = m->len;
	sendlen = m->len;
	/* only a request the kernel hands to the family can set anything */
	if (!(n->nlmsg_flags & NLM_F_REQUEST))
		*cmd = -1;

	/* headers that lie about the message, or are cut short */
	switch (chance(8) ? rnd_below(4) : 4) {
	case 0:
		sendlen = rnd_below(hdr);
		*cmd = -1;
		break;
	case 1:
		n->nlmsg_len = rnd_below(hdr);
		*cmd = -1;
		break;
	case 2:
		n->nlmsg_len = m->len + 1 + rnd_below(64);
		*cmd = -1;
		break;
	case 3:
		n->nlmsg_len = NLMSG_HDRLEN + rnd_below(GENL_HDRLEN);
		*cmd = -1;
		break;
	default:
		break;
	}
	return sendlen;
}

/* @iters requests on a socket of our own; counts in @st. */
static int fuzz(const struct target *t, long iters, struct fuzz_stats *st)
{
	static struct msg m[3];
	static char out[3 * FUZZ_BUF];
	int fd = nl_open();
	__u32 seq = 1;
	long i;

	if (fd < 0)
		return -errno;
	for (i = 0; i < iters; i++) {
		int cmd = 0, len = 0, k, msgs = chance(5) ? 2 + rnd_below(2) : 1;

		/* sometimes several requests in one datagram */
		for (k = 0; k < msgs; k++) {
			int l = build(&m[k], t, ++seq, &cmd);

			memcpy(out + len, m[k].buf, l);
			len += NLMSG_ALIGN(l);
		}
		if (send(fd, out, len, 0) < 0) {
			st->send_fail++;
			if (errno == ECONNREFUSED || errno == EBADF)
				break;
		}
		st->sent++;
		drain(fd, seq, msgs == 1 ? cmd : -1, st);
	}
	close(fd);
	return 0;
}

static long fuzz_iters(void)
{
	const char *s = getenv("TSNIC_FUZZ_ITERS");

	return s && atol(s) > 0 ? atol(s) : FUZZ_ITERS_DEFAULT;
}

static __u64 fuzz_seed(const char *phase)
{
	const char *s = getenv("TSNIC_FUZZ_SEED");
	__u64 seed = s ? strtoull(s, NULL, 0) : (__u64)time(NULL) * 2654435761u ^ getpid();

	if (!seed)
		seed = 1;
	fprintf(stderr, "# %s: seed %llu (TSNIC_FUZZ_SEED=%llu replays it)\n",
		phase, (unsigned long long)seed, (unsigned long long)seed);
	return seed;
}

/* ---- the fuzzed device: fzNa here, wired to fzNb in namespace fzN ------- */

FIXTURE(fz) {
	struct target t;
	char peer[IFNAMSIZ];
	char ns[32];
};

static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

FIXTURE_SETUP(fz)
{
	int fd;

	snprintf(self->t.name, sizeof(self->t.name), "fz%da", getpid() % 10000);
	snprintf(self->peer, sizeof(self->peer), "fz%db", getpid() % 10000);
	snprintf(self->ns, sizeof(self->ns), "fz%d", getpid() % 10000);
	ASSERT_EQ(0, sh("ip netns add %s && ip -n %s link set lo up",
			self->ns, self->ns));
	ASSERT_EQ(0, sh("ip link add %s numtxqueues 2 numrxqueues 2 type tsnic && "
			"ip link add %s link %s type tsnic && "
			"ip link set %s netns %s",
			self->t.name, self->peer, self->t.name, self->peer,
			self->ns));
	ASSERT_EQ(0, sh("sysctl -qw net.ipv6.conf.%s.disable_ipv6=1 && "
			"ip netns exec %s sysctl -qw net.ipv6.conf.%s.disable_ipv6=1",
			self->t.name, self->ns, self->peer));
	ASSERT_EQ(0, sh("ip addr add 192.168.93.1/24 dev %s && ip link set %s up && "
			"ip -n %s addr add 192.168.93.2/24 dev %s && "
			"ip -n %s link set %s up",
			self->t.name, self->t.name, self->ns, self->peer,
			self->ns, self->peer));
	self->t.ifindex = if_nametoindex(self->t.name);
	ASSERT_NE(0, self->t.ifindex);
	fd = nl_open();
	ASSERT_LE(0, fd);
	self->t.family = nl_family(fd);
	close(fd);
	ASSERT_LT(0, self->t.family);
}

FIXTURE_TEARDOWN(fz)
{
	sh("ip link del %s 2>/dev/null", self->t.name);
	sh("ip netns del %s 2>/dev/null", self->ns);
}

/* A request, its answer's status (0 or the negative error). */
static int request(const struct target *t, int cmd, int flags, __u64 rate,
		   bool set_rate)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char buf[256];
	} req = {};
	static char buf[65536];
	struct nlattr *a;
	int fd = nl_open(), err = -EIO, msgs = 0;

	if (fd < 0)
		return -errno;
	req.n.nlmsg_type = t->family;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	req.n.nlmsg_seq = 1;
	req.g.cmd = cmd;
	req.g.version = TSNIC_FAMILY_VERSION;
	a = (struct nlattr *)req.buf;
	a->nla_type = cmd == TSNIC_CMD_QUEUE_GET ? TSNIC_A_QUEUE_IFINDEX :
						   TSNIC_A_DEV_IFINDEX;
	a->nla_len = NLA_HDRLEN + 4;
	memcpy((char *)a + NLA_HDRLEN, &t->ifindex, 4);
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_HDRLEN + 4;
	if (set_rate) {
		a = (struct nlattr *)(req.buf + NLA_HDRLEN + 4);
		a->nla_type = TSNIC_A_DEV_RATE_BPS;
		a->nla_len = NLA_HDRLEN + 8;
		memcpy((char *)a + NLA_HDRLEN, &rate, 8);
		req.n.nlmsg_len += NLA_HDRLEN + 8;
	}
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0)
		goto out;
	for (;;) {
		int len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *n = (struct nlmsghdr *)buf;

		if (len <= 0)
			goto out;
		for (; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)NLMSG_DATA(n))->error;
				goto out;
			}
			if (n->nlmsg_type == NLMSG_DONE) {
				err = *(int *)NLMSG_DATA(n) ?: (msgs ? 0 : -ENODATA);
				goto out;
			}
			msgs++;
		}
	}
out:
	close(fd);
	return err;
}

/*
 * Undo what random DEV_SETs may have left: a crawling line rate, a long
 * moderation delay, faults that drop frames or pull the cable.
 */
static void restore(const struct target *t)
{
	static const char *const kinds[] = {
		"ts-drop", "ts-delay", "ts-reorder", "cable-drop",
		"cable-corrupt", "cable-delay", "stall",
	};
	char cmd[1024];
	unsigned int i;
	int n;

	request(t, TSNIC_CMD_DEV_SET, 0, 0, true);
	sh("tsnic dev set %s rate 0 delay 0 tx-usecs 10 tx-frames 32 "
	   "ts-slots 4 ts-timeout 1000 >/dev/null 2>&1", t->name);
	n = snprintf(cmd, sizeof(cmd), "tsnic fault set %s", t->name);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		n += snprintf(cmd + n, sizeof(cmd) - n, " %s-every 0 %s-ppm 0",
			      kinds[i], kinds[i]);
	snprintf(cmd + n, sizeof(cmd) - n,
		 " ts-delay 0 cable-delay 0 cable-jitter 0 cable plugged stalled-queues 0");
	if (sh("%s", cmd))
		fprintf(stderr, "# %s: failed\n", cmd);
}

static void check_alive(struct __test_metadata *_metadata, FIXTURE_DATA(fz) *self)
{
	EXPECT_EQ(0, request(&self->t, TSNIC_CMD_DEV_GET, 0, 0, false));
	EXPECT_EQ(0, request(&self->t, TSNIC_CMD_DEV_GET, NLM_F_DUMP, 0, false));
	EXPECT_EQ(0, request(&self->t, TSNIC_CMD_QUEUE_GET, NLM_F_DUMP, 0, false));
	EXPECT_EQ(0, sh("ping -q -c 3 -i 0.2 -W 5 -I %s 192.168.93.2 >/dev/null",
			self->t.name));
	EXPECT_EQ(0, sh("ip netns exec %s ping -q -c 3 -i 0.2 -W 5 192.168.93.1 >/dev/null",
			self->ns));
}

TEST_F_TIMEOUT(fz, root, 900)
{
	struct fuzz_stats st = {};
	long iters = fuzz_iters();

	/* working before */
	check_alive(_metadata, self);
	rng_state = fuzz_seed("root");
	ASSERT_EQ(0, fuzz(&self->t, iters, &st));
	TH_LOG("%ld requests: %ld replies, %ld errors, %ld dumps ended, %ld sets applied",
	       st.sent, st.acks_ok, st.errors, st.dumps_done, st.set_ok);
	EXPECT_EQ(iters, st.sent);
	/* the family was reached, both ways */
	EXPECT_LT(0, st.acks_ok);
	EXPECT_LT(0, st.errors);
	EXPECT_LT(0, st.dumps_done);
	restore(&self->t);
	check_alive(_metadata, self);
}

/*
 * As a user without CAP_NET_ADMIN (uid 65534: user namespaces cannot be
 * made in the test VM's chroot), nothing is ever set.
 */
TEST_F_TIMEOUT(fz, unprivileged, 900)
{
	struct fuzz_stats *st;
	long iters = fuzz_iters() / 2;
	int status;
	pid_t pid;

	ASSERT_EQ(0, request(&self->t, TSNIC_CMD_DEV_SET, 0, 123456789, true));
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st);
	memset(st, 0, sizeof(*st));
	rng_state = fuzz_seed("unprivileged");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(10);
		/* DEV_SET is refused before its attributes are looked at */
		if (request(&self->t, TSNIC_CMD_DEV_SET, 0, 1, true) != -EPERM)
			_exit(11);
		_exit(fuzz(&self->t, iters, st) ? 12 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	TH_LOG("%ld requests: %ld replies, %ld errors, %ld dumps ended, %ld sets applied",
	       st->sent, st->acks_ok, st->errors, st->dumps_done, st->set_ok);
	EXPECT_EQ(iters, st->sent);
	EXPECT_EQ(0, st->set_ok);
	EXPECT_LT(0, st->acks_ok);
	/* the rate set before is still there: no set got through */
	EXPECT_EQ(0, sh("tsnic -j dev show %s | grep -q '\"rate_bps\":123456789,'",
			self->t.name));
	restore(&self->t);
	check_alive(_metadata, self);
	munmap(st, sizeof(*st));
}

TEST_HARNESS_MAIN
