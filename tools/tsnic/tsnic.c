// SPDX-License-Identifier: GPL-2.0
/*
 * tsnic: show and change tsnic devices through the "tsnic" generic netlink
 * family.
 *
 *   tsnic [-j] [-p] [-n NETNS] dev show [DEV]
 *   tsnic [-j] [-p] [-n NETNS] dev set DEV KEY VALUE...
 *   tsnic [-j] [-p] [-n NETNS] queue show [DEV [tx|rx] [N]]
 *   tsnic [-j] [-n NETNS] monitor
 *   tsnic help
 *
 * Exit status: 0 on success, 1 when the kernel (or the system) refused,
 * 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/net_tstamp.h>
#include <netlink/genl/genl.h>

#include <linux/tsnic.h>

#include "nl.h"
#include "util.h"

#define EXIT_USAGE	2

static bool json;
static bool pretty;

/* ---- attribute names and types ------------------------------------------ */

enum kind { K_NONE, K_U8, K_BOOL, K_U32, K_S32, K_U64, K_STR, K_NEST,
	    K_QTYPE, K_TXTYPE, K_RXFILTER };

struct attr_desc {
	const char *name;	/* JSON key; NULL: not shown */
	enum kind kind;
	const struct attr_set *nest;
};

struct attr_set {
	const struct attr_desc *desc;
	int max;
};

static const struct attr_desc osc_desc[TSNIC_A_OSC_MAX + 1] = {
	[TSNIC_A_OSC_FREQ_PPB]		= { "freq_ppb", K_S32 },
	[TSNIC_A_OSC_WANDER_PPB]	= { "wander_ppb", K_U32 },
	[TSNIC_A_OSC_JITTER_NS]		= { "jitter_ns", K_U32 },
};

static const struct attr_set osc_set = { osc_desc, TSNIC_A_OSC_MAX };

static const struct attr_desc stats_desc[TSNIC_A_STATS_MAX + 1] = {
	[TSNIC_A_STATS_TX_FRAMES]		= { "tx_frames", K_U64 },
	[TSNIC_A_STATS_TX_BYTES_QUEUED]		= { "tx_bytes_queued", K_U64 },
	[TSNIC_A_STATS_TX_DESCS]		= { "tx_descs", K_U64 },
	[TSNIC_A_STATS_TX_DOORBELLS]		= { "tx_doorbells", K_U64 },
	[TSNIC_A_STATS_TX_STOPS]		= { "tx_stops", K_U64 },
	[TSNIC_A_STATS_TX_BUSY]			= { "tx_busy", K_U64 },
	[TSNIC_A_STATS_TX_HWTSTAMP_REQUESTED]	= { "tx_hwtstamp_requested", K_U64 },
	[TSNIC_A_STATS_TX_COMPLETIONS]		= { "tx_completions", K_U64 },
	[TSNIC_A_STATS_TX_PACKETS]		= { "tx_packets", K_U64 },
	[TSNIC_A_STATS_TX_BYTES]		= { "tx_bytes", K_U64 },
	[TSNIC_A_STATS_TX_NAPI_POLLS]		= { "tx_napi_polls", K_U64 },
	[TSNIC_A_STATS_TX_WAKES]		= { "tx_wakes", K_U64 },
	[TSNIC_A_STATS_TX_SINK]			= { "tx_sink", K_U64 },
	[TSNIC_A_STATS_TX_PEER_DROPS]		= { "tx_peer_drops", K_U64 },
	[TSNIC_A_STATS_TX_FLUSHED]		= { "tx_flushed", K_U64 },
	[TSNIC_A_STATS_TX_ENGINE_FRAMES]	= { "tx_engine_frames", K_U64 },
	[TSNIC_A_STATS_TX_IRQS]			= { "tx_irqs", K_U64 },
	[TSNIC_A_STATS_RX_PACKETS]		= { "rx_packets", K_U64 },
	[TSNIC_A_STATS_RX_BYTES]		= { "rx_bytes", K_U64 },
	[TSNIC_A_STATS_RX_NAPI_POLLS]		= { "rx_napi_polls", K_U64 },
	[TSNIC_A_STATS_RX_HWTSTAMPS]		= { "rx_hwtstamps", K_U64 },
	[TSNIC_A_STATS_RX_DROPS_FULL]		= { "rx_drops_full", K_U64 },
	[TSNIC_A_STATS_RX_DROPS_DOWN]		= { "rx_drops_down", K_U64 },
	[TSNIC_A_STATS_RX_DROPS_LENGTH]		= { "rx_drops_length", K_U64 },
	[TSNIC_A_STATS_TS_REQUESTED]		= { "ts_requested", K_U64 },
	[TSNIC_A_STATS_TS_SKIPPED]		= { "ts_skipped", K_U64 },
	[TSNIC_A_STATS_TS_DELIVERED]		= { "ts_delivered", K_U64 },
	[TSNIC_A_STATS_TS_TIMEOUTS]		= { "ts_timeouts", K_U64 },
	[TSNIC_A_STATS_TS_STALE]		= { "ts_stale", K_U64 },
	[TSNIC_A_STATS_TS_FLUSHED]		= { "ts_flushed", K_U64 },
	[TSNIC_A_STATS_TS_PENDING]		= { "ts_pending", K_U64 },
	[TSNIC_A_STATS_TX_TIMEOUT_RESETS]	= { "tx_timeout_resets", K_U64 },
};

