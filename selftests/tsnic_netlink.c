// SPDX-License-Identifier: GPL-2.0
/*
 * The "tsnic" generic netlink family, spoken directly over a raw netlink
 * socket: DEV_GET do and dump, DEV_SET of every attribute at and beyond
 * its bounds, malformed requests, lookups that must fail, permissions in a
 * user namespace, QUEUE_GET against ethtool's view, RING_DUMP of a full
 * 4096-descriptor ring across many skbs and interrupted by a resize, and
 * the events group.
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <grp.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <unistd.h>

#include <linux/tsnic.h>

#include "kselftest_harness.h"

/*
 * The harness's 30 s per test is too short in a TCG guest sharing its CPUs
 * (a full ring dump, the events round trip): these tests check behaviour,
 * not time.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 300

/*
 * GCC inlines the larger test bodies into the harness's wrapper and then
 * warns about the wrapper's own locals around its fork(); they are fine.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* ---- a minimal generic netlink client ----------------------------------- */

struct gnl {
	int fd;
	int family;
	int events_group;
	__u32 seq;
	/* the last error's extended ack */
	char ext_msg[256];
	int ext_offs;		/* offset of the bad attribute, or 0 */
	int ext_miss;		/* type of a missing attribute, or -1 */
};

struct req {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char buf[2048];
};

static struct nlattr *req_tail(struct req *r)
{
	return (struct nlattr *)((char *)r + NLMSG_ALIGN(r->n.nlmsg_len));
}

static void req_init(struct req *r, int family, int cmd, int flags)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->n.nlmsg_type = family;
	r->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->g.cmd = cmd;
	r->g.version = TSNIC_FAMILY_VERSION;
}

