// SPDX-License-Identifier: GPL-2.0
/*
 * tsnic: show and change tsnic devices through the "tsnic" generic netlink
 * family.
 *
 *   tsnic [-j] [-p] [-n NETNS] dev show [DEV]
 *   tsnic [-j] [-p] [-n NETNS] dev set DEV KEY VALUE...
 *   tsnic [-j] [-p] [-n NETNS] queue show [DEV [tx|rx] [N]]
 *   tsnic [-j] [-p] [-n NETNS] ring show DEV queue N [-d]
 *   tsnic [-j] [-p] [-s] [-n NETNS] stats show DEV [-s]
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
static bool stats_detail;	/* -s */

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
	[TSNIC_A_STATS_RX_CRC_ERRORS]		= { "rx_crc_errors", K_U64 },
	[TSNIC_A_STATS_RX_DROPS_NOMEM]		= { "rx_drops_nomem", K_U64 },
};

static const struct attr_set stats_set = { stats_desc, TSNIC_A_STATS_MAX };

static const struct attr_desc fault_desc[TSNIC_A_FAULT_MAX + 1] = {
	[TSNIC_A_FAULT_SEED]			= { "seed", K_U64 },
	[TSNIC_A_FAULT_TS_DROP_EVERY]		= { "ts_drop_every", K_U32 },
	[TSNIC_A_FAULT_TS_DROP_PPM]		= { "ts_drop_ppm", K_U32 },
	[TSNIC_A_FAULT_TS_DROP_FIRED]		= { "ts_drop_fired", K_U64 },
	[TSNIC_A_FAULT_TS_DELAY_EVERY]		= { "ts_delay_every", K_U32 },
	[TSNIC_A_FAULT_TS_DELAY_PPM]		= { "ts_delay_ppm", K_U32 },
	[TSNIC_A_FAULT_TS_DELAY_FIRED]		= { "ts_delay_fired", K_U64 },
	[TSNIC_A_FAULT_TS_REORDER_EVERY]	= { "ts_reorder_every", K_U32 },
	[TSNIC_A_FAULT_TS_REORDER_PPM]		= { "ts_reorder_ppm", K_U32 },
	[TSNIC_A_FAULT_TS_REORDER_FIRED]	= { "ts_reorder_fired", K_U64 },
	[TSNIC_A_FAULT_CABLE_DROP_EVERY]	= { "cable_drop_every", K_U32 },
	[TSNIC_A_FAULT_CABLE_DROP_PPM]		= { "cable_drop_ppm", K_U32 },
	[TSNIC_A_FAULT_CABLE_DROP_FIRED]	= { "cable_drop_fired", K_U64 },
	[TSNIC_A_FAULT_CABLE_CORRUPT_EVERY]	= { "cable_corrupt_every", K_U32 },
	[TSNIC_A_FAULT_CABLE_CORRUPT_PPM]	= { "cable_corrupt_ppm", K_U32 },
	[TSNIC_A_FAULT_CABLE_CORRUPT_FIRED]	= { "cable_corrupt_fired", K_U64 },
	[TSNIC_A_FAULT_CABLE_DELAY_EVERY]	= { "cable_delay_every", K_U32 },
	[TSNIC_A_FAULT_CABLE_DELAY_PPM]		= { "cable_delay_ppm", K_U32 },
	[TSNIC_A_FAULT_CABLE_DELAY_FIRED]	= { "cable_delay_fired", K_U64 },
	[TSNIC_A_FAULT_STALL_EVERY]		= { "stall_every", K_U32 },
	[TSNIC_A_FAULT_STALL_PPM]		= { "stall_ppm", K_U32 },
	[TSNIC_A_FAULT_STALL_FIRED]		= { "stall_fired", K_U64 },
	[TSNIC_A_FAULT_TS_DELAY_NS]		= { "ts_delay_ns", K_U32 },
	[TSNIC_A_FAULT_CABLE_DELAY_NS]		= { "cable_delay_ns", K_U32 },
	[TSNIC_A_FAULT_CABLE_JITTER_NS]		= { "cable_jitter_ns", K_U32 },
	[TSNIC_A_FAULT_CABLE_PULLED]		= { "cable_pulled", K_BOOL },
	[TSNIC_A_FAULT_CABLE_PULLS]		= { "cable_pulls", K_U64 },
	[TSNIC_A_FAULT_STALLED_QUEUES]		= { "stalled_queues", K_U32 },
};

static const struct attr_set fault_set = { fault_desc, TSNIC_A_FAULT_MAX };