static const struct attr_set stats_set = { stats_desc, TSNIC_A_STATS_MAX };

static const struct attr_desc dev_desc[TSNIC_A_DEV_MAX + 1] = {
	[TSNIC_A_DEV_IFINDEX]		= { "ifindex", K_U32 },
	[TSNIC_A_DEV_IFNAME]		= { "ifname", K_STR },
	[TSNIC_A_DEV_PEER_IFINDEX]	= { "peer_ifindex", K_U32 },
	[TSNIC_A_DEV_PEER_NETNSID]	= { "peer_netnsid", K_S32 },
	[TSNIC_A_DEV_TX_QUEUES]		= { "tx_queues", K_U32 },
	[TSNIC_A_DEV_TX_QUEUES_MAX]	= { "tx_queues_max", K_U32 },
	[TSNIC_A_DEV_RX_QUEUES]		= { "rx_queues", K_U32 },
	[TSNIC_A_DEV_RX_QUEUES_MAX]	= { "rx_queues_max", K_U32 },
	[TSNIC_A_DEV_TX_RING]		= { "tx_ring", K_U32 },
	[TSNIC_A_DEV_RX_RING]		= { "rx_ring", K_U32 },
	[TSNIC_A_DEV_RATE_BPS]		= { "rate_bps", K_U64 },
	[TSNIC_A_DEV_DELAY_NS]		= { "delay_ns", K_U32 },
	[TSNIC_A_DEV_TX_USECS]		= { "tx_usecs", K_U32 },
	[TSNIC_A_DEV_TX_FRAMES]		= { "tx_frames", K_U32 },
	[TSNIC_A_DEV_OSC]		= { "osc", K_NEST, &osc_set },
	[TSNIC_A_DEV_PHC_INDEX]		= { "phc_index", K_U32 },
	[TSNIC_A_DEV_TS_SLOTS]		= { "ts_slots", K_U32 },
	[TSNIC_A_DEV_TS_TIMEOUT_MS]	= { "ts_timeout_ms", K_U32 },
	[TSNIC_A_DEV_HWTSTAMP_TX_TYPE]	= { "hwtstamp_tx_type", K_TXTYPE },
	[TSNIC_A_DEV_HWTSTAMP_RX_FILTER] = { "hwtstamp_rx_filter", K_RXFILTER },
	[TSNIC_A_DEV_STATS]		= { "stats", K_NEST, &stats_set },
};

