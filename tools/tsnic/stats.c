// SPDX-License-Identifier: GPL-2.0
/* tsnic CLI: "stats show", and the counters' columns. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/tsnic.h>

#include "tsnic.h"

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
	[TSNIC_A_STATS_RX_CRC_ERRORS]		= { "rx_crc_errors", K_U64 },
	[TSNIC_A_STATS_RX_DROPS_NOMEM]		= { "rx_drops_nomem", K_U64 },
	[TSNIC_A_STATS_TX_LAUNCH]		= { "tx_launch", K_U64 },
	[TSNIC_A_STATS_TX_LAUNCH_LATE]		= { "tx_launch_late", K_U64 },
	[TSNIC_A_STATS_TX_LAUNCH_FAR]		= { "tx_launch_far", K_U64 },
	[TSNIC_A_STATS_TX_CBS_WAITS]		= { "tx_cbs_waits", K_U64 },
	[TSNIC_A_STATS_TS_ONESTEP]		= { "ts_onestep", K_U64 },
	[TSNIC_A_STATS_TS_ONESTEP_ERR]		= { "ts_onestep_err", K_U64 },
	[TSNIC_A_STATS_TX_TIMER_LATE_1MS]	= { "tx_timer_late_1ms", K_U64 },
	[TSNIC_A_STATS_TX_TIMER_LATE_MAX_NS]	= { "tx_timer_late_max_ns", K_U64 },
	[TSNIC_A_STATS_TX_NAPI_LATE_1MS]	= { "tx_napi_late_1ms", K_U64 },
	[TSNIC_A_STATS_TX_NAPI_LATE_MAX_NS]	= { "tx_napi_late_max_ns", K_U64 },
	[TSNIC_A_STATS_TX_WINDOW_DROPS]		= { "tx_window_drops", K_U64 },
	[TSNIC_A_STATS_TX_LAZY_LATCHES]		= { "tx_lazy_latches", K_U64 },
};

const struct attr_set stats_set = { stats_desc, TSNIC_A_STATS_MAX };

/*
 * The groups of counters the text output shows, each a run of the stats
 * nest's attributes: the JSON output has them all, by stats_desc[]'s names.
 */
static const struct counter_group {
	const char *label;	/* "TX:", before the group's first row */
	const char *prefix;	/* of every name in the group, not shown */
	int first, last;	/* its attributes */
	int qtype;		/* the queues that count them; -1: the device */
} counter_groups[] = {
	{ "TX:", "tx_", TSNIC_A_STATS_TX_FRAMES, TSNIC_A_STATS_TX_IRQS,
	  TSNIC_QUEUE_TYPE_TX },
	{ "RX:", "rx_", TSNIC_A_STATS_RX_PACKETS, TSNIC_A_STATS_RX_DROPS_LENGTH,
	  TSNIC_QUEUE_TYPE_RX },
	{ "TS:", "ts_", TSNIC_A_STATS_TS_REQUESTED, TSNIC_A_STATS_TS_PENDING,
	  -1 },
	{ "TSN:", "tx_", TSNIC_A_STATS_TX_LAUNCH, TSNIC_A_STATS_TX_CBS_WAITS,
	  TSNIC_QUEUE_TYPE_TX },
	{ "", "ts_", TSNIC_A_STATS_TS_ONESTEP,
	  TSNIC_A_STATS_TS_ONESTEP_ERR, -1 },
	{ "late:", "tx_", TSNIC_A_STATS_TX_TIMER_LATE_1MS,
	  TSNIC_A_STATS_TX_NAPI_LATE_MAX_NS, TSNIC_QUEUE_TYPE_TX },
};

/*
 * The counters of group @g in stats nest @st as columns, header above
 * value, each right-aligned to the wider of the two, like `ip -s link`.
 */
static void print_counters(const struct counter_group *g, struct nlattr **st)
{
	enum { PER_ROW = 6 };
	size_t plen = strlen(g->prefix);
	int i, j, n = 0, idx[TSNIC_A_STATS_MAX + 1];

	for (i = g->first; i <= g->last; i++)
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
		printf("    %-4s", i ? "" : g->label);
		for (j = 0; j < PER_ROW && i + j < n; j++)
			printf(" %*s", w[j], stats_desc[idx[i + j]].name + plen);
		printf("\n        ");
		for (j = 0; j < PER_ROW && i + j < n; j++)
			printf(" %*s", w[j], val[j]);
		printf("\n");
	}
}