static const struct attr_desc event_desc[TSNIC_A_EVENT_MAX + 1] = {
	[TSNIC_A_EVENT_IFINDEX]		= { "ifindex", K_U32 },
	[TSNIC_A_EVENT_IFNAME]		= { "ifname", K_STR },
	[TSNIC_A_EVENT_CARRIER]		= { "carrier", K_BOOL },
	[TSNIC_A_EVENT_PULLED]		= { "pulled", K_BOOL },
	[TSNIC_A_EVENT_QUEUE]		= { "queue", K_U32 },
	[TSNIC_A_EVENT_COUNT]		= { "count", K_U64 },
};

static const struct attr_set event_set = { event_desc, TSNIC_A_EVENT_MAX };

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
	[TSNIC_A_DEV_FAULT]		= { "fault", K_NEST, &fault_set },
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
		if (d == dev_desc && nest == TSNIC_A_DEV_FAULT &&
		    type <= TSNIC_A_FAULT_MAX)
			return fault_desc[type].name;
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
		"Usage: tsnic [-j] [-p] [-s] [-n NETNS] OBJECT COMMAND\n"
		"       tsnic dev show [DEV]\n"
		"       tsnic dev set DEV [rate RATE] [delay TIME] [tx-usecs N] [tx-frames N]\n"
		"                         [freq-offset PPB] [wander PPB] [ts-jitter TIME]\n"
		"                         [ts-slots N] [ts-timeout TIME]\n"
		"       tsnic queue show [DEV [tx|rx] [N]]\n"
		"       tsnic ring show DEV queue N [-d]\n"
		"       tsnic stats show DEV [-s]\n"
		"       tsnic fault show [DEV]\n"
		"       tsnic fault set DEV [seed N] [KIND-every N] [KIND-ppm N] [ts-delay TIME]\n"
		"                           [cable-delay TIME] [cable-jitter TIME]\n"
		"                           [cable pulled|plugged] [stalled-queues MASK]\n"
		"         KIND: ts-drop ts-delay ts-reorder cable-drop cable-corrupt cable-delay stall\n"
		"       tsnic monitor\n"
		"       tsnic help\n"
		"RATE: 1gbit, 100mbit, 12500kbps, 0 (unlimited); TIME: 500ns, 5us, 1ms, 2s;\n"
		"PPB: 40ppm, -1500ppb\n"
		"  -j  JSON output    -p  pretty JSON    -n NETNS  run in network namespace NETNS\n"
		"  -s  stats: each queue's counters too   ring show -d: timestamps and counters\n");
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

static int event_print(uint8_t cmd, struct nlattr **tb);

