// SPDX-License-Identifier: GPL-2.0
/* tsnic CLI: "ring show", a TX ring's descriptors. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/tsnic.h>

#include "tsnic.h"

/* One descriptor of a ring dump, as read from its TSNIC_A_QUEUE_DESC. */
struct ring_desc {
	uint32_t index, state, len, flags, skb_len;
	bool has_skb_len, ts_requested, ts_done, has_depart, has_tstamp;
	uint64_t depart, tstamp;
};

struct ring_dump {
	struct ring_desc *d;
	size_t n, cap;
	int err;
};

static const char *const desc_state_names[] = {
	[TSNIC_DESC_STATE_QUEUED]	= "queued",
	[TSNIC_DESC_STATE_HW]		= "hw",
	[TSNIC_DESC_STATE_DONE]		= "done",
};

static const char *const desc_flag_names[] = {
	"sop", "eop", "tstamp", "csum", "tso",
};

static const char *desc_state_name(uint32_t s)
{
	return s <= TSNIC_DESC_STATE_DONE ? desc_state_names[s] : "unknown";
}

static int ring_reply(struct nlattr **tb, void *arg)
{
	struct nlattr *a[TSNIC_A_DESC_MAX + 1];
	struct ring_dump *rd = arg;
	struct ring_desc *d;

	if (!tb[TSNIC_A_QUEUE_DESC] ||
	    nla_parse_nested(a, TSNIC_A_DESC_MAX, tb[TSNIC_A_QUEUE_DESC], NULL))
		return 0;
	if (rd->n == rd->cap) {
		size_t cap = rd->cap ? 2 * rd->cap : 256;
		struct ring_desc *nd = realloc(rd->d, cap * sizeof(*nd));

		if (!nd) {
			rd->err = -ENOMEM;
			return -ENOMEM;
		}
		rd->d = nd;
		rd->cap = cap;
	}
	d = &rd->d[rd->n++];
	memset(d, 0, sizeof(*d));
	d->index = get_u32(a, TSNIC_A_DESC_INDEX);
	d->state = get_u32(a, TSNIC_A_DESC_STATE);
	d->len = get_u32(a, TSNIC_A_DESC_LEN);
	d->flags = get_u32(a, TSNIC_A_DESC_FLAGS);
	d->has_skb_len = a[TSNIC_A_DESC_SKB_LEN];
	d->skb_len = get_u32(a, TSNIC_A_DESC_SKB_LEN);
	d->ts_requested = a[TSNIC_A_DESC_TS_REQUESTED] &&
			  nla_get_u8(a[TSNIC_A_DESC_TS_REQUESTED]);
	d->ts_done = a[TSNIC_A_DESC_TS_DONE] && nla_get_u8(a[TSNIC_A_DESC_TS_DONE]);
	d->has_depart = a[TSNIC_A_DESC_DEPART_NS];
	if (d->has_depart)
		d->depart = nla_get_u64(a[TSNIC_A_DESC_DEPART_NS]);
	d->has_tstamp = a[TSNIC_A_DESC_TSTAMP_NS];
	if (d->has_tstamp)
		d->tstamp = nla_get_u64(a[TSNIC_A_DESC_TSTAMP_NS]);
	return 0;
}

static void json_desc(const struct ring_desc *d)
{
	unsigned int i;

	json_open_object(NULL);
	json_uint("index", d->index);
	json_string("state", desc_state_name(d->state));
	json_uint("len", d->len);
	json_open_array("flags");
	for (i = 0; i < sizeof(desc_flag_names) / sizeof(desc_flag_names[0]); i++)
		if (d->flags & (1u << i))
			json_string(NULL, desc_flag_names[i]);
	json_close_array();
	if (d->has_skb_len)
		json_uint("skb_len", d->skb_len);
	json_bool("ts_requested", d->ts_requested);
	json_bool("ts_done", d->ts_done);
	if (d->has_depart)
		json_uint("depart_ns", d->depart);
	if (d->has_tstamp)
		json_uint("tstamp_ns", d->tstamp);
	json_close_object();
}