/*
 * Stats nest @nest (or NULL) of a device (@qtype -1) or of a queue of type
 * @qtype, as text.
 */
void print_stats(struct nlattr *nest, int qtype)
{
	struct nlattr *st[TSNIC_A_STATS_MAX + 1];
	size_t i;

	if (!nest || nla_parse_nested(st, TSNIC_A_STATS_MAX, nest, NULL))
		return;
	for (i = 0; i < ARRAY_SIZE(counter_groups); i++)
		if (qtype < 0 || counter_groups[i].qtype == qtype)
			print_counters(&counter_groups[i], st);
	if (qtype < 0 && st[TSNIC_A_STATS_TX_TIMEOUT_RESETS])
		printf("    tx-timeout-resets %" PRIu64 "\n",
		       (uint64_t)nla_get_u64(st[TSNIC_A_STATS_TX_TIMEOUT_RESETS]));
}

static int stats_dev_reply(struct nlattr **tb, void *arg)
{
	static const int keys[] = {
		TSNIC_A_DEV_IFINDEX, TSNIC_A_DEV_IFNAME, TSNIC_A_DEV_STATS,
	};

	if (json) {
		json_some_attrs(tb, dev_desc, keys, ARRAY_SIZE(keys));
		return 0;
	}
	printf("%u: %s:\n", get_u32(tb, TSNIC_A_DEV_IFINDEX),
	       tb[TSNIC_A_DEV_IFNAME] ? nla_get_string(tb[TSNIC_A_DEV_IFNAME]) : "?");
	print_stats(tb[TSNIC_A_DEV_STATS], -1);
	return 0;
}

static int stats_queue_reply(struct nlattr **tb, void *arg)
{
	static const int keys[] = {
		TSNIC_A_QUEUE_TYPE, TSNIC_A_QUEUE_ID, TSNIC_A_QUEUE_STATS,
	};
	uint32_t type = get_u32(tb, TSNIC_A_QUEUE_TYPE);

	if (json) {
		json_open_object(NULL);
		json_some_attrs(tb, queue_desc, keys, ARRAY_SIZE(keys));
		json_close_object();
		return 0;
	}
	printf("  %s %u:\n", qtype_name(type), get_u32(tb, TSNIC_A_QUEUE_ID));
	print_stats(tb[TSNIC_A_QUEUE_STATS], type);
	return 0;
}

/* DEV [-s] */
static int parse_stats_show(int argc, char **argv, struct args *a)
{
	int i, err;

	err = parse_need_dev(argc, argv, a);
	if (err)
		return err;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-s"))
			return unexpected(&argv[i]);
		show_stats++;
	}
	return 0;
}

/* the device's counters; -s: each queue's too */
static int run_stats_show(struct tsnic_nl *nl, struct args *a)
{
	struct nl_msg *msg;
	int err;

	msg = request(TSNIC_CMD_DEV_GET, 0, TSNIC_A_DEV_IFNAME, a->dev);
	if (!msg)
		return 1;
	json_begin_one();
	err = tsnic_nl_talk(nl, msg, TSNIC_A_DEV_MAX, stats_dev_reply, NULL);
	if (!err && show_stats) {
		/* the device's queues: a dump, filtered to it */
		msg = queue_request(a->dev, -1, 0);
		if (!msg) {
			err = -ENOMEM;
		} else {
			if (json)
				json_open_array("queues");
			err = tsnic_nl_talk(nl, msg, TSNIC_A_QUEUE_MAX,
					    stats_queue_reply, NULL);
			if (json)
				json_close_array();
		}
	}
	json_end_one();
	return exit_of(err);
}

static const struct command stats_commands[] = {
	{ "show", parse_stats_show, run_stats_show },
	{ }
};

const struct object stats_object = {
	.name = "stats",
	.alias = "statistics",
	.usage = "stats show DEV [-s]\n",
	.commands = stats_commands,
};