static const struct attr_desc queue_desc[TSNIC_A_QUEUE_MAX + 1] = {
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

static const char *qtype_name(uint32_t t)
{
	return t == TSNIC_QUEUE_TYPE_TX ? "tx" :
	       t == TSNIC_QUEUE_TYPE_RX ? "rx" : "unknown";
}

static const char *tx_type_name(uint32_t t)
{
	switch (t) {
	case HWTSTAMP_TX_OFF:	return "off";
	case HWTSTAMP_TX_ON:	return "on";
	default:		return "unknown";
	}
}

static const char *rx_filter_name(uint32_t f)
{
	switch (f) {
	case HWTSTAMP_FILTER_NONE:		return "none";
	case HWTSTAMP_FILTER_ALL:		return "all";
	case HWTSTAMP_FILTER_PTP_V2_EVENT:	return "ptpv2-event";
	default:				return "unknown";
	}
}

/* Name of request attribute @type (in nest @nest) for error messages. */
static const struct attr_desc *namer_set;

static const char *attr_namer(int type, int nest)
{
	const struct attr_desc *d = namer_set;

	if (!d)
		return NULL;
	if (nest) {
		if (d == dev_desc && nest == TSNIC_A_DEV_OSC &&
		    type <= TSNIC_A_OSC_MAX)
			return osc_desc[type].name;
		return NULL;
	}
	if (d == dev_desc && type <= TSNIC_A_DEV_MAX)
		return d[type].name;
	if (d == queue_desc && type <= TSNIC_A_QUEUE_MAX)
		return d[type].name;
	return NULL;
}

/* ---- JSON output: every attribute, keys after the attributes ------------ */

static void json_attrs(struct nlattr **tb, const struct attr_set *set);

static void json_attr(const struct attr_desc *d, struct nlattr *a)
{
	switch (d->kind) {
	case K_U8:
		json_uint(d->name, nla_get_u8(a));
		break;
	case K_BOOL:
		json_bool(d->name, nla_get_u8(a));
		break;
	case K_U32:
		json_uint(d->name, nla_get_u32(a));
		break;
	case K_S32:
		json_int(d->name, (int32_t)nla_get_u32(a));
		break;
	case K_U64:
		json_uint(d->name, nla_get_u64(a));
		break;
	case K_STR:
		json_string(d->name, nla_get_string(a));
		break;
	case K_QTYPE:
		json_string(d->name, qtype_name(nla_get_u32(a)));
		break;
	case K_TXTYPE:
		json_string(d->name, tx_type_name(nla_get_u32(a)));
		break;
	case K_RXFILTER:
		json_string(d->name, rx_filter_name(nla_get_u32(a)));
		break;
	case K_NEST: {
		struct nlattr *nt[d->nest->max + 1];

		if (nla_parse_nested(nt, d->nest->max, a, NULL))
			break;
		json_open_object(d->name);
		json_attrs(nt, d->nest);
		json_close_object();
		break;
	}
	default:
		break;
	}
}

static void json_attrs(struct nlattr **tb, const struct attr_set *set)
{
	int i;

	for (i = 1; i <= set->max; i++)
		if (tb[i] && set->desc[i].name)
			json_attr(&set->desc[i], tb[i]);
}

/* ---- human output ------------------------------------------------------- */

static uint32_t get_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

/*
 * Counters @first..@last of a stats nest as columns, header above value,
 * each right-aligned to the wider of the two, like `ip -s link`.
 */
static void print_counters(const char *label, struct nlattr **st, int first,
			   int last, const char *prefix)
{
	enum { PER_ROW = 6 };
	size_t plen = strlen(prefix);
	int i, j, n = 0, idx[TSNIC_A_STATS_MAX + 1];

	for (i = first; i <= last; i++)
		if (st[i])
			idx[n++] = i;
	for (i = 0; i < n; i += PER_ROW) {
		char val[PER_ROW][24];
		int w[PER_ROW];

		for (j = 0; j < PER_ROW && i + j < n; j++) {
			const char *name = stats_desc[idx[i + j]].name + plen;
			int vl = snprintf(val[j], sizeof(val[j]), "%" PRIu64,
					  (uint64_t)nla_get_u64(st[idx[i + j]]));
			int nl = strlen(name);

			w[j] = nl > vl ? nl : vl;
		}
		printf("    %-4s", i ? "" : label);
		for (j = 0; j < PER_ROW && i + j < n; j++)
			printf(" %*s", w[j], stats_desc[idx[i + j]].name + plen);
		printf("\n        ");
		for (j = 0; j < PER_ROW && i + j < n; j++)
			printf(" %*s", w[j], val[j]);
		printf("\n");
	}
}

static void print_dev(struct nlattr **tb)
{
	char b1[32], b2[32], b3[32];

	printf("%u: %s:", get_u32(tb, TSNIC_A_DEV_IFINDEX),
	       tb[TSNIC_A_DEV_IFNAME] ? nla_get_string(tb[TSNIC_A_DEV_IFNAME]) : "?");
	if (tb[TSNIC_A_DEV_PEER_IFINDEX]) {
		uint32_t peer = get_u32(tb, TSNIC_A_DEV_PEER_IFINDEX);
		char name[IF_NAMESIZE];

		if (tb[TSNIC_A_DEV_PEER_NETNSID])
			printf(" peer ifindex %u link-netnsid %d", peer,
			       (int32_t)get_u32(tb, TSNIC_A_DEV_PEER_NETNSID));
		else if (if_indextoname(peer, name))
			printf(" peer %s", name);
		else
			printf(" peer ifindex %u", peer);
	} else {
		printf(" unwired");
	}
	printf("\n");
	printf("    rate %s delay %s tx-usecs %u tx-frames %u\n",
	       fmt_rate(b1, sizeof(b1), tb[TSNIC_A_DEV_RATE_BPS] ?
			nla_get_u64(tb[TSNIC_A_DEV_RATE_BPS]) : 0),
	       fmt_time_ns(b2, sizeof(b2), get_u32(tb, TSNIC_A_DEV_DELAY_NS)),
	       get_u32(tb, TSNIC_A_DEV_TX_USECS),
	       get_u32(tb, TSNIC_A_DEV_TX_FRAMES));
	printf("    queues tx %u/%u rx %u/%u ring tx %u rx %u\n",
	       get_u32(tb, TSNIC_A_DEV_TX_QUEUES),
	       get_u32(tb, TSNIC_A_DEV_TX_QUEUES_MAX),
	       get_u32(tb, TSNIC_A_DEV_RX_QUEUES),
	       get_u32(tb, TSNIC_A_DEV_RX_QUEUES_MAX),
	       get_u32(tb, TSNIC_A_DEV_TX_RING),
	       get_u32(tb, TSNIC_A_DEV_RX_RING));
	if (tb[TSNIC_A_DEV_OSC]) {
		struct nlattr *osc[TSNIC_A_OSC_MAX + 1];

		if (!nla_parse_nested(osc, TSNIC_A_OSC_MAX, tb[TSNIC_A_DEV_OSC],
				      NULL)) {
			if (tb[TSNIC_A_DEV_PHC_INDEX])
				printf("    phc ptp%u", get_u32(tb, TSNIC_A_DEV_PHC_INDEX));
			else
				printf("    phc none");
			printf(" freq-offset %s wander %s ts-jitter %s\n",
			       fmt_ppb(b1, sizeof(b1),
				       (int32_t)get_u32(osc, TSNIC_A_OSC_FREQ_PPB)),
			       fmt_ppb(b2, sizeof(b2),
				       get_u32(osc, TSNIC_A_OSC_WANDER_PPB)),
			       fmt_time_ns(b3, sizeof(b3),
					   get_u32(osc, TSNIC_A_OSC_JITTER_NS)));
		}
	}
	printf("    ts-slots %u ts-timeout %s hwtstamp tx %s rx %s\n",
	       get_u32(tb, TSNIC_A_DEV_TS_SLOTS),
	       fmt_time_ns(b1, sizeof(b1),
			   (uint64_t)get_u32(tb, TSNIC_A_DEV_TS_TIMEOUT_MS) * 1000000),
	       tx_type_name(get_u32(tb, TSNIC_A_DEV_HWTSTAMP_TX_TYPE)),
	       rx_filter_name(get_u32(tb, TSNIC_A_DEV_HWTSTAMP_RX_FILTER)));
	if (tb[TSNIC_A_DEV_STATS]) {
		struct nlattr *st[TSNIC_A_STATS_MAX + 1];

		if (!nla_parse_nested(st, TSNIC_A_STATS_MAX, tb[TSNIC_A_DEV_STATS],
				      NULL)) {
			print_counters("TX:", st, TSNIC_A_STATS_TX_FRAMES,
				       TSNIC_A_STATS_TX_IRQS, "tx_");
			print_counters("RX:", st, TSNIC_A_STATS_RX_PACKETS,
				       TSNIC_A_STATS_RX_DROPS_LENGTH, "rx_");
			print_counters("TS:", st, TSNIC_A_STATS_TS_REQUESTED,
				       TSNIC_A_STATS_TS_PENDING, "ts_");
			if (st[TSNIC_A_STATS_TX_TIMEOUT_RESETS])
				printf("    tx-timeout-resets %" PRIu64 "\n",
				       (uint64_t)nla_get_u64(st[TSNIC_A_STATS_TX_TIMEOUT_RESETS]));
		}
	}
}

static void print_queue(struct nlattr **tb)
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
	if (tb[TSNIC_A_QUEUE_STATS]) {
		struct nlattr *st[TSNIC_A_STATS_MAX + 1];

		if (!nla_parse_nested(st, TSNIC_A_STATS_MAX,
				      tb[TSNIC_A_QUEUE_STATS], NULL)) {
			if (type == TSNIC_QUEUE_TYPE_TX)
				print_counters("TX:", st, TSNIC_A_STATS_TX_FRAMES,
					       TSNIC_A_STATS_TX_IRQS, "tx_");
			else
				print_counters("RX:", st, TSNIC_A_STATS_RX_PACKETS,
					       TSNIC_A_STATS_RX_DROPS_LENGTH, "rx_");
		}
	}
}