static void put(struct req *r, int type, const void *data, int len)
{
	struct nlattr *a = req_tail(r);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void put_u32(struct req *r, int type, __u32 v)
{
	put(r, type, &v, sizeof(v));
}

static void put_u64(struct req *r, int type, __u64 v)
{
	put(r, type, &v, sizeof(v));
}

static void put_str(struct req *r, int type, const char *s)
{
	put(r, type, s, strlen(s) + 1);
}

static struct nlattr *nest_start(struct req *r, int type)
{
	struct nlattr *a = req_tail(r);

	put(r, type | NLA_F_NESTED, NULL, 0);
	return a;
}

static void nest_end(struct req *r, struct nlattr *a)
{
	a->nla_len = (char *)r + r->n.nlmsg_len - (char *)a;
}

/* attribute @type among the attributes at @a (@len bytes), or NULL */
static struct nlattr *attr_find(struct nlattr *a, int len, int type)
{
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

static void *attr_data(struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static int attr_len(struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

struct msgattrs {
	struct nlattr *first;
	int len;
};

static struct msgattrs genl_attrs(struct nlmsghdr *n)
{
	struct msgattrs m = {
		.first = (struct nlattr *)((char *)NLMSG_DATA(n) + GENL_HDRLEN),
		.len = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN),
	};
	return m;
}

static void parse_ext(struct gnl *nl, struct nlmsghdr *n, void *tlvs, int len)
{
	struct nlattr *a;

	if (!(n->nlmsg_flags & NLM_F_ACK_TLVS) || len <= 0)
		return;
	a = attr_find(tlvs, len, NLMSGERR_ATTR_MSG);
	if (a)
		snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%s",
			 (char *)attr_data(a));
	a = attr_find(tlvs, len, NLMSGERR_ATTR_OFFS);
	if (a)
		nl->ext_offs = *(__u32 *)attr_data(a);
	a = attr_find(tlvs, len, NLMSGERR_ATTR_MISS_TYPE);
	if (a)
		nl->ext_miss = *(__u32 *)attr_data(a);
}

typedef void (*reply_fn)(struct nlmsghdr *n, void *arg);
typedef void (*between_fn)(void *arg);

/* How a request is answered: what to call, and what was seen. */
struct exchange {
	reply_fn fn;		/* on each reply message, or NULL */
	void *arg;
	between_fn between;	/* once the first skb of replies was read */
	void *between_arg;
	int recvs;		/* out: skbs the replies came in */
	int intr;		/* out: messages marked NLM_F_DUMP_INTR */
};

/*
 * Send @r and read its replies up to the ack, the error or the end of the
 * dump; returns 0 or the negative error, with the extended ack in @nl.
 */
static int exchange(struct gnl *nl, struct req *r, struct exchange *x)
{
	static char buf[65536];
	int err = 0;

	nl->ext_msg[0] = 0;
	nl->ext_offs = 0;
	nl->ext_miss = -1;
	r->n.nlmsg_seq = ++nl->seq;
	if (send(nl->fd, r, r->n.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		int len = recv(nl->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *n = (struct nlmsghdr *)buf;

		if (len < 0)
			return -errno;
		if (x->recvs++ == 0 && x->between)
			x->between(x->between_arg);
		for (; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_seq != nl->seq)
				continue;
			if (n->nlmsg_flags & NLM_F_DUMP_INTR)
				x->intr++;
			if (n->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(n);
				int off = sizeof(*e);

				if (!(n->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				off = NLMSG_ALIGN(off);
				parse_ext(nl, n, (char *)e + off,
					  n->nlmsg_len - NLMSG_HDRLEN - off);
				return e->error;
			}
			if (n->nlmsg_type == NLMSG_DONE) {
				err = *(int *)NLMSG_DATA(n);
				if (err)
					parse_ext(nl, n, (char *)NLMSG_DATA(n) + 4,
						  n->nlmsg_len - NLMSG_HDRLEN - 4);
				return err;
			}
			if (x->fn)
				x->fn(n, x->arg);
		}
	}
}

/* Send @r, call @fn on each reply; returns 0 or the negative error. */
static int talk(struct gnl *nl, struct req *r, reply_fn fn, void *arg)
{
	struct exchange x = { .fn = fn, .arg = arg };

	return exchange(nl, r, &x);
}

static void resolve_reply(struct nlmsghdr *n, void *arg)
{
	struct gnl *nl = arg;
	struct msgattrs m = genl_attrs(n);
	struct nlattr *a, *grps, *g;
	int rem;

	a = attr_find(m.first, m.len, CTRL_ATTR_FAMILY_ID);
	if (a)
		nl->family = *(__u16 *)attr_data(a);
	grps = attr_find(m.first, m.len, CTRL_ATTR_MCAST_GROUPS);
	if (!grps)
		return;
	g = attr_data(grps);
	rem = attr_len(grps);
	while (rem >= NLA_HDRLEN && g->nla_len >= NLA_HDRLEN) {
		struct nlattr *name = attr_find(attr_data(g), attr_len(g),
						CTRL_ATTR_MCAST_GRP_NAME);
		struct nlattr *id = attr_find(attr_data(g), attr_len(g),
					      CTRL_ATTR_MCAST_GRP_ID);

		if (name && id && !strcmp(attr_data(name), TSNIC_MCGRP_EVENTS))
			nl->events_group = *(__u32 *)attr_data(id);
		rem -= NLA_ALIGN(g->nla_len);
		g = (struct nlattr *)((char *)g + NLA_ALIGN(g->nla_len));
	}
}

static int gnl_open(struct gnl *nl)
{
	struct req r;
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	req_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	r.g.version = 1;
	put_str(&r, CTRL_ATTR_FAMILY_NAME, TSNIC_FAMILY_NAME);
	return talk(nl, &r, resolve_reply, nl) ?: (nl->family ? 0 : -ENOENT);
}

/* ---- replies ------------------------------------------------------------ */

/* The attributes of a device or queue, as read from a reply. */
struct obj {
	int count;		/* replies seen (matching the filter) */
	int match_ifindex;	/* dumps: only this device, 0: any */
	int total;		/* dumps: all replies */
	long long u32[TSNIC_A_DEV_MAX + TSNIC_A_QUEUE_MAX + 2];	/* u32/u8 values */
	bool has[TSNIC_A_DEV_MAX + TSNIC_A_QUEUE_MAX + 2];
	__u64 rate;
	__s32 freq;
	__u32 wander, jitter;
	__u64 stats[TSNIC_A_STATS_MAX + 1];
	bool has_stats[TSNIC_A_STATS_MAX + 1];
	char name[IFNAMSIZ];
	int ntf_cmd;
};

static void obj_read(struct nlmsghdr *n, void *arg)
{
	struct genlmsghdr *g = NLMSG_DATA(n);
	struct msgattrs m = genl_attrs(n);
	bool queue = g->cmd == TSNIC_CMD_QUEUE_GET;
	struct obj *o = arg;
	struct nlattr *a;
	int type, ifindex_attr, stats_attr;

	o->total++;
	ifindex_attr = queue ? TSNIC_A_QUEUE_IFINDEX : TSNIC_A_DEV_IFINDEX;
	a = attr_find(m.first, m.len, ifindex_attr);
	if (o->match_ifindex && (!a || *(__u32 *)attr_data(a) != (__u32)o->match_ifindex))
		return;
	o->count++;
	o->ntf_cmd = g->cmd;
	memset(o->has, 0, sizeof(o->has));
	memset(o->has_stats, 0, sizeof(o->has_stats));
	for (type = 1; type <= (queue ? TSNIC_A_QUEUE_MAX : TSNIC_A_DEV_MAX); type++) {
		a = attr_find(m.first, m.len, type);
		if (!a)
			continue;
		o->has[type] = true;
		if (attr_len(a) == 4)
			o->u32[type] = *(__u32 *)attr_data(a);
		else if (attr_len(a) == 1)
			o->u32[type] = *(__u8 *)attr_data(a);
	}
	if (!queue) {
		a = attr_find(m.first, m.len, TSNIC_A_DEV_IFNAME);
		if (a)
			snprintf(o->name, sizeof(o->name), "%s", (char *)attr_data(a));
		a = attr_find(m.first, m.len, TSNIC_A_DEV_RATE_BPS);
		if (a)
			memcpy(&o->rate, attr_data(a), 8);
		a = attr_find(m.first, m.len, TSNIC_A_DEV_OSC);
		if (a) {
			struct nlattr *x;

			x = attr_find(attr_data(a), attr_len(a), TSNIC_A_OSC_FREQ_PPB);
			o->freq = x ? *(__s32 *)attr_data(x) : 0x7fffffff;
			x = attr_find(attr_data(a), attr_len(a), TSNIC_A_OSC_WANDER_PPB);
			o->wander = x ? *(__u32 *)attr_data(x) : ~0u;
			x = attr_find(attr_data(a), attr_len(a), TSNIC_A_OSC_JITTER_NS);
			o->jitter = x ? *(__u32 *)attr_data(x) : ~0u;
		}
	}
	stats_attr = queue ? TSNIC_A_QUEUE_STATS : TSNIC_A_DEV_STATS;
	a = attr_find(m.first, m.len, stats_attr);
	if (a) {
		for (type = 1; type <= TSNIC_A_STATS_MAX; type++) {
			struct nlattr *s = attr_find(attr_data(a), attr_len(a), type);

			if (s && attr_len(s) == 8) {
				memcpy(&o->stats[type], attr_data(s), 8);
				o->has_stats[type] = true;
			}
		}
	}
}

/* ---- fixture: a wired pair, tsnlNa <-> tsnlNb, two queues each ---------- */

FIXTURE(nl) {
	struct gnl nl;
	char a[IFNAMSIZ], b[IFNAMSIZ];
	int ia, ib;
};

static int run(const char *fmt, const char *a, const char *b)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return system(cmd);
}

FIXTURE_SETUP(nl)
{
	snprintf(self->a, sizeof(self->a), "tsnl%da", getpid() % 10000);
	snprintf(self->b, sizeof(self->b), "tsnl%db", getpid() % 10000);
	ASSERT_EQ(0, run("ip link add %s numtxqueues 2 numrxqueues 2 type tsnic%s",
			 self->a, ""));
	ASSERT_EQ(0, run("ip link add %s numtxqueues 2 numrxqueues 2 link %s type tsnic",
			 self->b, self->a));
	/* no IPv6 chatter: the tests that count descriptors see only theirs */
	ASSERT_EQ(0, run("sysctl -qw net.ipv6.conf.%s.disable_ipv6=1 && "
			 "sysctl -qw net.ipv6.conf.%s.disable_ipv6=1",
			 self->a, self->b));
	ASSERT_EQ(0, run("ip link set %s up && ip link set %s up", self->a, self->b));
	self->ia = if_nametoindex(self->a);
	self->ib = if_nametoindex(self->b);
	ASSERT_NE(0, self->ia);
	ASSERT_NE(0, self->ib);
	ASSERT_EQ(0, gnl_open(&self->nl));
}

FIXTURE_TEARDOWN(nl)
{
	if (run("ip link del %s 2>/dev/null%s", self->a, ""))
		TH_LOG("deleting %s failed", self->a);
	close(self->nl.fd);
}

static int dev_get(struct gnl *nl, const char *name, int ifindex, struct obj *o)
{
	struct req r;

	memset(o, 0, sizeof(*o));
	req_init(&r, nl->family, TSNIC_CMD_DEV_GET, 0);
	if (name)
		put_str(&r, TSNIC_A_DEV_IFNAME, name);
	if (ifindex)
		put_u32(&r, TSNIC_A_DEV_IFINDEX, ifindex);
	return talk(nl, &r, obj_read, o);
}

TEST_F(nl, dev_get_do)
{
	struct obj o;

	ASSERT_EQ(0, dev_get(&self->nl, self->a, 0, &o));
	ASSERT_EQ(1, o.count);
	EXPECT_STREQ(self->a, o.name);
	EXPECT_EQ(self->ia, o.u32[TSNIC_A_DEV_IFINDEX]);
	EXPECT_EQ(self->ib, o.u32[TSNIC_A_DEV_PEER_IFINDEX]);
	EXPECT_FALSE(o.has[TSNIC_A_DEV_PEER_NETNSID]);
	EXPECT_EQ(2, o.u32[TSNIC_A_DEV_TX_QUEUES]);
	EXPECT_EQ(2, o.u32[TSNIC_A_DEV_RX_QUEUES_MAX]);
	EXPECT_EQ(256, o.u32[TSNIC_A_DEV_TX_RING]);
	EXPECT_TRUE(o.has[TSNIC_A_DEV_PHC_INDEX]);
	EXPECT_TRUE(o.has[TSNIC_A_DEV_TS_SLOTS]);
	EXPECT_TRUE(o.has[TSNIC_A_DEV_HWTSTAMP_TX_TYPE]);
	EXPECT_TRUE(o.has_stats[TSNIC_A_STATS_TX_PACKETS]);
	EXPECT_TRUE(o.has_stats[TSNIC_A_STATS_RX_DROPS_LENGTH]);
	EXPECT_TRUE(o.has_stats[TSNIC_A_STATS_TX_TIMEOUT_RESETS]);

	/* by ifindex, which wins over a name */
	ASSERT_EQ(0, dev_get(&self->nl, "nosuchdev", self->ib, &o));
	EXPECT_STREQ(self->b, o.name);
	EXPECT_EQ(self->ia, o.u32[TSNIC_A_DEV_PEER_IFINDEX]);
}

TEST_F(nl, dev_get_dump)
{
	struct obj o = {};
	struct req r;

	req_init(&r, self->nl.family, TSNIC_CMD_DEV_GET, NLM_F_DUMP);
	o.match_ifindex = self->ia;
	ASSERT_EQ(0, talk(&self->nl, &r, obj_read, &o));
	EXPECT_EQ(1, o.count);
	EXPECT_LE(2, o.total);
	o.total = 0;
	o.count = 0;
	o.match_ifindex = self->ib;
	ASSERT_EQ(0, talk(&self->nl, &r, obj_read, &o));
	EXPECT_EQ(1, o.count);
}

TEST_F(nl, dev_get_errors)
{
	struct obj o;
	struct req r;

	EXPECT_EQ(-ENODEV, dev_get(&self->nl, "nosuchdev0", 0, &o));
	EXPECT_NE(NULL, strstr(self->nl.ext_msg, "no such device"));
	EXPECT_NE(0, self->nl.ext_offs);
	EXPECT_EQ(-ENODEV, dev_get(&self->nl, NULL, 0x7ffffff0, &o));
	/* a device of another link kind */
	EXPECT_EQ(-EOPNOTSUPP, dev_get(&self->nl, "lo", 0, &o));
	EXPECT_NE(NULL, strstr(self->nl.ext_msg, "not a tsnic device"));
	/* no device at all */
	EXPECT_EQ(-EINVAL, dev_get(&self->nl, NULL, 0, &o));
	EXPECT_NE(0, self->nl.ext_msg[0]);
	EXPECT_EQ(TSNIC_A_DEV_IFINDEX, self->nl.ext_miss);
	/* a name that is not a string of the right size */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_GET, 0);
	put(&r, TSNIC_A_DEV_IFNAME, "abc", 3);	/* no NUL */
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_GET, 0);
	put_str(&r, TSNIC_A_DEV_IFNAME, "a_name_longer_than_ifnamsiz");
	EXPECT_GT(0, talk(&self->nl, &r, NULL, NULL));
	/* an index of the wrong size */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_GET, 0);
	put_u64(&r, TSNIC_A_DEV_IFINDEX, self->ia);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	EXPECT_NE(0, self->nl.ext_offs);
	/* an attribute DEV_GET does not take */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_GET, 0);
	put_str(&r, TSNIC_A_DEV_IFNAME, self->a);
	put_u64(&r, TSNIC_A_DEV_RATE_BPS, 1);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	/* the reserved header field */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_GET, 0);
	put_str(&r, TSNIC_A_DEV_IFNAME, self->a);
	r.g.reserved = 1;
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	/* a command the family does not have */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_CHANGE_NTF, 0);
	EXPECT_EQ(-EOPNOTSUPP, talk(&self->nl, &r, NULL, NULL));
}