static int monitor_reply(struct nlattr **tb, void *arg)
{
	if (!event_print(tsnic_nl_cmd(arg), tb)) {
		fflush(stdout);
		return 0;
	}
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
	/* device changes and the events of faults */
	int max = TSNIC_A_DEV_MAX;

	if (argc)
		return usage_err("monitor: unexpected argument \"%s\"", argv[0]);
	if ((int)TSNIC_A_EVENT_MAX > max)
		max = TSNIC_A_EVENT_MAX;
	return exit_of(tsnic_nl_monitor(nl, max, monitor_reply, nl));
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

/* ---- ring show ---------------------------------------------------------- */

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
		json_attrs(tb, &(struct attr_set){ queue_desc, TSNIC_A_QUEUE_MAX });
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
		struct nl_msg *msg = tsnic_nl_msg(nl, TSNIC_CMD_RING_DUMP,
						  NLM_F_DUMP);

		if (!msg)
			return -ENOMEM;
		if (nla_put_string(msg, TSNIC_A_QUEUE_IFNAME, dev) ||
		    nla_put_u32(msg, TSNIC_A_QUEUE_ID, qid)) {
			nlmsg_free(msg);
			return -ENOMEM;
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

static int do_ring_show(struct tsnic_nl *nl, int argc, char **argv)
{
	struct ring_dump rd = {};
	bool details = false, intr = false, have_q = false;
	struct nl_msg *msg;
	uint32_t qid = 0;
	size_t i;
	int err;

	if (argc < 1)
		return usage_err("ring show: which device?%s", "");
	if (strlen(argv[0]) >= IF_NAMESIZE)
		return usage_err("device name too long: %s", argv[0]);
	for (i = 1; i < (size_t)argc; i++) {
		if (!strcmp(argv[i], "-d")) {
			details = true;
		} else if (!strcmp(argv[i], "queue") && i + 1 < (size_t)argc &&
			   !have_q) {
			if (parse_u32(argv[++i], &qid))
				return usage_err("ring show: invalid queue \"%s\"",
						 argv[i]);
			have_q = true;
		} else {
			return usage_err("ring show: unexpected argument \"%s\"",
					 argv[i]);
		}
	}
	if (!have_q)
		return usage_err("ring show %s: expected \"queue N\"", argv[0]);

	/* the descriptors first: an error leaves no half-printed output */
	err = ring_dump_read(nl, argv[0], qid, &rd, &intr);
	if (err) {
		free(rd.d);
		return 1;
	}
	msg = tsnic_nl_msg(nl, TSNIC_CMD_QUEUE_GET, 0);
	if (!msg || nla_put_string(msg, TSNIC_A_QUEUE_IFNAME, argv[0]) ||
	    nla_put_u32(msg, TSNIC_A_QUEUE_TYPE, TSNIC_QUEUE_TYPE_TX) ||
	    nla_put_u32(msg, TSNIC_A_QUEUE_ID, qid)) {
		nlmsg_free(msg);
		free(rd.d);
		return 1;
	}
	if (json) {
		json_init(pretty);
		json_open_array(NULL);
		json_open_object(NULL);
	}
	err = tsnic_nl_talk(nl, msg, TSNIC_A_QUEUE_MAX, ring_queue_reply,
			    &details);
	if (json) {
		json_bool("dump_interrupted", intr);
		json_open_array("descs");
		for (i = 0; i < rd.n; i++)
			json_desc(&rd.d[i]);
		json_close_array();
		json_close_object();
		json_close_array();
		json_end();
	} else if (!err) {
		printf("index state  len   flags ts   skb_len depart%s\n",
		       details ? " tstamp" : "");
		for (i = 0; i < rd.n; i++)
			print_desc(&rd.d[i], details);
	}
	if (intr)
		fprintf(stderr,
			"tsnic: the ring kept changing while it was read (%d tries): the descriptors may be inconsistent\n",
			RING_DUMP_TRIES);
	free(rd.d);
	return exit_of(err);
}

/* ---- stats show --------------------------------------------------------- */

static void print_stats_nest(struct nlattr *nest, int type)
{
	struct nlattr *st[TSNIC_A_STATS_MAX + 1];

	if (!nest || nla_parse_nested(st, TSNIC_A_STATS_MAX, nest, NULL))
		return;
	if (type != TSNIC_QUEUE_TYPE_RX)
		print_counters("TX:", st, TSNIC_A_STATS_TX_FRAMES,
			       TSNIC_A_STATS_TX_IRQS, "tx_");
	if (type != TSNIC_QUEUE_TYPE_TX)
		print_counters("RX:", st, TSNIC_A_STATS_RX_PACKETS,
			       TSNIC_A_STATS_RX_DROPS_LENGTH, "rx_");
	if (type < 0) {
		print_counters("TS:", st, TSNIC_A_STATS_TS_REQUESTED,
			       TSNIC_A_STATS_TS_PENDING, "ts_");
		if (st[TSNIC_A_STATS_TX_TIMEOUT_RESETS])
			printf("    tx-timeout-resets %" PRIu64 "\n",
			       (uint64_t)nla_get_u64(st[TSNIC_A_STATS_TX_TIMEOUT_RESETS]));
	}
}

static int stats_dev_reply(struct nlattr **tb, void *arg)
{
	if (json) {
		static const int keys[] = {
			TSNIC_A_DEV_IFINDEX, TSNIC_A_DEV_IFNAME, TSNIC_A_DEV_STATS,
		};
		unsigned int i;

		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (tb[keys[i]])
				json_attr(&dev_desc[keys[i]], tb[keys[i]]);
		return 0;
	}
	printf("%u: %s:\n", get_u32(tb, TSNIC_A_DEV_IFINDEX),
	       tb[TSNIC_A_DEV_IFNAME] ? nla_get_string(tb[TSNIC_A_DEV_IFNAME]) : "?");
	print_stats_nest(tb[TSNIC_A_DEV_STATS], -1);
	return 0;
}

static int stats_queue_reply(struct nlattr **tb, void *arg)
{
	uint32_t type = get_u32(tb, TSNIC_A_QUEUE_TYPE);

	if (json) {
		json_open_object(NULL);
		json_attr(&queue_desc[TSNIC_A_QUEUE_TYPE], tb[TSNIC_A_QUEUE_TYPE]);
		json_attr(&queue_desc[TSNIC_A_QUEUE_ID], tb[TSNIC_A_QUEUE_ID]);
		if (tb[TSNIC_A_QUEUE_STATS])
			json_attr(&queue_desc[TSNIC_A_QUEUE_STATS],
				  tb[TSNIC_A_QUEUE_STATS]);
		json_close_object();
		return 0;
	}
	printf("  %s %u:\n", qtype_name(type), get_u32(tb, TSNIC_A_QUEUE_ID));
	print_stats_nest(tb[TSNIC_A_QUEUE_STATS], type);
	return 0;
}

/* tsnic stats show DEV [-s]: the device's counters; -s: each queue's too */
static int do_stats_show(struct tsnic_nl *nl, int argc, char **argv)
{
	bool queues = stats_detail;
	struct nl_msg *msg;
	int i, err;

	if (argc < 1)
		return usage_err("stats show: which device?%s", "");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-s"))
			return usage_err("stats show: unexpected argument \"%s\"",
					 argv[i]);
		queues = true;
	}
	msg = tsnic_nl_msg(nl, TSNIC_CMD_DEV_GET, 0);
	if (!msg)
		return 1;
	if (put_dev(msg, TSNIC_A_DEV_IFNAME, argv[0])) {
		nlmsg_free(msg);
		return EXIT_USAGE;
	}
	if (json) {
		json_init(pretty);
		json_open_array(NULL);
		json_open_object(NULL);
	}
	err = tsnic_nl_talk(nl, msg, TSNIC_A_DEV_MAX, stats_dev_reply, NULL);
	if (!err && queues) {
		msg = tsnic_nl_msg(nl, TSNIC_CMD_QUEUE_GET, NLM_F_DUMP);
		if (!msg || nla_put_string(msg, TSNIC_A_QUEUE_IFNAME, argv[0])) {
			nlmsg_free(msg);
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
	if (json) {
		json_close_object();
		json_close_array();
		json_end();
	}
	return exit_of(err);
}

/* ---- faults ------------------------------------------------------------- */

/* The fault kinds, in the order of their EVERY/PPM/FIRED attributes. */
static const char *const fault_kinds[] = {
	"ts-drop", "ts-delay", "ts-reorder", "cable-drop", "cable-corrupt",
	"cable-delay", "stall",
};

#define FAULT_KINDS	(int)(sizeof(fault_kinds) / sizeof(fault_kinds[0]))

static uint8_t get_u8(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u8(tb[type]) : 0;
}

static uint64_t get_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

static int fault_reply(struct nlattr **tb, void *arg)
{
	struct nlattr *ft[TSNIC_A_FAULT_MAX + 1];
	char b1[32], b2[32];
	int k;

	if (!tb[TSNIC_A_DEV_FAULT] ||
	    nla_parse_nested(ft, TSNIC_A_FAULT_MAX, tb[TSNIC_A_DEV_FAULT], NULL))
		return -EINVAL;
	if (json) {
		json_open_object(NULL);
		json_attr(&dev_desc[TSNIC_A_DEV_IFINDEX], tb[TSNIC_A_DEV_IFINDEX]);
		json_attr(&dev_desc[TSNIC_A_DEV_IFNAME], tb[TSNIC_A_DEV_IFNAME]);
		json_attrs(ft, &fault_set);
		json_close_object();
		return 0;
	}
	printf("%u: %s: seed %" PRIu64 " cable %s (pulled %" PRIu64 " times) stalled-queues 0x%x\n",
	       get_u32(tb, TSNIC_A_DEV_IFINDEX),
	       tb[TSNIC_A_DEV_IFNAME] ? nla_get_string(tb[TSNIC_A_DEV_IFNAME]) : "?",
	       ft[TSNIC_A_FAULT_SEED] ? (uint64_t)nla_get_u64(ft[TSNIC_A_FAULT_SEED]) : 0,
	       ft[TSNIC_A_FAULT_CABLE_PULLED] &&
	       nla_get_u8(ft[TSNIC_A_FAULT_CABLE_PULLED]) ? "pulled" : "plugged",
	       ft[TSNIC_A_FAULT_CABLE_PULLS] ?
	       (uint64_t)nla_get_u64(ft[TSNIC_A_FAULT_CABLE_PULLS]) : 0,
	       get_u32(ft, TSNIC_A_FAULT_STALLED_QUEUES));
	for (k = 0; k < FAULT_KINDS; k++) {
		int a = TSNIC_A_FAULT_TS_DROP_EVERY + 3 * k;

		printf("    %-13s every %-7u ppm %-7u fired %" PRIu64, fault_kinds[k],
		       get_u32(ft, a), get_u32(ft, a + 1),
		       ft[a + 2] ? (uint64_t)nla_get_u64(ft[a + 2]) : 0);
		if (a == TSNIC_A_FAULT_TS_DELAY_EVERY)
			printf(" by %s", fmt_time_ns(b1, sizeof(b1),
				get_u32(ft, TSNIC_A_FAULT_TS_DELAY_NS)));
		if (a == TSNIC_A_FAULT_CABLE_DELAY_EVERY)
			printf(" by %s + 0..%s",
			       fmt_time_ns(b1, sizeof(b1),
					   get_u32(ft, TSNIC_A_FAULT_CABLE_DELAY_NS)),
			       fmt_time_ns(b2, sizeof(b2),
					   get_u32(ft, TSNIC_A_FAULT_CABLE_JITTER_NS)));
		printf("\n");
	}
	return 0;
}

static int do_fault_show(struct tsnic_nl *nl, int argc, char **argv)
{
	struct nl_msg *msg;

	if (argc > 1)
		return usage_err("fault show: unexpected argument \"%s\"", argv[1]);
	msg = tsnic_nl_msg(nl, TSNIC_CMD_DEV_GET, argc ? 0 : NLM_F_DUMP);
	if (!msg)
		return 1;
	if (argc && put_dev(msg, TSNIC_A_DEV_IFNAME, argv[0])) {
		nlmsg_free(msg);
		return EXIT_USAGE;
	}
	return show(nl, msg, TSNIC_A_DEV_MAX, fault_reply, NULL);
}

/* One KEY VALUE of "fault set" into @msg: 0, 1 (no room) or EXIT_USAGE. */
static int fault_put(struct nl_msg *msg, const char *key, const char *val)
{
	const char *suffix;
	uint64_t u64;
	char *end;
	int k;

	if (!strcmp(key, "seed")) {
		errno = 0;
		u64 = strtoull(val, &end, 0);
		if (errno || end == val || *end || *val == '-')
			return usage_err("invalid seed \"%s\"", val);
		return nla_put_u64(msg, TSNIC_A_FAULT_SEED, u64) ? 1 : 0;
	}
	if (!strcmp(key, "cable")) {
		if (!strcmp(val, "pulled") || !strcmp(val, "pull"))
			return nla_put_u8(msg, TSNIC_A_FAULT_CABLE_PULLED, 1) ? 1 : 0;
		if (!strcmp(val, "plugged") || !strcmp(val, "plug"))
			return nla_put_u8(msg, TSNIC_A_FAULT_CABLE_PULLED, 0) ? 1 : 0;
		return usage_err("cable: \"pulled\" or \"plugged\", not \"%s\"", val);
	}
	if (!strcmp(key, "stalled-queues")) {
		errno = 0;
		u64 = strtoull(val, &end, 0);
		if (errno || end == val || *end || *val == '-' || u64 > UINT32_MAX)
			return usage_err("invalid stalled-queues mask \"%s\"", val);
		return nla_put_u32(msg, TSNIC_A_FAULT_STALLED_QUEUES, u64) ? 1 : 0;
	}
	if (!strcmp(key, "ts-delay"))
		return put_time_arg(msg, TSNIC_A_FAULT_TS_DELAY_NS, key, val, 1, 1);
	if (!strcmp(key, "cable-delay"))
		return put_time_arg(msg, TSNIC_A_FAULT_CABLE_DELAY_NS, key, val, 1, 1);
	if (!strcmp(key, "cable-jitter"))
		return put_time_arg(msg, TSNIC_A_FAULT_CABLE_JITTER_NS, key, val, 1, 1);
	for (k = 0; k < FAULT_KINDS; k++) {
		size_t n = strlen(fault_kinds[k]);
		int a = TSNIC_A_FAULT_TS_DROP_EVERY + 3 * k;

		if (strncmp(key, fault_kinds[k], n) || key[n] != '-')
			continue;
		suffix = key + n + 1;
		if (!strcmp(suffix, "every"))
			return put_u32_arg(msg, a, key, val);
		if (!strcmp(suffix, "ppm"))
			return put_u32_arg(msg, a + 1, key, val);
	}
	return usage_err("fault set: unknown key \"%s\"", key);
}

static int do_fault_set(struct tsnic_nl *nl, int argc, char **argv)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	int i, err;

	if (argc < 1)
		return usage_err("fault set: which device?%s", "");
	if (argc < 3 || (argc - 1) % 2)
		return usage_err("fault set %s: expected KEY VALUE pairs", argv[0]);
	msg = tsnic_nl_msg(nl, TSNIC_CMD_DEV_SET, 0);
	if (!msg)
		return 1;
	err = put_dev(msg, TSNIC_A_DEV_IFNAME, argv[0]);
	nest = err ? NULL : nla_nest_start(msg, TSNIC_A_DEV_FAULT | NLA_F_NESTED);
	if (!err && !nest)
		err = 1;
	for (i = 1; !err && i < argc; i += 2)
		err = fault_put(msg, argv[i], argv[i + 1]);
	if (err) {
		nlmsg_free(msg);
		return err == 1 ? 1 : EXIT_USAGE;
	}
	nla_nest_end(msg, nest);
	return exit_of(tsnic_nl_talk(nl, msg, TSNIC_A_DEV_MAX, NULL, NULL));
}

static const char *event_name(uint8_t cmd)
{
	switch (cmd) {
	case TSNIC_CMD_CABLE_NTF:	return "cable";
	case TSNIC_CMD_TS_TIMEOUT_NTF:	return "ts-timeout";
	case TSNIC_CMD_TX_RESET_NTF:	return "tx-reset";
	default:			return NULL;
	}
}

/* A fault's event for "monitor"; 1 if @cmd is not one. */
static int event_print(uint8_t cmd, struct nlattr **tb)
{
	const char *name = event_name(cmd);
	char ifname[IF_NAMESIZE];

	if (!name)
		return 1;
	if (json) {
		json_init(false);
		json_open_object(NULL);
		json_string("event", name);
		json_attrs(tb, &event_set);
		json_close_object();
		json_end();
		return 0;
	}
	printf("[%s] ", name);
	if (tb[TSNIC_A_EVENT_IFNAME])
		printf("%s:", nla_get_string(tb[TSNIC_A_EVENT_IFNAME]));
	else if (if_indextoname(get_u32(tb, TSNIC_A_EVENT_IFINDEX), ifname))
		printf("%s:", ifname);
	else
		printf("ifindex %u:", get_u32(tb, TSNIC_A_EVENT_IFINDEX));
	switch (cmd) {
	case TSNIC_CMD_CABLE_NTF:
		printf(" carrier %s, cable %s\n",
		       get_u8(tb, TSNIC_A_EVENT_CARRIER) ? "on" : "off",
		       get_u8(tb, TSNIC_A_EVENT_PULLED) ? "pulled" : "plugged");
		break;
	case TSNIC_CMD_TS_TIMEOUT_NTF:
		printf(" %" PRIu64 " TX timestamps timed out\n",
		       get_u64(tb, TSNIC_A_EVENT_COUNT));
		break;
	case TSNIC_CMD_TX_RESET_NTF:
		printf(" TX queue %u reset by the watchdog, %" PRIu64 " frames dropped\n",
		       get_u32(tb, TSNIC_A_EVENT_QUEUE),
		       get_u64(tb, TSNIC_A_EVENT_COUNT));
		break;
	}
	return 0;
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

	while ((opt = getopt(argc, argv, "+jpsn:h")) != -1) {
		switch (opt) {
		case 's':
			stats_detail = true;
			break;
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
	} else if (matches(argv[0], "ring")) {
		if (argc >= 2 && matches(argv[1], "show"))
			fn = do_ring_show;
		else if (argc < 2 || matches(argv[1], "help"))
			return usage(argc < 2 ? stderr : stdout);
	} else if (matches(argv[0], "stats") || matches(argv[0], "statistics")) {
		if (argc >= 2 && matches(argv[1], "show"))
			fn = do_stats_show;
		else if (argc < 2 || matches(argv[1], "help"))
			return usage(argc < 2 ? stderr : stdout);
	} else if (matches(argv[0], "fault")) {
		if (argc < 2 || matches(argv[1], "show") || matches(argv[1], "list"))
			fn = do_fault_show;
		else if (matches(argv[1], "set"))
			fn = do_fault_set;
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
	namer_set = fn == do_queue_show || fn == do_ring_show ? queue_desc :
								 dev_desc;
	tsnic_nl_set_namer(nl, attr_namer);
	if (argc < skip)
		ret = fn(nl, 0, argv + argc);
	else
		ret = fn(nl, argc - skip, argv + skip);
	tsnic_nl_close(nl);
	return ret;
}
