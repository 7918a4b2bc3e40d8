// SPDX-License-Identifier: GPL-2.0
/*
 * tsnic CLI: requests to the "tsnic" generic netlink family, on libnl-3,
 * with the kernel's extended acks (message, offending attribute) shown on
 * errors.
 */
#include <errno.h>
#include <stdbool.h>
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
	tsnic_attr_name_fn namer;
	bool dump_intr;		/* of the last tsnic_nl_talk() */
	uint8_t cmd;		/* of the message being handed to a reply_fn */
};

struct talk {
	struct tsnic_nl *nl;
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

	if (!nl)
		return NULL;
	nl->sk = nl_socket_alloc();
	if (!nl->sk || genl_connect(nl->sk)) {
		fprintf(stderr, "tsnic: cannot open a generic netlink socket\n");
		goto err;
	}
	/* the kernel tells why a request failed, and where */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, TSNIC_GENL_NAME);
	if (nl->family < 0) {
		fprintf(stderr,
			"tsnic: no \"%s\" netlink family (is the tsnic module loaded?)\n",
			TSNIC_GENL_NAME);
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

void tsnic_nl_set_namer(struct tsnic_nl *nl, tsnic_attr_name_fn fn)
{
	nl->namer = fn;
}

struct nl_msg *tsnic_nl_msg(struct tsnic_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, TSNIC_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * The attribute of request @req that starts at byte @offs: its type and,
 * if it sits in a nest, the nest's type.
 */
static const char *attr_at(struct tsnic_nl *nl, const struct nlmsghdr *req,
			   unsigned int offs)
{
	const char *base = (const char *)req;
	const struct nlattr *a, *b;
	int rem, rem2;

	if (!nl->namer || offs < NLMSG_HDRLEN + GENL_HDRLEN ||
	    offs >= req->nlmsg_len)
		return NULL;
	a = (const struct nlattr *)(base + NLMSG_HDRLEN + GENL_HDRLEN);
	rem = req->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (; nla_ok(a, rem); a = nla_next(a, &rem)) {
		unsigned int start = (const char *)a - base;

		if (offs == start)
			return nl->namer(nla_type(a), 0);
		if (offs < start + a->nla_len && (a->nla_type & NLA_F_NESTED)) {
			nla_for_each_nested(b, (struct nlattr *)a, rem2)
				if ((const char *)b - base == offs)
					return nl->namer(nla_type(b),
							 nla_type(a));
		}
	}
	return NULL;
}

/* Print the extended ack of an error (or a dump's final status). */
static void print_error(struct talk *t, const struct nlmsghdr *nlh,
			const void *tlvs, int len, const struct nlmsghdr *req)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	const char *msg = NULL, *attr = NULL;

	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && len > 0 &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)tlvs, len,
		       NULL)) {
		if (tb[NLMSGERR_ATTR_MSG])
			msg = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
		if (tb[NLMSGERR_ATTR_OFFS] && req)
			attr = attr_at(t->nl, req,
				       nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
		if (!attr && tb[NLMSGERR_ATTR_MISS_TYPE] && t->nl->namer)
			attr = t->nl->namer(nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]),
					    0);
	}
	if (msg)
		fprintf(stderr, "Error: %s%s%s%s: %s\n", msg,
			attr ? " (" : "", attr ?: "", attr ? ")" : "",
			strerror(-t->err));
	else
		fprintf(stderr, "Error: %s%s%s%s\n", strerror(-t->err),
			attr ? " (" : "", attr ?: "", attr ? ")" : "");
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *nlh = (const void *)((char *)e - NLMSG_HDRLEN);
	struct talk *t = arg;
	const struct nlmsghdr *req = NULL;
	unsigned int off = sizeof(*e);

	t->err = e->error;
	t->done = true;
	if (!e->error)
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		req = &e->msg;
	}
	off = NLMSG_ALIGN(off);
	print_error(t, nlh, (char *)e + off,
		    (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)off, req);
	return NL_STOP;
}

/* NLMSG_DONE of a dump: carries the dump's status, and an extack. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct talk *t = arg;
	int err;

	t->done = true;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
		return NL_STOP;
	memcpy(&err, nlmsg_data(nlh), sizeof(err));
	if (err < 0) {
		t->err = err;
		print_error(t, nlh, (char *)nlmsg_data(nlh) + NLMSG_ALIGN(sizeof(int)),
			    (int)nlh->nlmsg_len - NLMSG_HDRLEN -
			    NLMSG_ALIGN(sizeof(int)), NULL);
	}
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

bool tsnic_nl_dump_intr(const struct tsnic_nl *nl)
{
	return nl->dump_intr;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	t->done = true;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;
	struct nlattr *tb[t->maxattr + 1];
	int err;

	if (!t->fn)
		return NL_OK;
	t->nl->cmd = genlmsg_hdr(nlmsg_hdr(msg))->cmd;
	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, t->maxattr, NULL);
	if (err < 0) {
		fprintf(stderr, "tsnic: malformed reply from the kernel\n");
		t->err = -EINVAL;
		return NL_SKIP;
	}
	err = t->fn(tb, t->arg);
	if (err && !t->err)
		t->err = err;
	return NL_OK;
}

int tsnic_nl_talk(struct tsnic_nl *nl, struct nl_msg *msg, int maxattr,
		  tsnic_reply_fn fn, void *arg)
{
	struct talk t = {
		.nl = nl, .maxattr = maxattr, .fn = fn, .arg = arg,
	};
	struct nl_cb *cb;
	int err;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &t);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &t);
	nl->dump_intr = false;

	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		fprintf(stderr, "tsnic: cannot send: %s\n", nl_geterror(err));
		nl_cb_put(cb);
		return -EIO;
	}
	while (!t.done) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && !t.done) {
			fprintf(stderr, "tsnic: netlink: %s\n", nl_geterror(err));
			t.err = t.err ?: -EIO;
			break;
		}
	}
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

	grp = genl_ctrl_resolve_grp(nl->sk, TSNIC_GENL_NAME, TSNIC_MCGRP_EVENTS);
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