/* ---- DEV_SET ------------------------------------------------------------ */

enum set_kind { S_U32, S_U64, S_OSC_S32, S_OSC_U32 };

struct set_case {
	const char *name;
	int attr;
	enum set_kind kind;
	long long lo, hi;	/* the accepted range */
};

static const struct set_case set_cases[] = {
	{ "rate", TSNIC_A_DEV_RATE_BPS, S_U64, 0, TSNIC_RATE_BPS_MAX },
	{ "delay", TSNIC_A_DEV_DELAY_NS, S_U32, 0, TSNIC_DELAY_NS_MAX },
	{ "tx_usecs", TSNIC_A_DEV_TX_USECS, S_U32, 0, 10000 },
	{ "tx_frames", TSNIC_A_DEV_TX_FRAMES, S_U32, 0, 4096 },
	{ "ts_slots", TSNIC_A_DEV_TS_SLOTS, S_U32, 1, 64 },
	{ "ts_timeout", TSNIC_A_DEV_TS_TIMEOUT_MS, S_U32, 1, TSNIC_TS_TIMEOUT_MS_MAX },
	{ "freq", TSNIC_A_OSC_FREQ_PPB, S_OSC_S32, -TSNIC_FREQ_PPB_MAX, TSNIC_FREQ_PPB_MAX },
	{ "wander", TSNIC_A_OSC_WANDER_PPB, S_OSC_U32, 0, TSNIC_WANDER_PPB_MAX },
	{ "jitter", TSNIC_A_OSC_JITTER_NS, S_OSC_U32, 0, TSNIC_JITTER_NS_MAX },
};

static int dev_set(struct gnl *nl, int ifindex, const struct set_case *c,
		   long long v)
{
	struct nlattr *nest;
	struct req r;

	req_init(&r, nl->family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, ifindex);
	switch (c->kind) {
	case S_U32:
		put_u32(&r, c->attr, v);
		break;
	case S_U64:
		put_u64(&r, c->attr, v);
		break;
	case S_OSC_S32:
	case S_OSC_U32:
		nest = nest_start(&r, TSNIC_A_DEV_OSC);
		put_u32(&r, c->attr, (__u32)v);
		nest_end(&r, nest);
		break;
	}
	return talk(nl, &r, NULL, NULL);
}

static long long readback(const struct obj *o, const struct set_case *c)
{
	switch (c->kind) {
	case S_U64:
		return o->rate;
	case S_U32:
		return o->u32[c->attr];
	default:
		break;
	}
	switch (c->attr) {
	case TSNIC_A_OSC_FREQ_PPB:
		return o->freq;
	case TSNIC_A_OSC_WANDER_PPB:
		return o->wander;
	default:
		return o->jitter;
	}
}

TEST_F(nl, dev_set_bounds)
{
	unsigned int i;
	struct obj o;

	for (i = 0; i < sizeof(set_cases) / sizeof(set_cases[0]); i++) {
		const struct set_case *c = &set_cases[i];
		long long vals[] = { c->lo, c->hi, (c->lo + c->hi) / 2 + 1 };
		unsigned int j;

		for (j = 0; j < 3; j++) {
			ASSERT_EQ(0, dev_set(&self->nl, self->ia, c, vals[j]))
				TH_LOG("%s = %lld: %s", c->name, vals[j],
				       self->nl.ext_msg);
			ASSERT_EQ(0, dev_get(&self->nl, NULL, self->ia, &o));
			EXPECT_EQ(vals[j], readback(&o, c))
				TH_LOG("%s", c->name);
		}
		/* just beyond each end: refused, naming the attribute */
		EXPECT_EQ(-ERANGE, dev_set(&self->nl, self->ia, c, c->hi + 1))
			TH_LOG("%s above its range", c->name);
		EXPECT_NE(0, self->nl.ext_msg[0]);
		EXPECT_NE(0, self->nl.ext_offs);
		if (c->lo > 0 || c->kind == S_OSC_S32) {
			EXPECT_EQ(-ERANGE, dev_set(&self->nl, self->ia, c, c->lo - 1))
				TH_LOG("%s below its range", c->name);
			EXPECT_NE(0, self->nl.ext_offs);
		}
		/* and the value stayed */
		ASSERT_EQ(0, dev_get(&self->nl, NULL, self->ia, &o));
		EXPECT_EQ(vals[2], readback(&o, c));
	}
}