static void print_desc(const struct ring_desc *d, bool details)
{
	printf("%5u %-6s %5u %c%c%c%c%c %-4s ", d->index,
	       desc_state_name(d->state), d->len,
	       d->flags & TSNIC_DESC_F_SOP ? 'S' : '-',
	       d->flags & TSNIC_DESC_F_EOP ? 'E' : '-',
	       d->flags & TSNIC_DESC_F_TSTAMP ? 'T' : '-',
	       d->flags & TSNIC_DESC_F_CSUM ? 'C' : '-',
	       d->flags & TSNIC_DESC_F_TSO ? 'G' : '-',
	       d->ts_done ? "done" : d->ts_requested ? "req" : "-");
	if (d->has_skb_len)
		printf("%7u ", d->skb_len);
	else
		printf("%7s ", "-");
	if (d->has_depart)
		printf("%" PRIu64, d->depart);
	else
		printf("-");
	if (details) {
		if (d->has_tstamp)
			printf(" %" PRIu64, d->tstamp);
		else
			printf(" -");
	}
	printf("\n");
}

/* The queue's own attributes, before its descriptors (QUEUE_GET reply). */
static int ring_queue_reply(struct nlattr **tb, void *arg)
{
	const bool *details = arg;

	if (json) {
		json_attrs(tb, &queue_set);
		return 0;
	}
	if (!*details)
		tb[TSNIC_A_QUEUE_STATS] = NULL;
	print_queue(tb);
	return 0;
}

#define RING_DUMP_TRIES	5

/*
 * The ring's descriptors in flight.  A ring that moves while it is dumped
 * makes the kernel mark the dump NLM_F_DUMP_INTR: ask again, a few times.
 */
static int ring_dump_read(struct tsnic_nl *nl, const char *dev, uint32_t qid,
			  struct ring_dump *rd, bool *intr)
{
	int tries, err = 0;

	for (tries = 0; tries < RING_DUMP_TRIES; tries++) {
		struct nl_msg *msg = request(TSNIC_CMD_RING_DUMP, NLM_F_DUMP,
					     TSNIC_A_QUEUE_IFNAME, dev);

		if (!msg)
			return -ENOMEM;
		if (nla_put_u32(msg, TSNIC_A_QUEUE_ID, qid)) {
			nlmsg_free(msg);
			return nomem();
		}
		rd->n = 0;
		rd->err = 0;
		err = tsnic_nl_talk(nl, msg, TSNIC_A_QUEUE_MAX, ring_reply, rd);
		if (err || rd->err)
			return err ?: rd->err;
		*intr = tsnic_nl_dump_intr(nl);
		if (!*intr)
			break;
	}
	return 0;
}

/* DEV queue N [-d] */
static int parse_ring_show(int argc, char **argv, struct args *a)
{
	bool have_q = false;
	int i, err;

	err = parse_need_dev(argc, argv, a);
	if (err)
		return err;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d")) {
			details = true;
		} else if (!strcmp(argv[i], "queue") && i + 1 < argc && !have_q) {
			err = parse_qid(&argv[++i], &a->qid);
			if (err)
				return err;
			have_q = true;
		} else {
			return unexpected(&argv[i]);
		}
	}
	if (!have_q)
		return syntax_err("no queue given for %s (queue N)", a->dev);
	return 0;
}

static int run_ring_show(struct tsnic_nl *nl, struct args *a)
{
	struct ring_dump rd = {};
	bool intr = false;
	struct nl_msg *msg;
	size_t i;
	int err;

	/* the descriptors first: an error leaves no half-printed output */
	err = ring_dump_read(nl, a->dev, a->qid, &rd, &intr);
	if (err) {
		free(rd.d);
		return 1;
	}
	msg = queue_request(a->dev, TSNIC_QUEUE_TYPE_TX, a->qid);
	if (!msg) {
		free(rd.d);
		return 1;
	}
	json_begin_one();
	err = tsnic_nl_talk(nl, msg, TSNIC_A_QUEUE_MAX, ring_queue_reply,
			    &details);
	if (json) {
		json_bool("dump_interrupted", intr);
		json_open_array("descs");
		for (i = 0; i < rd.n; i++)
			json_desc(&rd.d[i]);
		json_close_array();
	} else if (!err) {
		printf("index state  len   flags ts   skb_len depart%s\n",
		       details ? " tstamp" : "");
		for (i = 0; i < rd.n; i++)
			print_desc(&rd.d[i], details);
	}
	json_end_one();
	if (intr)
		fprintf(stderr,
			"tsnic: the ring kept changing while it was read (%d tries): the descriptors may be inconsistent\n",
			RING_DUMP_TRIES);
	free(rd.d);
	return exit_of(err);
}

static const struct command ring_commands[] = {
	{ "show", parse_ring_show, run_ring_show },
	{ }
};

const struct object ring_object = {
	.name = "ring",
	.usage = "ring show DEV queue N [-d]\n",
	.commands = ring_commands,
};