/* ---- commands ----------------------------------------------------------- */

static int usage(FILE *f)
{
	fprintf(f,
		"Usage: tsnic [-j] [-p] [-n NETNS] OBJECT COMMAND\n"
		"       tsnic dev show [DEV]\n"
		"       tsnic dev set DEV [rate RATE] [delay TIME] [tx-usecs N] [tx-frames N]\n"
		"                         [freq-offset PPB] [wander PPB] [ts-jitter TIME]\n"
		"                         [ts-slots N] [ts-timeout TIME]\n"
		"       tsnic queue show [DEV [tx|rx] [N]]\n"
		"       tsnic monitor\n"
		"       tsnic help\n"
		"RATE: 1gbit, 100mbit, 12500kbps, 0 (unlimited); TIME: 500ns, 5us, 1ms, 2s;\n"
		"PPB: 40ppm, -1500ppb\n"
		"  -j  JSON output    -p  pretty JSON    -n NETNS  run in network namespace NETNS\n");
	return f == stderr ? EXIT_USAGE : 0;
}

static int usage_err(const char *fmt, const char *arg)
{
	fprintf(stderr, "tsnic: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	return EXIT_USAGE;
}

static int exit_of(int err)
{
	return err ? 1 : 0;
}

static int put_dev(struct nl_msg *msg, int a_ifname, const char *dev)
{
	if (strlen(dev) >= IF_NAMESIZE)
		return usage_err("device name too long: %s", dev);
	return nla_put_string(msg, a_ifname, dev) ? 1 : 0;
}

static int dev_reply(struct nlattr **tb, void *arg)
{
	if (json) {
		json_open_object(NULL);
		json_attrs(tb, &(struct attr_set){ dev_desc, TSNIC_A_DEV_MAX });
		json_close_object();
	} else {
		print_dev(tb);
	}
	return 0;
}

static int queue_reply(struct nlattr **tb, void *arg)
{
	const int *only_type = arg;

	if (*only_type >= 0 &&
	    (!tb[TSNIC_A_QUEUE_TYPE] ||
	     nla_get_u32(tb[TSNIC_A_QUEUE_TYPE]) != (uint32_t)*only_type))
		return 0;
	if (json) {
		json_open_object(NULL);
		json_attrs(tb, &(struct attr_set){ queue_desc, TSNIC_A_QUEUE_MAX });
		json_close_object();
	} else {
		print_queue(tb);
	}
	return 0;
}

/* run a request whose replies are printed as a JSON array or as text */
static int show(struct tsnic_nl *nl, struct nl_msg *msg, int maxattr,
		tsnic_reply_fn fn, void *arg)
{
	int err;

	if (json) {
		json_init(pretty);
		json_open_array(NULL);
	}
	err = tsnic_nl_talk(nl, msg, maxattr, fn, arg);
	if (json) {
		json_close_array();
		json_end();
	}
	return exit_of(err);
}

static int do_dev_show(struct tsnic_nl *nl, int argc, char **argv)
{
	struct nl_msg *msg;

	if (argc > 1)
		return usage_err("dev show: unexpected argument \"%s\"", argv[1]);
	msg = tsnic_nl_msg(nl, TSNIC_CMD_DEV_GET, argc ? 0 : NLM_F_DUMP);
	if (!msg)
		return 1;
	if (argc && put_dev(msg, TSNIC_A_DEV_IFNAME, argv[0])) {
		nlmsg_free(msg);
		return EXIT_USAGE;
	}
	return show(nl, msg, TSNIC_A_DEV_MAX, dev_reply, NULL);
}

static int put_u32_arg(struct nl_msg *msg, int type, const char *key,
		       const char *val)
{
	uint32_t v;

	if (parse_u32(val, &v))
		return usage_err("invalid %s", key);
	return nla_put_u32(msg, type, v) ? 1 : 0;
}

static int put_time_arg(struct nl_msg *msg, int type, const char *key,
			const char *val, uint64_t bare, uint64_t unit)
{
	uint64_t ns;

	if (parse_time_ns(val, bare, &ns) || ns % unit || ns / unit > UINT32_MAX)
		return usage_err("invalid %s", key);
	return nla_put_u32(msg, type, ns / unit) ? 1 : 0;
}

static int do_dev_set(struct tsnic_nl *nl, int argc, char **argv)
{
	struct nl_msg *msg;
	uint32_t wander = 0, jitter = 0;
	struct nlattr *osc;
	int32_t freq_ppb = 0;
	int i, err = 0;
	unsigned int have = 0;	/* oscillator settings given: 1 freq, 2 wander, 4 jitter */

	if (argc < 1)
		return usage_err("dev set: which device?%s", "");
	if (argc < 3 || (argc - 1) % 2)
		return usage_err("dev set %s: expected KEY VALUE pairs", argv[0]);
	msg = tsnic_nl_msg(nl, TSNIC_CMD_DEV_SET, 0);
	if (!msg)
		return 1;
	err = put_dev(msg, TSNIC_A_DEV_IFNAME, argv[0]);
	for (i = 1; !err && i < argc; i += 2) {
		const char *key = argv[i], *val = argv[i + 1];
		uint64_t u64;
		int64_t ppb;

		if (!strcmp(key, "rate")) {
			if (parse_rate(val, &u64))
				err = usage_err("invalid rate \"%s\"", val);
			else
				err = nla_put_u64(msg, TSNIC_A_DEV_RATE_BPS, u64) ? 1 : 0;
		} else if (!strcmp(key, "delay")) {
			err = put_time_arg(msg, TSNIC_A_DEV_DELAY_NS, key, val, 1, 1);
		} else if (!strcmp(key, "tx-usecs")) {
			err = put_u32_arg(msg, TSNIC_A_DEV_TX_USECS, key, val);
		} else if (!strcmp(key, "tx-frames")) {
			err = put_u32_arg(msg, TSNIC_A_DEV_TX_FRAMES, key, val);
		} else if (!strcmp(key, "ts-slots")) {
			err = put_u32_arg(msg, TSNIC_A_DEV_TS_SLOTS, key, val);
		} else if (!strcmp(key, "ts-timeout")) {
			/* a bare number is in milliseconds, as the attribute */
			err = put_time_arg(msg, TSNIC_A_DEV_TS_TIMEOUT_MS, key, val,
					   1000000, 1000000);
		} else if (!strcmp(key, "ts-jitter")) {
			if (parse_time_ns(val, 1, &u64) || u64 > UINT32_MAX)
				err = usage_err("invalid %s", key);
			else
				jitter = u64;
			have |= 4;
		} else if (!strcmp(key, "freq-offset") || !strcmp(key, "wander")) {
			bool freq = key[0] == 'f';

			if (parse_ppb(val, &ppb) ||
			    (freq && (ppb < INT32_MIN || ppb > INT32_MAX)) ||
			    (!freq && (ppb < 0 || ppb > UINT32_MAX)))
				err = usage_err("invalid %s", key);
			else if (freq)
				freq_ppb = ppb;
			else
				wander = ppb;
			have |= freq ? 1 : 2;
		} else {
			err = usage_err("dev set: unknown key \"%s\"", key);
		}
	}
	/* the oscillator's settings go in one nest */
	if (!err && have) {
		osc = nla_nest_start(msg, TSNIC_A_DEV_OSC | NLA_F_NESTED);
		if (!osc ||
		    ((have & 1) && nla_put_s32(msg, TSNIC_A_OSC_FREQ_PPB, freq_ppb)) ||
		    ((have & 2) && nla_put_u32(msg, TSNIC_A_OSC_WANDER_PPB, wander)) ||
		    ((have & 4) && nla_put_u32(msg, TSNIC_A_OSC_JITTER_NS, jitter)))
			err = 1;
		else
			nla_nest_end(msg, osc);
	}
	if (err) {
		nlmsg_free(msg);
		return err == 1 ? 1 : EXIT_USAGE;
	}
	return exit_of(tsnic_nl_talk(nl, msg, TSNIC_A_DEV_MAX, NULL, NULL));
}

static int monitor_reply(struct nlattr **tb, void *arg)
{
	if (json) {
		/* one JSON object per line, as `ip -j monitor` */
		json_init(false);
		json_open_object(NULL);
		json_attrs(tb, &(struct attr_set){ dev_desc, TSNIC_A_DEV_MAX });
		json_close_object();
		json_end();
	} else {
		printf("[change] ");
		print_dev(tb);
	}
	fflush(stdout);
	return 0;
}

static int do_monitor(struct tsnic_nl *nl, int argc, char **argv)
{
	if (argc)
		return usage_err("monitor: unexpected argument \"%s\"", argv[0]);
	return exit_of(tsnic_nl_monitor(nl, TSNIC_A_DEV_MAX, monitor_reply,
					NULL));
}

static int do_queue_show(struct tsnic_nl *nl, int argc, char **argv)
{
	int only_type = -1;
	struct nl_msg *msg;
	uint32_t qid;
	bool one = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (i == 1 && !strcmp(argv[i], "tx")) {
			only_type = TSNIC_QUEUE_TYPE_TX;
		} else if (i == 1 && !strcmp(argv[i], "rx")) {
			only_type = TSNIC_QUEUE_TYPE_RX;
		} else if (!one && !parse_u32(argv[i], &qid)) {
			one = true;
		} else {
			return usage_err("queue show: unexpected argument \"%s\"",
					 argv[i]);
		}
	}
	if (one && only_type < 0)
		only_type = TSNIC_QUEUE_TYPE_TX;

	msg = tsnic_nl_msg(nl, TSNIC_CMD_QUEUE_GET, one ? 0 : NLM_F_DUMP);
	if (!msg)
		return 1;
	if (argc && put_dev(msg, TSNIC_A_QUEUE_IFNAME, argv[0])) {
		nlmsg_free(msg);
		return EXIT_USAGE;
	}
	if (one && (nla_put_u32(msg, TSNIC_A_QUEUE_TYPE, only_type) ||
		    nla_put_u32(msg, TSNIC_A_QUEUE_ID, qid))) {
		nlmsg_free(msg);
		return 1;
	}
	return show(nl, msg, TSNIC_A_QUEUE_MAX, queue_reply, &only_type);
}