TEST_F(nl, dev_set_atomic)
{
	struct obj before, after;
	struct req r;

	ASSERT_EQ(0, dev_get(&self->nl, self->a, 0, &before));
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_str(&r, TSNIC_A_DEV_IFNAME, self->a);
	put_u64(&r, TSNIC_A_DEV_RATE_BPS, before.rate + 1000000);
	put_u32(&r, TSNIC_A_DEV_TX_USECS, 1);
	put_u32(&r, TSNIC_A_DEV_TS_SLOTS, 65);
	EXPECT_EQ(-ERANGE, talk(&self->nl, &r, NULL, NULL));
	ASSERT_EQ(0, dev_get(&self->nl, self->a, 0, &after));
	EXPECT_EQ(before.rate, after.rate);
	EXPECT_EQ(before.u32[TSNIC_A_DEV_TX_USECS], after.u32[TSNIC_A_DEV_TX_USECS]);
	EXPECT_EQ(before.u32[TSNIC_A_DEV_TS_SLOTS], after.u32[TSNIC_A_DEV_TS_SLOTS]);

	/* several at once, by name; the rest of the oscillator is kept */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_str(&r, TSNIC_A_DEV_IFNAME, self->a);
	put_u64(&r, TSNIC_A_DEV_RATE_BPS, 2500000000ULL);
	put_u32(&r, TSNIC_A_DEV_TS_SLOTS, 2);
	{
		struct nlattr *nest = nest_start(&r, TSNIC_A_DEV_OSC);

		put_u32(&r, TSNIC_A_OSC_JITTER_NS, 7);
		nest_end(&r, nest);
	}
	ASSERT_EQ(0, talk(&self->nl, &r, NULL, NULL));
	ASSERT_EQ(0, dev_get(&self->nl, self->a, 0, &after));
	EXPECT_EQ(2500000000ULL, after.rate);
	EXPECT_EQ(2, after.u32[TSNIC_A_DEV_TS_SLOTS]);
	EXPECT_EQ(7U, after.jitter);
	EXPECT_EQ(before.freq, after.freq);
	EXPECT_EQ(before.wander, after.wander);
}

TEST_F(nl, dev_set_malformed)
{
	struct nlattr *nest;
	struct req r;
	__u16 small = 5;

	/* a u64 sent as u32 */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ia);
	put_u32(&r, TSNIC_A_DEV_RATE_BPS, 1000);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	EXPECT_NE(0, self->nl.ext_offs);
	/* a u32 sent as u16 */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ia);
	put(&r, TSNIC_A_DEV_TX_USECS, &small, sizeof(small));
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	/* read-only attributes are not accepted */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ia);
	put_u32(&r, TSNIC_A_DEV_PHC_INDEX, 3);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ia);
	put_u32(&r, TSNIC_A_DEV_TX_RING, 512);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	/* unknown attribute */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ia);
	put_u32(&r, 200, 1);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	/* the oscillator nest without NLA_F_NESTED, and with junk inside */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ia);
	nest = req_tail(&r);
	put(&r, TSNIC_A_DEV_OSC, NULL, 0);
	put_u32(&r, TSNIC_A_OSC_JITTER_NS, 1);
	nest_end(&r, nest);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ia);
	nest = nest_start(&r, TSNIC_A_DEV_OSC);
	put_u32(&r, TSNIC_A_OSC_MAX + 1, 1);
	nest_end(&r, nest);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	/* a signed frequency as 8 bytes */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ia);
	nest = nest_start(&r, TSNIC_A_DEV_OSC);
	put_u64(&r, TSNIC_A_OSC_FREQ_PPB, 1);
	nest_end(&r, nest);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	/* unknown device, and a device of another kind */
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_str(&r, TSNIC_A_DEV_IFNAME, "nosuchdev0");
	put_u32(&r, TSNIC_A_DEV_TX_USECS, 1);
	EXPECT_EQ(-ENODEV, talk(&self->nl, &r, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->nl.ext_msg, "no such device"));
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_str(&r, TSNIC_A_DEV_IFNAME, "lo");
	put_u32(&r, TSNIC_A_DEV_TX_USECS, 1);
	EXPECT_EQ(-EOPNOTSUPP, talk(&self->nl, &r, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->nl.ext_msg, "not a tsnic device"));
}

/* A DEV_SET of one fault trigger: @kind (< 0: none), then @type = @v. */
static int set_trigger(struct gnl *nl, int ifindex, int kind, int type,
		       __u64 v, int kind2)
{
	struct nlattr *fault, *trig;
	struct req r;

	req_init(&r, nl->family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, ifindex);
	fault = nest_start(&r, TSNIC_A_DEV_FAULT);
	trig = nest_start(&r, TSNIC_A_FAULT_TRIGGER);
	if (kind >= 0)
		put_u32(&r, TSNIC_A_FAULT_TRIGGER_KIND, kind);
	if (type == TSNIC_A_FAULT_TRIGGER_FIRED)
		put_u64(&r, type, v);
	else
		put_u32(&r, type, v);
	nest_end(&r, trig);
	if (kind2 >= 0) {
		trig = nest_start(&r, TSNIC_A_FAULT_TRIGGER);
		put_u32(&r, TSNIC_A_FAULT_TRIGGER_KIND, kind2);
		nest_end(&r, trig);
	}
	nest_end(&r, fault);
	return talk(nl, &r, NULL, NULL);
}

/* Fault settings: what the spec bounds, and the counters beside them. */
TEST_F(nl, fault_set_refused)
{
	struct nlattr *nest;
	struct req r;

	/* a good one first: the request is well formed */
	EXPECT_EQ(0, set_trigger(&self->nl, self->ia, TSNIC_FAULT_STALL,
				 TSNIC_A_FAULT_TRIGGER_EVERY, 0, -1));
	/* counters are read only */
	EXPECT_EQ(-EINVAL, set_trigger(&self->nl, self->ia, TSNIC_FAULT_TS_DROP,
				       TSNIC_A_FAULT_TRIGGER_FIRED, 1, -1));
	EXPECT_NE(NULL, strstr(self->nl.ext_msg, "read only"));
	EXPECT_NE(0, self->nl.ext_offs);
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ia);
	nest = nest_start(&r, TSNIC_A_DEV_FAULT);
	put_u64(&r, TSNIC_A_FAULT_CABLE_PULLS, 1);
	nest_end(&r, nest);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->nl.ext_msg, "read only"));
	/* a trigger needs its kind, a known one, once */
	EXPECT_EQ(-EINVAL, set_trigger(&self->nl, self->ia, -1,
				       TSNIC_A_FAULT_TRIGGER_EVERY, 5, -1));
	EXPECT_EQ(TSNIC_A_FAULT_TRIGGER_KIND, self->nl.ext_miss);
	EXPECT_EQ(-ERANGE, set_trigger(&self->nl, self->ia, TSNIC_FAULT_MAX + 1,
				       TSNIC_A_FAULT_TRIGGER_EVERY, 5, -1));
	EXPECT_EQ(-EINVAL, set_trigger(&self->nl, self->ia, TSNIC_FAULT_STALL,
				       TSNIC_A_FAULT_TRIGGER_EVERY, 5,
				       TSNIC_FAULT_STALL));
	EXPECT_NE(NULL, strstr(self->nl.ext_msg, "given twice"));
	/* the spec's bounds */
	EXPECT_EQ(-ERANGE, set_trigger(&self->nl, self->ia, TSNIC_FAULT_TS_DROP,
				       TSNIC_A_FAULT_TRIGGER_PPM,
				       TSNIC_FAULT_PPM_MAX + 1, -1));
	EXPECT_NE(0, self->nl.ext_offs);
	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ia);
	nest = nest_start(&r, TSNIC_A_DEV_FAULT);
	put_u32(&r, TSNIC_A_FAULT_STALLED_QUEUES, TSNIC_STALLED_QUEUES_MAX + 1);
	nest_end(&r, nest);
	EXPECT_EQ(-ERANGE, talk(&self->nl, &r, NULL, NULL));
	EXPECT_NE(0, self->nl.ext_offs);
}

