// SPDX-License-Identifier: GPL-2.0
/*
 * tsnic CLI: requests to the "tsnic" generic netlink family, on libnl-3,
 * with the kernel's extended acks shown as ip(8) shows them: on an error
 * its message, the attribute it points at in the user's words and the
 * valid range its policy reports; on a success, its warning.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/tsnic.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct tsnic_nl {
	struct nl_sock *sk;
	int family;
	tsnic_word_fn words;
	void *words_ctx;
	bool dump_intr;		/* of the last tsnic_nl_talk() */
	uint8_t cmd;		/* of the message being handed to a reply_fn */
	struct nlmsghdr *reply;	/* that message */
};

struct talk {
	struct tsnic_nl *nl;
	const struct nlmsghdr *req;
	int maxattr;
	tsnic_reply_fn fn;
	void *arg;
	int err;
	bool done;
};

struct tsnic_nl *tsnic_nl_open(void)
{
	struct tsnic_nl *nl = calloc(1, sizeof(*nl));
	int one = 1;

	if (!nl) {
		fprintf(stderr, "tsnic: %s\n", strerror(ENOMEM));
		return NULL;
	}
	nl->sk = nl_socket_alloc();
	if (!nl->sk || genl_connect(nl->sk)) {
		fprintf(stderr, "tsnic: cannot open a generic netlink socket\n");
		goto err;
	}
	/* the kernel tells why a request failed, and where */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, TSNIC_FAMILY_NAME);
	if (nl->family < 0) {
		fprintf(stderr,
			"tsnic: no \"%s\" netlink family (is the tsnic module loaded?)\n",
			TSNIC_FAMILY_NAME);
		goto err;
	}
	return nl;
err:
	tsnic_nl_close(nl);
	return NULL;
}

void tsnic_nl_close(struct tsnic_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

void tsnic_nl_set_words(struct tsnic_nl *nl, tsnic_word_fn fn, void *ctx)
{
	nl->words = fn;
	nl->words_ctx = ctx;
}

struct nl_msg *tsnic_nl_msg(uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	/* the family's id is set by tsnic_nl_talk() */
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0, 0, flags, cmd,
			 TSNIC_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * The attribute of request @req that starts at byte @offs: its type and,
 * if it sits in a nest, the nest's type (else 0).
 */
static bool attr_at(const struct nlmsghdr *req, uint32_t offs, int *type,
		    int *nest)
{
	const unsigned int hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	const char *base = (const char *)req;
	struct nlattr *a, *b;
	int rem, rem2;

	if (!req || offs < hdr || offs >= req->nlmsg_len)
		return false;
	a = (struct nlattr *)(base + hdr);
	rem = req->nlmsg_len - hdr;
	for (; nla_ok(a, rem); a = nla_next(a, &rem)) {
		uint32_t start = (const char *)a - base;

		if (offs == start) {
			*type = nla_type(a);
			*nest = 0;
			return true;
		}
		if (offs < start + a->nla_len && (a->nla_type & NLA_F_NESTED)) {
			nla_for_each_nested(b, a, rem2) {
				if ((uint32_t)((const char *)b - base) != offs)
					continue;
				*type = nla_type(b);
				*nest = nla_type(a);
				return true;
			}
		}
	}
	return false;
}

/* The range of values of an integer attribute type, for "no range". */
static bool type_range(uint32_t type, int64_t *smin, int64_t *smax,
		       uint64_t *umax)
{
	static const struct { uint32_t type; int bits; } t[] = {
		{ NL_ATTR_TYPE_U8, 8 }, { NL_ATTR_TYPE_U16, 16 },
		{ NL_ATTR_TYPE_U32, 32 }, { NL_ATTR_TYPE_U64, 64 },
		{ NL_ATTR_TYPE_S8, -8 }, { NL_ATTR_TYPE_S16, -16 },
		{ NL_ATTR_TYPE_S32, -32 }, { NL_ATTR_TYPE_S64, -64 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].type != type)
			continue;
		if (t[i].bits > 0) {
			*umax = t[i].bits == 64 ? UINT64_MAX :
				(1ULL << t[i].bits) - 1;
		} else {
			*smax = t[i].bits == -64 ? INT64_MAX :
				(int64_t)((1ULL << (-t[i].bits - 1)) - 1);
			*smin = -*smax - 1;
		}
		return true;
	}
	return false;
}

/*
 * The values NLMSGERR_ATTR_POLICY says the attribute takes, in @unit:
 * " (valid range 1 to 64)".  Nothing when the policy has no limit beyond
 * the attribute's type.
 */
static void print_policy(struct nlattr *pol, enum unit unit)
{
	struct nlattr *tb[NL_POLICY_TYPE_ATTR_MAX + 1];
	int64_t smin = 0, smax = 0;
	uint64_t umax = 0;
	char lo[48], hi[48];
	bool full = false;
	uint32_t type;

	if (nla_parse_nested(tb, NL_POLICY_TYPE_ATTR_MAX, pol, NULL))
		return;
	type = tb[NL_POLICY_TYPE_ATTR_TYPE] ?
	       nla_get_u32(tb[NL_POLICY_TYPE_ATTR_TYPE]) : 0;
	if (tb[NL_POLICY_TYPE_ATTR_MASK]) {
		fprintf(stderr, " (valid bits %s)",
			fmt_unit(lo, sizeof(lo), UNIT_HEX, false,
				 nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MASK])));
	} else if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] &&
		   tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]) {
		uint64_t min = nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]);
		uint64_t max = nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]);

		if (type_range(type, &smin, &smax, &umax))
			full = !min && max == umax;
		if (!full)
			fprintf(stderr, " (valid range %s to %s)",
				fmt_unit(lo, sizeof(lo), unit, false, min),
				fmt_unit(hi, sizeof(hi), unit, false, max));
	} else if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S] &&
		   tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S]) {
		int64_t min = nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S]);
		int64_t max = nla_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S]);

		if (type_range(type, &smin, &smax, &umax))
			full = min == smin && max == smax;
		if (!full)
			fprintf(stderr, " (valid range %s to %s)",
				fmt_unit(lo, sizeof(lo), unit, true, min),
				fmt_unit(hi, sizeof(hi), unit, true, max));
	}
	if (tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH])
		fprintf(stderr, " (at most %u bytes)",
			nla_get_u32(tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH]));
}

