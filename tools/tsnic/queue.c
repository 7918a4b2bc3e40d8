// SPDX-License-Identifier: GPL-2.0
/* tsnic CLI: "queue show". */
#include <net/if.h>

#include <linux/tsnic.h>

#include "tsnic.h"

const struct attr_desc queue_desc[TSNIC_A_QUEUE_MAX + 1] = {
	[TSNIC_A_QUEUE_IFINDEX]		= { "ifindex", K_U32 },
	[TSNIC_A_QUEUE_IFNAME]		= { "ifname", K_STR },
	[TSNIC_A_QUEUE_TYPE]		= { "type", K_QTYPE },
	[TSNIC_A_QUEUE_ID]		= { "id", K_U32 },
	[TSNIC_A_QUEUE_RING_SIZE]	= { "ring_size", K_U32 },
	[TSNIC_A_QUEUE_NEXT_TO_USE]	= { "next_to_use", K_U32 },
	[TSNIC_A_QUEUE_NEXT_TO_CLEAN]	= { "next_to_clean", K_U32 },
	[TSNIC_A_QUEUE_DESC_FREE]	= { "desc_free", K_U32 },
	[TSNIC_A_QUEUE_STOPPED]		= { "stopped", K_BOOL },
	[TSNIC_A_QUEUE_BQL_LIMIT]	= { "bql_limit", K_U32 },
	[TSNIC_A_QUEUE_BQL_INFLIGHT]	= { "bql_inflight", K_U32 },
	[TSNIC_A_QUEUE_FIFO_LEN]	= { "fifo_len", K_U32 },
	[TSNIC_A_QUEUE_STATS]		= { "stats", K_NEST, &stats_set },
};

const struct attr_set queue_set = { queue_desc, TSNIC_A_QUEUE_MAX };

const char *qtype_name(uint32_t t)
{
	return t == TSNIC_QUEUE_TYPE_TX ? "tx" :
	       t == TSNIC_QUEUE_TYPE_RX ? "rx" : "unknown";
}

void print_queue(struct nlattr **tb)
{
	uint32_t type = get_u32(tb, TSNIC_A_QUEUE_TYPE);
	char name[IF_NAMESIZE];
	uint32_t ifindex = get_u32(tb, TSNIC_A_QUEUE_IFINDEX);

	printf("%s %s %u: ring %u",
	       if_indextoname(ifindex, name) ? name : "?", qtype_name(type),
	       get_u32(tb, TSNIC_A_QUEUE_ID),
	       get_u32(tb, TSNIC_A_QUEUE_RING_SIZE));
	if (tb[TSNIC_A_QUEUE_NEXT_TO_USE])
		printf(" ntu %u ntc %u free %u %s",
		       get_u32(tb, TSNIC_A_QUEUE_NEXT_TO_USE),
		       get_u32(tb, TSNIC_A_QUEUE_NEXT_TO_CLEAN),
		       get_u32(tb, TSNIC_A_QUEUE_DESC_FREE),
		       tb[TSNIC_A_QUEUE_STOPPED] &&
		       nla_get_u8(tb[TSNIC_A_QUEUE_STOPPED]) ? "stopped" : "running");
	if (tb[TSNIC_A_QUEUE_BQL_LIMIT])
		printf(" bql limit %u inflight %u",
		       get_u32(tb, TSNIC_A_QUEUE_BQL_LIMIT),
		       get_u32(tb, TSNIC_A_QUEUE_BQL_INFLIGHT));
	if (tb[TSNIC_A_QUEUE_FIFO_LEN])
		printf(" fifo %u", get_u32(tb, TSNIC_A_QUEUE_FIFO_LEN));
	if (!tb[TSNIC_A_QUEUE_NEXT_TO_USE] && !tb[TSNIC_A_QUEUE_FIFO_LEN])
		printf(" down");
	printf("\n");
	print_stats(tb[TSNIC_A_QUEUE_STATS], type);
}

static int queue_reply(struct nlattr **tb, void *arg)
{
	const int *only_type = arg;

	if (*only_type >= 0 &&
	    (!tb[TSNIC_A_QUEUE_TYPE] ||
	     nla_get_u32(tb[TSNIC_A_QUEUE_TYPE]) != (uint32_t)*only_type))
		return 0;
	if (json)
		json_object_attrs(tb, &queue_set);
	else
		print_queue(tb);
	return 0;
}

/*
 * A QUEUE_GET request for queue @qid of type @qtype of @dev; with @qtype
 * -1, a dump of @dev's queues, or of every device's if @dev is NULL.
 */
struct nl_msg *queue_request(const char *dev, int qtype, uint32_t qid)
{
	struct nl_msg *msg;

	msg = request(TSNIC_CMD_QUEUE_GET, qtype < 0 ? NLM_F_DUMP : 0,
		      TSNIC_A_QUEUE_IFNAME, dev);
	if (!msg || qtype < 0)
		return msg;
	if (nla_put_u32(msg, TSNIC_A_QUEUE_TYPE, qtype) ||
	    nla_put_u32(msg, TSNIC_A_QUEUE_ID, qid)) {
		nlmsg_free(msg);
		nomem();
		return NULL;
	}
	return msg;
}

/* [DEV [tx|rx] [N]] */
static int parse_queue_show(int argc, char **argv, struct args *a)
{
	int i, err;

	a->qtype = -1;
	if (argc) {
		err = parse_dev(&argv[0], &a->dev);
		if (err)
			return err;
	}
	for (i = 1; i < argc; i++) {
		if (i == 1 && !strcmp(argv[i], "tx")) {
			a->qtype = TSNIC_QUEUE_TYPE_TX;
		} else if (i == 1 && !strcmp(argv[i], "rx")) {
			a->qtype = TSNIC_QUEUE_TYPE_RX;
		} else if (!a->one && argv[i][0] >= '0' && argv[i][0] <= '9') {
			err = parse_qid(&argv[i], &a->qid);
			if (err)
				return err;
			a->one = true;
		} else {
			return unexpected(&argv[i]);
		}
	}
	if (a->one && a->qtype < 0)
		a->qtype = TSNIC_QUEUE_TYPE_TX;
	return 0;
}

static int run_queue_show(struct tsnic_nl *nl, struct args *a)
{
	struct nl_msg *msg;

	msg = queue_request(a->dev, a->one ? a->qtype : -1, a->qid);
	if (!msg)
		return 1;
	return show(nl, msg, TSNIC_A_QUEUE_MAX, queue_reply, &a->qtype);
}

static const struct command queue_commands[] = {
	{ "show", parse_queue_show, run_queue_show },
	{ "list", parse_queue_show, run_queue_show },
	{ }
};

const struct object queue_object = {
	.name = "queue",
	.usage = "queue show [DEV [tx|rx] [N]]\n",
	.commands = queue_commands,
};