/*
 * DEV_SET needs CAP_NET_ADMIN over the network namespace's user namespace;
 * DEV_GET does not.  A process in a user namespace of its own has every
 * capability there, but none over our network namespace.  Where user
 * namespaces cannot be created (in a chroot, as in the test VM), an
 * unprivileged uid stands in.
 */
TEST_F(nl, unprivileged)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (!pid) {
		struct gnl nl;
		struct obj o;
		struct req r;
		int err;

		if (unshare(CLONE_NEWUSER)) {
			fprintf(stderr, "# no user namespace (%s): dropping to uid 65534\n",
				strerror(errno));
			if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
			    setresuid(65534, 65534, 65534))
				_exit(10);
		}
		if (gnl_open(&nl))
			_exit(11);
		req_init(&r, nl.family, TSNIC_CMD_DEV_SET, 0);
		put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ia);
		put_u32(&r, TSNIC_A_DEV_TX_USECS, 1);
		err = talk(&nl, &r, NULL, NULL);
		if (err != -EPERM)
			_exit(12);
		if (dev_get(&nl, NULL, self->ia, &o) || o.count != 1)
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* ---- QUEUE_GET ---------------------------------------------------------- */

static int queue_get(struct gnl *nl, int ifindex, int type, int id,
		     struct obj *o)
{
	struct req r;

	memset(o, 0, sizeof(*o));
	req_init(&r, nl->family, TSNIC_CMD_QUEUE_GET, 0);
	put_u32(&r, TSNIC_A_QUEUE_IFINDEX, ifindex);
	if (type >= 0)
		put_u32(&r, TSNIC_A_QUEUE_TYPE, type);
	if (id >= 0)
		put_u32(&r, TSNIC_A_QUEUE_ID, id);
	return talk(nl, &r, obj_read, o);
}

static int ethtool_rings(const char *dev, struct ethtool_ringparam *rp,
			 bool set)
{
	struct ifreq ifr = {};
	int fd, err;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	rp->cmd = set ? ETHTOOL_SRINGPARAM : ETHTOOL_GRINGPARAM;
	ifr.ifr_data = (void *)rp;
	err = ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
	close(fd);
	return err;
}

TEST_F(nl, queue_get)
{
	struct ethtool_ringparam rp = {};
	struct obj o;
	int q;

	ASSERT_EQ(0, ethtool_rings(self->a, &rp, false));
	for (q = 0; q < 2; q++) {
		ASSERT_EQ(0, queue_get(&self->nl, self->ia, TSNIC_QUEUE_TYPE_TX, q, &o));
		ASSERT_EQ(1, o.count);
		EXPECT_EQ(TSNIC_CMD_QUEUE_GET, o.ntf_cmd);
		EXPECT_EQ(self->ia, o.u32[TSNIC_A_QUEUE_IFINDEX]);
		EXPECT_EQ(q, o.u32[TSNIC_A_QUEUE_ID]);
		EXPECT_EQ(rp.tx_pending, o.u32[TSNIC_A_QUEUE_RING_SIZE]);
		EXPECT_TRUE(o.has[TSNIC_A_QUEUE_NEXT_TO_USE]);
		EXPECT_GT(rp.tx_pending, o.u32[TSNIC_A_QUEUE_NEXT_TO_USE]);
		EXPECT_GT(rp.tx_pending, o.u32[TSNIC_A_QUEUE_NEXT_TO_CLEAN]);
		EXPECT_GE(rp.tx_pending - 1, o.u32[TSNIC_A_QUEUE_DESC_FREE]);
		EXPECT_TRUE(o.has[TSNIC_A_QUEUE_STOPPED]);
		EXPECT_TRUE(o.has[TSNIC_A_QUEUE_BQL_LIMIT]);
		EXPECT_TRUE(o.has_stats[TSNIC_A_STATS_TX_COMPLETIONS]);
		EXPECT_FALSE(o.has_stats[TSNIC_A_STATS_RX_PACKETS]);

		ASSERT_EQ(0, queue_get(&self->nl, self->ia, TSNIC_QUEUE_TYPE_RX, q, &o));
		EXPECT_EQ(rp.rx_pending, o.u32[TSNIC_A_QUEUE_RING_SIZE]);
		EXPECT_TRUE(o.has[TSNIC_A_QUEUE_FIFO_LEN]);
		EXPECT_TRUE(o.has_stats[TSNIC_A_STATS_RX_PACKETS]);
	}

	/* ring sizes follow ethtool -G */
	rp.tx_pending = 512;
	rp.rx_pending = 128;
	ASSERT_EQ(0, ethtool_rings(self->a, &rp, true));
	memset(&rp, 0, sizeof(rp));
	ASSERT_EQ(0, ethtool_rings(self->a, &rp, false));
	ASSERT_EQ(0, queue_get(&self->nl, self->ia, TSNIC_QUEUE_TYPE_TX, 1, &o));
	EXPECT_EQ(rp.tx_pending, o.u32[TSNIC_A_QUEUE_RING_SIZE]);
	EXPECT_EQ(rp.tx_pending - 1, o.u32[TSNIC_A_QUEUE_DESC_FREE]);
	ASSERT_EQ(0, queue_get(&self->nl, self->ia, TSNIC_QUEUE_TYPE_RX, 1, &o));
	EXPECT_EQ(rp.rx_pending, o.u32[TSNIC_A_QUEUE_RING_SIZE]);

	/* a device that is down has no ring state */
	ASSERT_EQ(0, run("ip link set %s down%s", self->a, ""));
	ASSERT_EQ(0, queue_get(&self->nl, self->ia, TSNIC_QUEUE_TYPE_TX, 0, &o));
	EXPECT_TRUE(o.has[TSNIC_A_QUEUE_RING_SIZE]);
	EXPECT_FALSE(o.has[TSNIC_A_QUEUE_NEXT_TO_USE]);
}