static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tsnic: cannot open network namespace \"%s\": %s\n",
			name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "tsnic: cannot enter network namespace \"%s\": %s\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static bool matches(const char *arg, const char *word)
{
	return *arg && !strncmp(word, arg, strlen(arg));
}

int main(int argc, char **argv)
{
	const char *netns = NULL;
	struct tsnic_nl *nl;
	int opt, ret, skip = 2;	/* OBJECT COMMAND */
	int (*fn)(struct tsnic_nl *nl, int argc, char **argv) = NULL;

	while ((opt = getopt(argc, argv, "+jpn:h")) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'h':
			return usage(stdout);
		default:
			return usage(stderr);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage(stderr);
	if (matches(argv[0], "help"))
		return usage(stdout);

	if (matches(argv[0], "dev") || matches(argv[0], "device")) {
		if (argc < 2 || matches(argv[1], "show") || matches(argv[1], "list"))
			fn = do_dev_show;
		else if (matches(argv[1], "set"))
			fn = do_dev_set;
		else if (matches(argv[1], "help"))
			return usage(stdout);
	} else if (matches(argv[0], "queue")) {
		if (argc < 2 || matches(argv[1], "show") || matches(argv[1], "list"))
			fn = do_queue_show;
		else if (matches(argv[1], "help"))
			return usage(stdout);
	} else if (matches(argv[0], "monitor")) {
		fn = do_monitor;
		skip = 1;	/* no command word */
	} else {
		return usage_err("unknown object \"%s\"; try \"tsnic help\"",
				 argv[0]);
	}
	if (!fn)
		return usage_err("unknown command \"%s\"; try \"tsnic help\"",
				 argv[1]);

	if (netns && enter_netns(netns))
		return 1;
	nl = tsnic_nl_open();
	if (!nl)
		return 1;
	namer_set = fn == do_queue_show ? queue_desc : dev_desc;
	tsnic_nl_set_namer(nl, attr_namer);
	if (argc < skip)
		ret = fn(nl, 0, argv + argc);
	else
		ret = fn(nl, argc - skip, argv + skip);
	tsnic_nl_close(nl);
	return ret;
}