/* A string attribute that is one, or NULL. */
static const char *get_string(struct nlattr *a)
{
	const char *s = a ? nla_data(a) : NULL;

	if (!a || nla_len(a) < 1 || s[nla_len(a) - 1])
		return NULL;
	return s;
}

int tsnic_nl_report(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		    tsnic_word_fn fn, void *ctx)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	struct tsnic_nl_word w = {}, miss = {};
	bool named = false, miss_named = false;
	uint32_t off, len = 0;
	const char *msg;
	int err, type, nest;
	uint8_t cmd = 0;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			fprintf(stderr, "tsnic: truncated netlink error message\n");
			return -EBADMSG;
		}
		err = e->error;
		off = sizeof(*e);
		/* the request comes back whole, unless capped */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len >= NLMSG_HDRLEN)
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		/* a dump's status */
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(err)))
			return 0;
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		off = sizeof(err);
	} else {
		return 0;
	}
	if (err > 0)
		err = 0;
	off = NLMSG_HDRLEN + NLMSG_ALIGN(off);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && nlh->nlmsg_len > off)
		len = nlh->nlmsg_len - off;
	if (len && nla_parse(tb, NLMSGERR_ATTR_MAX,
			     (struct nlattr *)((char *)nlh + off), len, NULL))
		memset(tb, 0, sizeof(tb));
	msg = get_string(tb[NLMSGERR_ATTR_MSG]);
	if (!err && !msg)
		return 0;

	if (req && req->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN))
		cmd = ((const struct genlmsghdr *)NLMSG_DATA(req))->cmd;
	if (fn && tb[NLMSGERR_ATTR_OFFS]) {
		uint32_t at = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);

		if (!attr_at(req, at, &type, &nest))
			type = nest = -1;
		named = fn(ctx, cmd, at, nest, type, &w);
	}
	if (fn && tb[NLMSGERR_ATTR_MISS_TYPE]) {
		int unused;

		/* in the nest that starts at NLMSGERR_ATTR_MISS_NEST */
		nest = 0;
		if (!tb[NLMSGERR_ATTR_MISS_NEST] ||
		    attr_at(req, nla_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]),
			    &nest, &unused))
			miss_named = fn(ctx, cmd, 0, nest,
					nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]),
					&miss);
	}

	fputs(err ? "Error: " : "Warning: ", stderr);
	if (named)
		fprintf(stderr, "%s%s%s: ", w.word, w.value ? " " : "",
			w.value ?: "");
	fputs(msg ?: strerror(-err), stderr);
	if (tb[NLMSGERR_ATTR_POLICY])
		print_policy(tb[NLMSGERR_ATTR_POLICY],
			     named ? w.unit : UNIT_NONE);
	if (miss_named)
		fprintf(stderr, " (missing %s)", miss.word);
	fputc('\n', stderr);
	return err;
}

static void report(struct talk *t, const struct nlmsghdr *nlh)
{
	int err = tsnic_nl_report(nlh, t->req, t->nl->words,
				  t->nl->words_ctx);

	if (err && !t->err)
		t->err = err;
}

/* An error: the kernel refused the request. */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct talk *t = arg;

	report(t, (const struct nlmsghdr *)((char *)e - NLMSG_HDRLEN));
	if (!t->err)
		t->err = e->error ?: -EIO;
	t->done = true;
	return NL_STOP;
}

/*
 * The ack of a success, which may carry a warning, or the NLMSG_DONE of a
 * dump, which carries the dump's status and an extack: the end, reported.
 */
static int on_done(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	report(t, nlmsg_hdr(msg));
	t->done = true;
	return NL_STOP;
}

/* A dump's message marked inconsistent: note it, and read on. */
static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	t->nl->dump_intr = true;
	return NL_OK;
}