TEST_F(nl, queue_get_errors)
{
	struct obj o;

	EXPECT_EQ(-EINVAL, queue_get(&self->nl, self->ia, TSNIC_QUEUE_TYPE_TX, 2, &o));
	EXPECT_NE(0, self->nl.ext_offs);
	EXPECT_EQ(-ERANGE, queue_get(&self->nl, self->ia, TSNIC_QUEUE_TYPE_RX + 1, 0, &o));
	EXPECT_EQ(-ERANGE, queue_get(&self->nl, self->ia, TSNIC_QUEUE_TYPE_TX,
				     TSNIC_MAX_QUEUES, &o));
	EXPECT_EQ(-EINVAL, queue_get(&self->nl, self->ia, TSNIC_QUEUE_TYPE_TX, -1, &o));
	EXPECT_EQ(TSNIC_A_QUEUE_ID, self->nl.ext_miss);
	EXPECT_EQ(-EINVAL, queue_get(&self->nl, self->ia, -1, 0, &o));
	EXPECT_EQ(TSNIC_A_QUEUE_TYPE, self->nl.ext_miss);
	EXPECT_EQ(-EOPNOTSUPP, queue_get(&self->nl, 1, TSNIC_QUEUE_TYPE_TX, 0, &o));
}

TEST_F(nl, queue_dump)
{
	struct obj o = {};
	struct req r;

	/* one device's queues: 2 TX + 2 RX */
	req_init(&r, self->nl.family, TSNIC_CMD_QUEUE_GET, NLM_F_DUMP);
	put_str(&r, TSNIC_A_QUEUE_IFNAME, self->b);
	ASSERT_EQ(0, talk(&self->nl, &r, obj_read, &o));
	EXPECT_EQ(4, o.total);
	/* all of them */
	memset(&o, 0, sizeof(o));
	o.match_ifindex = self->ia;
	req_init(&r, self->nl.family, TSNIC_CMD_QUEUE_GET, NLM_F_DUMP);
	ASSERT_EQ(0, talk(&self->nl, &r, obj_read, &o));
	EXPECT_EQ(4, o.count);
	EXPECT_LE(8, o.total);
	/* a filter naming no device fails the dump */
	req_init(&r, self->nl.family, TSNIC_CMD_QUEUE_GET, NLM_F_DUMP);
	put_str(&r, TSNIC_A_QUEUE_IFNAME, "nosuchdev0");
	EXPECT_EQ(-ENODEV, talk(&self->nl, &r, NULL, NULL));
}

/* ---- RING_DUMP ---------------------------------------------------------- */

/* What a ring dump returned. */
struct ring_walk {
	int msgs;		/* descriptor messages */
	int recvs;		/* skbs they came in */
	int intr;		/* messages (or NLMSG_DONE) with NLM_F_DUMP_INTR */
	int first, prev;	/* descriptor indices: first seen, last seen */
	int gaps;		/* an index not following the one before */
	int foreign;		/* messages of another device or queue */
	int states[TSNIC_DESC_STATE_DONE + 1];
	int sop_eop;		/* one-descriptor frames (SOP and EOP) */
	int skb_len_ok;		/* SOP descriptors with skb_len == @skb_len */
	int no_depart;		/* not sent: no departure time */
};

/* What ring_dump() checks each message against. */
struct ring_want {
	struct ring_walk *w;
	int ifindex, qid, size, skb_len;
};

static void ring_walk_msg(struct nlmsghdr *n, void *arg)
{
	struct ring_want *want = arg;
	struct ring_walk *w = want->w;
	struct nlattr *a, *d, *x;
	struct msgattrs m;
	int idx, flags;

	w->msgs++;
	m = genl_attrs(n);
	a = attr_find(m.first, m.len, TSNIC_A_QUEUE_IFINDEX);
	x = attr_find(m.first, m.len, TSNIC_A_QUEUE_ID);
	if (!a || *(__u32 *)attr_data(a) != (__u32)want->ifindex ||
	    !x || *(__u32 *)attr_data(x) != (__u32)want->qid)
		w->foreign++;
	d = attr_find(m.first, m.len, TSNIC_A_QUEUE_DESC);
	if (!d || !(d->nla_type & NLA_F_NESTED)) {
		w->foreign++;
		return;
	}
	x = attr_find(attr_data(d), attr_len(d), TSNIC_A_DESC_INDEX);
	idx = x ? (int)*(__u32 *)attr_data(x) : -1;
	if (w->first < 0)
		w->first = idx;
	else if (idx != ((w->prev + 1) & (want->size - 1)))
		w->gaps++;
	w->prev = idx;
	x = attr_find(attr_data(d), attr_len(d), TSNIC_A_DESC_STATE);
	if (x && *(__u32 *)attr_data(x) <= TSNIC_DESC_STATE_DONE)
		w->states[*(__u32 *)attr_data(x)]++;
	x = attr_find(attr_data(d), attr_len(d), TSNIC_A_DESC_FLAGS);
	flags = x ? (int)*(__u32 *)attr_data(x) : 0;
	if ((flags & (TSNIC_DESC_F_SOP | TSNIC_DESC_F_EOP)) ==
	    (TSNIC_DESC_F_SOP | TSNIC_DESC_F_EOP))
		w->sop_eop++;
	x = attr_find(attr_data(d), attr_len(d), TSNIC_A_DESC_SKB_LEN);
	if (x && *(__u32 *)attr_data(x) == (__u32)want->skb_len)
		w->skb_len_ok++;
	if (!attr_find(attr_data(d), attr_len(d), TSNIC_A_DESC_DEPART_NS))
		w->no_depart++;
}

/*
 * Dump TX queue @qid of @ifindex, whose ring has @size descriptors.
 * @between, if set, runs after the first skb of the dump was read.
 * Returns the dump's status (0, or the negative error).
 */
static int ring_dump(struct gnl *nl, int ifindex, int qid, int size,
		     int skb_len, struct ring_walk *w, between_fn between,
		     void *arg)
{
	struct ring_want want = {
		.w = w, .ifindex = ifindex, .qid = qid, .size = size,
		.skb_len = skb_len,
	};
	struct exchange x = {
		.fn = ring_walk_msg, .arg = &want,
		.between = between, .between_arg = arg,
	};
	struct req r;
	int err;

	memset(w, 0, sizeof(*w));
	w->first = -1;
	w->prev = -1;
	req_init(&r, nl->family, TSNIC_CMD_RING_DUMP, NLM_F_DUMP);
	put_u32(&r, TSNIC_A_QUEUE_IFINDEX, ifindex);
	put_u32(&r, TSNIC_A_QUEUE_ID, qid);
	err = exchange(nl, &r, &x);
	w->recvs = x.recvs;
	w->intr = x.intr;
	return err;
}

TEST_F(nl, ring_dump_errors)
{
	struct ring_walk w;
	struct req r;

	/* an idle ring dumps (whatever is in flight), ending cleanly */
	EXPECT_EQ(0, ring_dump(&self->nl, self->ia, 1, 256, 0, &w, NULL, NULL));
	EXPECT_EQ(0, w.intr);
	EXPECT_EQ(0, w.foreign);
	EXPECT_EQ(0, w.gaps);
	/* no such queue, a missing queue id, an RX queue */
	EXPECT_EQ(-EINVAL, ring_dump(&self->nl, self->ia, 2, 256, 0, &w, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->nl.ext_msg, "no such queue"));
	req_init(&r, self->nl.family, TSNIC_CMD_RING_DUMP, NLM_F_DUMP);
	put_u32(&r, TSNIC_A_QUEUE_IFINDEX, self->ia);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	/* 6.1's NLMSG_DONE carries the message, not the missing type */
	EXPECT_TRUE(self->nl.ext_miss == TSNIC_A_QUEUE_ID ||
		    strstr(self->nl.ext_msg, "queue id required"));
	req_init(&r, self->nl.family, TSNIC_CMD_RING_DUMP, NLM_F_DUMP);
	put_u32(&r, TSNIC_A_QUEUE_IFINDEX, self->ia);
	put_u32(&r, TSNIC_A_QUEUE_TYPE, TSNIC_QUEUE_TYPE_RX);
	put_u32(&r, TSNIC_A_QUEUE_ID, 0);
	EXPECT_EQ(-EOPNOTSUPP, talk(&self->nl, &r, NULL, NULL));
	EXPECT_NE(0, self->nl.ext_msg[0]);
	/* another kind of device, no device */
	EXPECT_EQ(-EOPNOTSUPP, ring_dump(&self->nl, 1, 0, 256, 0, &w, NULL, NULL));
	req_init(&r, self->nl.family, TSNIC_CMD_RING_DUMP, NLM_F_DUMP);
	put_u32(&r, TSNIC_A_QUEUE_ID, 0);
	EXPECT_EQ(-EINVAL, talk(&self->nl, &r, NULL, NULL));
	/* dump only */
	req_init(&r, self->nl.family, TSNIC_CMD_RING_DUMP, 0);
	put_u32(&r, TSNIC_A_QUEUE_IFINDEX, self->ia);
	put_u32(&r, TSNIC_A_QUEUE_ID, 0);
	EXPECT_EQ(-EOPNOTSUPP, talk(&self->nl, &r, NULL, NULL));
	/* a device that is down has nothing in flight */
	ASSERT_EQ(0, run("ip link set %s down%s", self->a, ""));
	EXPECT_EQ(0, ring_dump(&self->nl, self->ia, 0, 256, 0, &w, NULL, NULL));
	EXPECT_EQ(0, w.msgs);
	EXPECT_EQ(0, w.intr);
}

#define RD_RING		4096
#define RD_FRAMES	4000	/* below the stop threshold: no watchdog */
#define RD_LEN		60

static int set_rate(struct gnl *nl, int ifindex, __u64 rate)
{
	struct req r;

	req_init(&r, nl->family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, ifindex);
	put_u64(&r, TSNIC_A_DEV_RATE_BPS, rate);
	return talk(nl, &r, NULL, NULL);
}

/* TX queue 0 of @ifindex has nothing in flight, and @ntu was used */
static int ring_idle(struct gnl *nl, int ifindex, __u32 ntu)
{
	struct obj o;
	int i;

	for (i = 0; i < 100; i++) {
		if (queue_get(nl, ifindex, TSNIC_QUEUE_TYPE_TX, 0, &o))
			return -1;
		if (o.u32[TSNIC_A_QUEUE_NEXT_TO_USE] == ntu &&
		    o.u32[TSNIC_A_QUEUE_NEXT_TO_CLEAN] == ntu)
			return 0;
		usleep(100000);
	}
	return -1;
}

/*
 * Fill the TX ring of a fresh one-queue device with frames that stay in
 * flight: a line rate of 1 bit/s keeps the first frame on the wire for
 * minutes.  Frames go through a packet socket that bypasses the qdisc,
 * and BQL's floor is raised above what they add up to (and applied by a
 * first frame's completion at the unlimited rate), so the queue is never
 * stopped: a stopped queue would bring the TX watchdog.
 */
static int ring_fill(struct gnl *nl, const char *dev, int *ifindex)
{
	char add[64] = "";
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned char frame[RD_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* broadcast */
		0x02, 0, 0, 0, 0, 1, 0x88, 0xb5,	/* local experimental */
	};
	int fd, one = 1, sndbuf = 64 << 20, i;

	/* an ifindex given: the device takes it */
	if (*ifindex > 0)
		snprintf(add, sizeof(add), "%s index %d", dev, *ifindex);
	else
		snprintf(add, sizeof(add), "%s", dev);
	if (run("ip link add %s type tsnic && sysctl -qw net.ipv6.conf.%s.disable_ipv6=1",
		add, dev) ||
	    run("ethtool -G %s tx 4096 && ip link set %s up", dev, dev) ||
	    run("echo 1000000 >/sys/class/net/%s/queues/tx-0/byte_queue_limits/limit_min%s",
		dev, ""))
		return -1;
	*ifindex = if_nametoindex(dev);
	if (set_rate(nl, *ifindex, 0))
		return -2;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -3;
	sll.sll_ifindex = *ifindex;
	sll.sll_protocol = htons(0x88b5);
	/* the frames keep their socket memory until they complete */
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf))) {
		close(fd);
		return -4;
	}
	/* one frame that completes, then the line slows to a crawl */
	if (send(fd, frame, sizeof(frame), 0) != sizeof(frame) ||
	    ring_idle(nl, *ifindex, 1) || set_rate(nl, *ifindex, 1)) {
		close(fd);
		return -6;
	}
	for (i = 0; i < RD_FRAMES; i++) {
		if (send(fd, frame, sizeof(frame), MSG_DONTWAIT) != sizeof(frame)) {
			fprintf(stderr, "# frame %d: %s\n", i, strerror(errno));
			close(fd);
			return -5;
		}
	}
	close(fd);
	return 0;
}

static void ring_resize(void *arg)
{
	if (run("ethtool -G %s tx 2048%s", arg, ""))
		fprintf(stderr, "# ethtool -G %s failed\n", (char *)arg);
}

/*
 * Delete the device being dumped and make it again, the same way: same
 * name, same ifindex, the ring filled by the same steps, so its
 * generation count is likely the one the dump started with.
 */
struct ring_again {
	const char *dev;
	int ifindex;
	int err;
};

static void ring_recreate(void *arg)
{
	struct ring_again *ra = arg;
	struct gnl other;
	int ifindex = ra->ifindex;

	ra->err = -1;
	if (run("ip link del %s%s", ra->dev, "") || gnl_open(&other))
		return;
	ra->err = ring_fill(&other, ra->dev, &ifindex);
	if (!ra->err && ifindex != ra->ifindex)
		ra->err = -7;
	close(other.fd);
}