uint8_t tsnic_nl_cmd(const struct tsnic_nl *nl)
{
	return nl->cmd;
}

struct nlmsghdr *tsnic_nl_reply(const struct tsnic_nl *nl)
{
	return nl->reply;
}

bool tsnic_nl_dump_intr(const struct tsnic_nl *nl)
{
	return nl->dump_intr;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;
	struct nlattr *tb[t->maxattr + 1];
	int err;

	if (!t->fn)
		return NL_OK;
	t->nl->cmd = genlmsg_hdr(nlmsg_hdr(msg))->cmd;
	t->nl->reply = nlmsg_hdr(msg);
	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, t->maxattr, NULL);
	if (err < 0) {
		fprintf(stderr, "tsnic: malformed reply from the kernel\n");
		t->err = -EINVAL;
		return NL_SKIP;
	}
	err = t->fn(tb, t->arg);
	t->nl->reply = NULL;
	if (err && !t->err)
		t->err = err;
	return NL_OK;
}

/*
 * Send @msg on @sk and read the answers through @cb until one of its
 * handlers sets *@done; a send or receive failure reported, and *@err set
 * to -EIO unless a handler set it.
 */
static void send_and_wait(struct nl_sock *sk, struct nl_cb *cb,
			  struct nl_msg *msg, const bool *done, int *err)
{
	int rc = nl_send_auto(sk, msg);

	if (rc < 0) {
		fprintf(stderr, "tsnic: cannot send: %s\n", nl_geterror(rc));
		*err = -EIO;
		return;
	}
	while (!*done) {
		rc = nl_recvmsgs(sk, cb);
		if (rc < 0 && !*done) {
			fprintf(stderr, "tsnic: netlink: %s\n", nl_geterror(rc));
			*err = *err ?: -EIO;
			return;
		}
	}
}

int tsnic_nl_talk(struct tsnic_nl *nl, struct nl_msg *msg, int maxattr,
		  tsnic_reply_fn fn, void *arg)
{
	struct talk t = {
		.nl = nl, .maxattr = maxattr, .fn = fn, .arg = arg,
	};
	struct nl_cb *cb;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &t);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &t);
	nl->dump_intr = false;

	/* kept until the answer is read: the kernel's offsets point into it */
	nlmsg_hdr(msg)->nlmsg_type = nl->family;
	t.req = nlmsg_hdr(msg);
	send_and_wait(nl->sk, cb, msg, &t.done, &t.err);
	nlmsg_free(msg);
	nl_cb_put(cb);
	return t.err;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

int tsnic_nl_monitor(struct tsnic_nl *nl, int maxattr, tsnic_reply_fn fn,
		     void *arg)
{
	struct talk t = {
		.nl = nl, .maxattr = maxattr, .fn = fn, .arg = arg,
	};
	struct nl_cb *cb;
	int grp, err;

	grp = genl_ctrl_resolve_grp(nl->sk, TSNIC_FAMILY_NAME, TSNIC_MCGRP_EVENTS);
	if (grp < 0) {
		fprintf(stderr, "tsnic: no \"%s\" group: %s\n",
			TSNIC_MCGRP_EVENTS, nl_geterror(grp));
		return -ENOENT;
	}
	err = nl_socket_add_membership(nl->sk, grp);
	if (err) {
		fprintf(stderr, "tsnic: cannot join \"%s\": %s\n",
			TSNIC_MCGRP_EVENTS, nl_geterror(err));
		return -EIO;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	/* notifications carry no sequence number of ours */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
	for (;;) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && err != -NLE_INTR) {
			fprintf(stderr, "tsnic: netlink: %s\n", nl_geterror(err));
			break;
		}
		fflush(stdout);
	}
	nl_cb_put(cb);
	return -EIO;
}

/* ---- rtnetlink: making a device ------------------------------------------ */

struct rt_talk {
	int err;
	bool done;
};

static int rt_on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct rt_talk *t = arg;

	t->err = tsnic_nl_report((const struct nlmsghdr *)((char *)e -
							   NLMSG_HDRLEN),
				 NULL, NULL, NULL) ?: e->error ?: -EIO;
	t->done = true;
	return NL_STOP;
}

static int rt_on_ack(struct nl_msg *msg, void *arg)
{
	struct rt_talk *t = arg;

	tsnic_nl_report(nlmsg_hdr(msg), NULL, NULL, NULL);
	t->done = true;
	return NL_STOP;
}

int tsnic_rtnl_talk(struct nl_msg *msg)
{
	struct rt_talk t = { 0 };
	struct nl_sock *sk;
	struct nl_cb *cb;
	int one = 1;

	sk = nl_socket_alloc();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!sk || !cb || nl_connect(sk, NETLINK_ROUTE)) {
		fprintf(stderr, "tsnic: cannot open a route netlink socket\n");
		t.err = -EIO;
		goto out;
	}
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, rt_on_ack, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, rt_on_error, &t);
	send_and_wait(sk, cb, msg, &t.done, &t.err);
out:
	nlmsg_free(msg);
	nl_cb_put(cb);
	nl_socket_free(sk);
	return t.err;
}