TEST_F(nl, ring_dump_full)
{
	struct ring_again ra;
	char dev[IFNAMSIZ];
	struct ring_walk w;
	struct obj o;
	int ifindex = 0, inflight, err;

	snprintf(dev, sizeof(dev), "tsrd%d", getpid() % 10000);
	err = ring_fill(&self->nl, dev, &ifindex);
	if (err)
		run("ip link del %s 2>/dev/null%s", dev, "");
	ASSERT_EQ(0, err);

	ASSERT_EQ(0, queue_get(&self->nl, ifindex, TSNIC_QUEUE_TYPE_TX, 0, &o));
	EXPECT_EQ(RD_RING, o.u32[TSNIC_A_QUEUE_RING_SIZE]);
	inflight = (o.u32[TSNIC_A_QUEUE_NEXT_TO_USE] -
		    o.u32[TSNIC_A_QUEUE_NEXT_TO_CLEAN]) & (RD_RING - 1);
	EXPECT_EQ(RD_FRAMES, inflight);
	EXPECT_EQ(0, o.u32[TSNIC_A_QUEUE_STOPPED]);

	/* every descriptor in flight, in order, over many skbs */
	EXPECT_EQ(0, ring_dump(&self->nl, ifindex, 0, RD_RING, RD_LEN, &w,
			       NULL, NULL));
	EXPECT_EQ(inflight, w.msgs);
	EXPECT_LT(4, w.recvs);
	EXPECT_EQ(0, w.intr);
	EXPECT_EQ(0, w.gaps);
	EXPECT_EQ(0, w.foreign);
	EXPECT_EQ(o.u32[TSNIC_A_QUEUE_NEXT_TO_CLEAN], w.first);
	EXPECT_EQ((o.u32[TSNIC_A_QUEUE_NEXT_TO_USE] - 1) & (RD_RING - 1), w.prev);
	/* all handed to the engine by their doorbells, none sent */
	EXPECT_EQ(inflight, w.states[TSNIC_DESC_STATE_HW]);
	EXPECT_EQ(inflight, w.sop_eop);
	EXPECT_EQ(inflight, w.skb_len_ok);
	EXPECT_EQ(inflight, w.no_depart);
	TH_LOG("%d descriptors in %d skbs", w.msgs, w.recvs);
	/* and nothing reset the ring behind the test's back */
	ASSERT_EQ(0, dev_get(&self->nl, NULL, ifindex, &o));
	EXPECT_EQ(0ULL, o.stats[TSNIC_A_STATS_TX_TIMEOUT_RESETS]);

	/* the ring is resized after the first skb: the dump says so */
	EXPECT_EQ(0, ring_dump(&self->nl, ifindex, 0, RD_RING, RD_LEN, &w,
			       ring_resize, dev));
	EXPECT_LE(1, w.intr);
	EXPECT_GT(inflight, w.msgs);
	EXPECT_EQ(0, w.gaps);
	TH_LOG("interrupted after %d descriptors", w.msgs);

	/* the new ring is empty, and dumps so, consistently */
	EXPECT_EQ(0, ring_dump(&self->nl, ifindex, 0, 2048, RD_LEN, &w,
			       NULL, NULL));
	EXPECT_EQ(0, w.msgs);
	EXPECT_EQ(0, w.intr);
	EXPECT_EQ(0, run("ip link del %s%s", dev, ""));

	/*
	 * The device is deleted and made again with the same ifindex after
	 * the first skb: the rest of the walk would describe another
	 * device's ring, so the dump is interrupted.
	 */
	ifindex = 0;
	ASSERT_EQ(0, ring_fill(&self->nl, dev, &ifindex));
	ra.dev = dev;
	ra.ifindex = ifindex;
	EXPECT_EQ(0, ring_dump(&self->nl, ifindex, 0, RD_RING, RD_LEN, &w,
			       ring_recreate, &ra));
	EXPECT_EQ(0, ra.err);
	EXPECT_LE(1, w.intr);
	EXPECT_GT(RD_FRAMES, w.msgs);
	TH_LOG("device made again: %d descriptors, %d marked interrupted",
	       w.msgs, w.intr);
	EXPECT_EQ(0, run("ip link del %s%s", dev, ""));
}

/* ---- dumps interrupted by ethtool -L, ring dump for admins only --------- */

/*
 * A queue dump long enough for several skbs (sixteen devices of 16 + 16
 * queues, about 100 KB); ethtool -L changes one device's queue count
 * after the first skb was read (the second was filled during that read):
 * the dump's cursor no longer means the same queue, so the rest of the
 * dump (or its NLMSG_DONE) is marked NLM_F_DUMP_INTR.
 */
#define QD_DEVS	16

static void count_msg(struct nlmsghdr *n, void *arg)
{
	(*(int *)arg)++;
}

/* After the first skb of the dump: the last device loses TX queues. */
static void shrink_last(void *arg)
{
	char dev[IFNAMSIZ];

	snprintf(dev, sizeof(dev), "tsqd%d_%d", getpid() % 1000, QD_DEVS - 1);
	*(int *)arg = run("ethtool -L %s tx 8%s", dev, "");
}

TEST_F(nl, queue_dump_intr_by_channels)
{
	struct exchange x = { .between = shrink_last };
	int i, msgs = 0, shrunk = -1;
	char dev[IFNAMSIZ];
	struct req r;

	for (i = 0; i < QD_DEVS; i++) {
		snprintf(dev, sizeof(dev), "tsqd%d_%d", getpid() % 1000, i);
		ASSERT_EQ(0, run("ip link add %s numtxqueues 16 numrxqueues 16 type tsnic%s",
				 dev, ""));
	}
	x.fn = count_msg;
	x.arg = &msgs;
	x.between_arg = &shrunk;
	req_init(&r, self->nl.family, TSNIC_CMD_QUEUE_GET, NLM_F_DUMP);
	EXPECT_EQ(0, exchange(&self->nl, &r, &x));
	EXPECT_EQ(0, shrunk);
	TH_LOG("%d queue messages in %d skbs, %d marked interrupted", msgs,
	       x.recvs, x.intr);
	EXPECT_LT(2, x.recvs);
	EXPECT_LE(1, x.intr);
	for (i = 0; i < QD_DEVS; i++) {
		snprintf(dev, sizeof(dev), "tsqd%d_%d", getpid() % 1000, i);
		EXPECT_EQ(0, run("ip link del %s%s", dev, ""));
	}
}

/* Each descriptor of everybody's traffic: CAP_NET_ADMIN only. */
TEST_F(nl, ring_dump_unprivileged)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (!pid) {
		struct ring_walk w;
		struct gnl nl;
		struct obj o;

		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(10);
		if (gnl_open(&nl))
			_exit(11);
		if (ring_dump(&nl, self->ia, 0, 256, 0, &w, NULL, NULL) != -EPERM)
			_exit(12);
		/* indices and counters stay open to anyone */
		if (queue_get(&nl, self->ia, TSNIC_QUEUE_TYPE_TX, 0, &o) ||
		    !o.has[TSNIC_A_QUEUE_NEXT_TO_USE])
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* ---- events ------------------------------------------------------------- */

TEST_F(nl, events)
{
	struct gnl mon;
	struct timeval tv = { .tv_sec = 5 };
	char buf[8192];
	struct req r;
	int len, grp;
	bool seen = false;

	ASSERT_EQ(0, gnl_open(&mon));
	ASSERT_NE(0, mon.events_group);
	grp = mon.events_group;
	ASSERT_EQ(0, setsockopt(mon.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&grp, sizeof(grp)));
	setsockopt(mon.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	req_init(&r, self->nl.family, TSNIC_CMD_DEV_SET, 0);
	put_u32(&r, TSNIC_A_DEV_IFINDEX, self->ib);
	put_u32(&r, TSNIC_A_DEV_DELAY_NS, 1234);
	ASSERT_EQ(0, talk(&self->nl, &r, NULL, NULL));

	while (!seen && (len = recv(mon.fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *n = (struct nlmsghdr *)buf;

		for (; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
			struct obj o = {};

			if (n->nlmsg_type != mon.family)
				continue;
			obj_read(n, &o);
			if (o.ntf_cmd == TSNIC_CMD_DEV_CHANGE_NTF &&
			    o.u32[TSNIC_A_DEV_IFINDEX] == self->ib) {
				EXPECT_EQ(1234, o.u32[TSNIC_A_DEV_DELAY_NS]);
				seen = true;
			}
		}
	}
	EXPECT_TRUE(seen);
	close(mon.fd);
}

TEST_HARNESS_MAIN
