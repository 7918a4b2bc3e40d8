// SPDX-License-Identifier: GPL-2.0
/*
 * tsnic: show and change tsnic devices through the "tsnic" generic netlink
 * family.  The command line follows ip(8): options before the object, as
 * a letter (-j) or a word (-json, or any prefix of it, one or two dashes);
 * OBJECT COMMAND ARGS, each word abbreviable; "help" after any object.
 *
 *   tsnic [OPTIONS] dev show [DEV]
 *   tsnic [OPTIONS] dev set DEV KEY VALUE...
 *   tsnic [OPTIONS] queue show [DEV [tx|rx] [N]]
 *   tsnic [OPTIONS] ring show DEV queue N [-d]
 *   tsnic [OPTIONS] stats show DEV [-s]
 *   tsnic [OPTIONS] fault show [DEV]
 *   tsnic [OPTIONS] fault set DEV KEY VALUE...
 *   tsnic [OPTIONS] monitor
 *   tsnic [OBJECT] help,  tsnic -V,  tsnic -h
 *
 * Every argument is checked before the netlink socket opens.  Exit status:
 * 0 on success, 1 when the kernel (or the system) refused, 2 on a usage
 * error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <linux/net_tstamp.h>
#include <netlink/genl/genl.h>
#include <netlink/version.h>

#include <linux/tsnic.h>

#include "nl.h"
#include "util.h"
#include "version.h"

#define EXIT_USAGE	2
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* the options */
static bool json;		/* -j */
static bool pretty;		/* -p */
static int show_stats;		/* -s: stats show, each queue's counters */
static bool details;		/* -d: ring show, timestamps and counters */
static const char *netns;	/* -n */

/* ---- attribute names and types ------------------------------------------ */

enum kind { K_NONE, K_U8, K_BOOL, K_U32, K_S32, K_U64, K_STR, K_NEST, K_FAULT,
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

/*
 * The name of each fault kind of the uapi's enum tsnic_fault (the one list
 * of them, from the spec), as the spec spells it; the fault set keys and
 * the JSON keys of each kind are made from it.
 */
#define FAULT_KINDS(X)							\
	X("ts-drop", TS_DROP) X("ts-delay", TS_DELAY)			\
	X("ts-reorder", TS_REORDER) X("cable-drop", CABLE_DROP)		\
	X("cable-corrupt", CABLE_CORRUPT) X("cable-delay", CABLE_DELAY)	\
	X("stall", STALL)
#define FAULT_KIND_NAME(kind, KIND)	[TSNIC_FAULT_##KIND] = kind,

static const char *const fault_kinds[] = { FAULT_KINDS(FAULT_KIND_NAME) };

_Static_assert(ARRAY_SIZE(fault_kinds) == TSNIC_FAULT_MAX + 1,
	       "a name for each fault kind");

/* One kind's trigger, as a fault nest reports it. */
struct fault_trigger {
	uint32_t every, ppm;
	uint64_t fired;
};

/* The triggers of fault nest @fault, by kind (those it lacks zero). */
static void fault_triggers(struct nlattr *fault,
			   struct fault_trigger t[TSNIC_FAULT_MAX + 1])
{
	struct nlattr *tt[TSNIC_A_FAULT_TRIGGER_MAX + 1], *a;
	uint32_t k;
	int rem;

	memset(t, 0, sizeof(*t) * (TSNIC_FAULT_MAX + 1));
	nla_for_each_nested(a, fault, rem) {
		if (nla_type(a) != TSNIC_A_FAULT_TRIGGER ||
		    nla_parse_nested(tt, TSNIC_A_FAULT_TRIGGER_MAX, a, NULL) ||
		    !tt[TSNIC_A_FAULT_TRIGGER_KIND])
			continue;
		k = nla_get_u32(tt[TSNIC_A_FAULT_TRIGGER_KIND]);
		if (k > TSNIC_FAULT_MAX)
			continue;
		if (tt[TSNIC_A_FAULT_TRIGGER_EVERY])
			t[k].every = nla_get_u32(tt[TSNIC_A_FAULT_TRIGGER_EVERY]);
		if (tt[TSNIC_A_FAULT_TRIGGER_PPM])
			t[k].ppm = nla_get_u32(tt[TSNIC_A_FAULT_TRIGGER_PPM]);
		if (tt[TSNIC_A_FAULT_TRIGGER_FIRED])
			t[k].fired = nla_get_u64(tt[TSNIC_A_FAULT_TRIGGER_FIRED]);
	}
}

/* The fault nest but its triggers (json_fault() shows those). */
static const struct attr_desc fault_desc[TSNIC_A_FAULT_MAX + 1] = {
	[TSNIC_A_FAULT_SEED]			= { "seed", K_U64 },
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
	[TSNIC_A_DEV_FAULT]		= { "fault", K_FAULT },
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

/* ---- JSON output: every attribute, keys after the attributes ------------ */

static void json_attrs(struct nlattr **tb, const struct attr_set *set);
static void json_fault(struct nlattr *fault);

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
	case K_FAULT:
		json_open_object(d->name);
		json_fault(a);
		json_close_object();
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

/*
 * The members of fault nest @fault: the seed, each kind's trigger as
 * <kind>_every, <kind>_ppm and <kind>_fired, then the other settings.
 */
static void json_fault(struct nlattr *fault)
{
	struct fault_trigger t[TSNIC_FAULT_MAX + 1];
	struct nlattr *ft[TSNIC_A_FAULT_MAX + 1];
	char key[32];
	size_t k, i;

	if (nla_parse_nested(ft, TSNIC_A_FAULT_MAX, fault, NULL))
		return;
	if (ft[TSNIC_A_FAULT_SEED])
		json_attr(&fault_desc[TSNIC_A_FAULT_SEED], ft[TSNIC_A_FAULT_SEED]);
	fault_triggers(fault, t);
	for (k = 0; k < ARRAY_SIZE(fault_kinds); k++) {
		int n = snprintf(key, sizeof(key), "%s_", fault_kinds[k]);

		for (i = 0; key[i]; i++)
			if (key[i] == '-')
				key[i] = '_';
		snprintf(key + n, sizeof(key) - n, "every");
		json_uint(key, t[k].every);
		snprintf(key + n, sizeof(key) - n, "ppm");
		json_uint(key, t[k].ppm);
		snprintf(key + n, sizeof(key) - n, "fired");
		json_uint(key, t[k].fired);
	}
	ft[TSNIC_A_FAULT_SEED] = NULL;
	json_attrs(ft, &fault_set);
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

/* ---- the command line --------------------------------------------------- */

/* The command line as typed, for suggestions; the object's index in it. */
static char **cmdline;
static int cmdline_len;
static int object_at;

/* The object being parsed, named in hints ("try tsnic dev help"). */
static const char *object_name;

enum opt_id {
	OPT_JSON, OPT_PRETTY, OPT_STATS, OPT_DETAILS, OPT_NETNS, OPT_VERSION,
	OPT_HELP,
};

/* The options, as ip(8) takes them: a letter, or a word or a prefix of it. */
static const struct option_word {
	const char *word;
	char letter;
	enum opt_id id;
	bool has_arg;
} options[] = {
	{ "json",	'j', OPT_JSON, false },
	{ "pretty",	'p', OPT_PRETTY, false },
	{ "stats",	's', OPT_STATS, false },
	{ "statistics",	's', OPT_STATS, false },
	{ "details",	'd', OPT_DETAILS, false },
	{ "netns",	'n', OPT_NETNS, true },
	{ "Version",	'V', OPT_VERSION, false },
	{ "help",	'h', OPT_HELP, false },
};

/*
 * The option @arg names: "-j", "-js", "-json", "--json"; NULL if none does,
 * with *@ambiguous set if several do.
 */
static const struct option_word *find_option(const char *arg, bool *ambiguous)
{
	const struct option_word *found = NULL;
	const char *w = arg + 1;
	size_t i, n;

	*ambiguous = false;
	if (arg[0] != '-')
		return NULL;
	if (*w == '-')
		w++;
	n = strlen(w);
	if (!n)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(options); i++) {
		const struct option_word *o = &options[i];

		if (n == 1 ? *w != o->letter : strncasecmp(w, o->word, n))
			continue;
		if (found && found->id != o->id) {
			*ambiguous = true;
			return NULL;
		}
		found = o;
	}
	return found;
}

static int usage(FILE *f, const char *object);

/* The options before the object: -1 to go on, else the exit status. */
static int parse_options(int *argc, char ***argv)
{
	while (*argc > 0 && (*argv)[0][0] == '-') {
		const char *arg = (*argv)[0];
		const struct option_word *o;
		bool ambiguous;

		(*argc)--;
		(*argv)++;
		if (!strcmp(arg, "--"))
			break;
		o = find_option(arg, &ambiguous);
		if (!o) {
			fprintf(stderr, "Option \"%s\" is %s, try \"tsnic -help\".\n",
				arg, ambiguous ? "ambiguous" : "unknown");
			return EXIT_USAGE;
		}
		if (o->has_arg && !*argc) {
			fprintf(stderr,
				"Option \"%s\" needs an argument, try \"tsnic -help\".\n",
				arg);
			return EXIT_USAGE;
		}
		switch (o->id) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_PRETTY:
			pretty = true;
			break;
		case OPT_STATS:
			show_stats++;
			break;
		case OPT_DETAILS:
			details = true;
			break;
		case OPT_NETNS:
			netns = (*argv)[0];
			(*argc)--;
			(*argv)++;
			break;
		case OPT_VERSION:
			printf("tsnic utility, version %s, %s\n", TSNIC_VERSION,
			       LIBNL_STRING);
			return 0;
		case OPT_HELP:
			return usage(stdout, NULL);
		}
	}
	return -1;
}

/*
 * @at, a word after the object, is one of the options: ip(8) takes them
 * before the object only.  Say so, with the command line that works.
 */
static bool misplaced_option(char **at)
{
	const struct option_word *o;
	int i, idx = at - cmdline, n;
	bool ambiguous;

	o = find_option(*at, &ambiguous);
	if (!o)
		return false;
	n = o->has_arg && idx + 1 < cmdline_len ? 2 : 1;
	fprintf(stderr, "Option \"%s\" must come before the object, try \"tsnic",
		*at);
	for (i = 1; i < object_at; i++)
		fprintf(stderr, " %s", cmdline[i]);
	for (i = idx; i < idx + n; i++)
		fprintf(stderr, " %s", cmdline[i]);
	for (i = object_at; i < cmdline_len; i++)
		if (i < idx || i >= idx + n)
			fprintf(stderr, " %s", cmdline[i]);
	fprintf(stderr, "\".\n");
	return true;
}

/* A wrong value: "Error: ...", exit status 2. */
static int __attribute__((format(printf, 1, 2)))
usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(".\n", stderr);
	return EXIT_USAGE;
}

/* A command line the object does not take: as usage_err(), with a hint. */
static int __attribute__((format(printf, 1, 2)))
syntax_err(const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ", try \"tsnic %s%shelp\".\n", object_name ?: "",
		object_name ? " " : "");
	return EXIT_USAGE;
}

/* A word the command does not take at @at. */
static int unexpected(char **at)
{
	if (misplaced_option(at))
		return EXIT_USAGE;
	return syntax_err("unexpected argument \"%s\"", *at);
}

static int nomem(void)
{
	fprintf(stderr, "tsnic: %s\n", strerror(ENOMEM));
	return -ENOMEM;
}

static bool matches(const char *arg, const char *word)
{
	return *arg && !strncmp(word, arg, strlen(arg));
}

/* ---- what the user typed for each attribute, for the kernel's errors ---- */

#define MAX_WORDS	40

static struct word {
	bool queue;		/* a QUEUE_GET or RING_DUMP attribute */
	int nest, type;
	uint32_t offs;		/* where it is in the request, if known */
	struct tsnic_nl_word w;
} words[MAX_WORDS];
static int nwords;

static void add_word(bool queue, int nest, int type, const char *word,
		     const char *value, enum unit unit)
{
	if (nwords == MAX_WORDS)
		return;
	words[nwords++] = (struct word){
		.queue = queue, .nest = nest, .type = type,
		.w = { .word = word, .value = value, .unit = unit },
	};
}

static bool find_word(void *ctx, uint8_t cmd, uint32_t offs, int nest,
		      int type, struct tsnic_nl_word *w)
{
	bool queue = cmd == TSNIC_CMD_QUEUE_GET || cmd == TSNIC_CMD_RING_DUMP;
	int i;

	for (i = 0; i < nwords; i++) {
		/* a fault trigger's attributes differ only by where they are */
		if ((offs && words[i].offs == offs) ||
		    (words[i].queue == queue && words[i].nest == nest &&
		     words[i].type == type && !words[i].offs)) {
			*w = words[i].w;
			return true;
		}
	}
	return false;
}

/* ---- arguments ---------------------------------------------------------- */

/* A command's arguments, all checked before the netlink socket opens. */
struct args {
	const char *dev;	/* NULL: every device */
	int qtype;		/* queue show: -1 for TX and RX */
	uint32_t qid;
	bool one;		/* queue show: one queue */
	struct nl_msg *msg;	/* dev set, fault set: the request */
};

/* DEV at @at: 0 or the exit status. */
static int parse_dev(char **at, const char **dev)
{
	if (misplaced_option(at))
		return EXIT_USAGE;
	if (strlen(*at) >= IF_NAMESIZE)
		return usage_err("device name \"%s\" is too long (at most %d characters)",
				 *at, IF_NAMESIZE - 1);
	*dev = *at;
	add_word(false, 0, TSNIC_A_DEV_IFNAME, "device", *at, UNIT_NONE);
	add_word(true, 0, TSNIC_A_QUEUE_IFNAME, "device", *at, UNIT_NONE);
	return 0;
}

/* N of "queue N", at @at */
static int parse_qid(char **at, uint32_t *qid)
{
	if (parse_u32(*at, qid))
		return usage_err("invalid queue \"%s\" (a whole number)", *at);
	add_word(true, 0, TSNIC_A_QUEUE_ID, "queue", *at, UNIT_NONE);
	return 0;
}

/* A request for @cmd on @dev (attribute @a_ifname), or a dump if NULL. */
static struct nl_msg *request(uint8_t cmd, int flags, int a_ifname,
			      const char *dev)
{
	struct nl_msg *msg = tsnic_nl_msg(cmd, dev ? flags : flags | NLM_F_DUMP);

	if (msg && (!dev || !nla_put_string(msg, a_ifname, dev)))
		return msg;
	nlmsg_free(msg);
	nomem();
	return NULL;
}

/* ---- settings: dev set, fault set ---------------------------------------- */

enum attr_type { A_U8, A_U32, A_S32, A_U64 };

struct setting {
	const char *key;
	int nest;		/* TSNIC_A_DEV_OSC, TSNIC_A_DEV_FAULT, or 0 */
	int type;
	enum attr_type atype;
	enum unit unit;		/* of the attribute, and how VALUE is read */
	const char *const *names;	/* VALUE by name: names[0] or [1] */
	int trigger;		/* fault kind + 1 of a TSNIC_A_FAULT_TRIGGER
				 * attribute (in @nest's trigger nest), or 0
				 */
};

#define SETTING(key, nest, type, atype, unit) \
	{ key, nest, type, atype, unit, NULL, 0 }
#define DEV_SETTING(key, ATTR, atype, unit) \
	SETTING(key, 0, TSNIC_A_DEV_##ATTR, atype, unit)
#define OSC_SETTING(key, ATTR, atype, unit) \
	SETTING(key, TSNIC_A_DEV_OSC, TSNIC_A_OSC_##ATTR, atype, unit)
#define FAULT_SETTING(key, ATTR, atype, unit) \
	SETTING(key, TSNIC_A_DEV_FAULT, TSNIC_A_FAULT_##ATTR, atype, unit)
#define FAULT_TRIGGER(kind, KIND) \
	{ kind "-every", TSNIC_A_DEV_FAULT, TSNIC_A_FAULT_TRIGGER_EVERY, \
	  A_U32, UNIT_NONE, NULL, TSNIC_FAULT_##KIND + 1 }, \
	{ kind "-ppm", TSNIC_A_DEV_FAULT, TSNIC_A_FAULT_TRIGGER_PPM, \
	  A_U32, UNIT_NONE, NULL, TSNIC_FAULT_##KIND + 1 },

static const struct setting dev_settings[] = {
	DEV_SETTING("rate", RATE_BPS, A_U64, UNIT_RATE),
	DEV_SETTING("delay", DELAY_NS, A_U32, UNIT_NS),
	DEV_SETTING("tx-usecs", TX_USECS, A_U32, UNIT_NONE),
	DEV_SETTING("tx-frames", TX_FRAMES, A_U32, UNIT_NONE),
	DEV_SETTING("ts-slots", TS_SLOTS, A_U32, UNIT_NONE),
	DEV_SETTING("ts-timeout", TS_TIMEOUT_MS, A_U32, UNIT_MS),
	OSC_SETTING("freq-offset", FREQ_PPB, A_S32, UNIT_PPB),
	OSC_SETTING("wander", WANDER_PPB, A_U32, UNIT_PPB),
	OSC_SETTING("ts-jitter", JITTER_NS, A_U32, UNIT_NS),
};

static const char *const cable_names[] = { "plugged", "pulled" };

static const struct setting fault_settings[] = {
	FAULT_SETTING("seed", SEED, A_U64, UNIT_NONE),
	FAULT_KINDS(FAULT_TRIGGER)
	FAULT_SETTING("ts-delay", TS_DELAY_NS, A_U32, UNIT_NS),
	FAULT_SETTING("cable-delay", CABLE_DELAY_NS, A_U32, UNIT_NS),
	FAULT_SETTING("cable-jitter", CABLE_JITTER_NS, A_U32, UNIT_NS),
	{ "cable", TSNIC_A_DEV_FAULT, TSNIC_A_FAULT_CABLE_PULLED, A_U8,
	  UNIT_NONE, cable_names, 0 },
	FAULT_SETTING("stalled-queues", STALLED_QUEUES, A_U32, UNIT_HEX),
};

#define MAX_SETTINGS	ARRAY_SIZE(fault_settings)

_Static_assert(ARRAY_SIZE(dev_settings) <= MAX_SETTINGS, "MAX_SETTINGS");

/* what VALUE looks like, for each unit */
static const char *const unit_hint[] = {
	[UNIT_NONE]	= "a whole number",
	[UNIT_HEX]	= "a bit mask: 0x3 for queues 0 and 1",
	[UNIT_RATE]	= "a rate: 1gbit, 100mbit, 12500kbps, 0 for unlimited",
	[UNIT_NS]	= "a time: 500ns, 5us, 1ms",
	[UNIT_MS]	= "whole milliseconds: 5ms, 2s, or a bare number of ms",
	[UNIT_PPB]	= "parts per billion or million: -1500ppb, 40ppm",
};

/* VALUE of setting @s: into *@v, in the attribute's unit (a signed one cast) */
static int parse_value(const struct setting *s, const char *val, uint64_t *v)
{
	int64_t lo = 0, hi = UINT32_MAX, x;
	char b1[48], b2[48];
	size_t i;
	int err;

	if (s->names) {
		for (i = 0; i < 2; i++) {
			if (!strcmp(val, s->names[i]) ||
			    (strlen(val) >= 4 && matches(val, s->names[i]))) {
				*v = i;
				return 0;
			}
		}
		return usage_err("%s: \"%s\" or \"%s\", not \"%s\"", s->key,
				 s->names[0], s->names[1], val);
	}
	switch (s->unit) {
	case UNIT_RATE:
		err = parse_rate(val, v);
		break;
	case UNIT_NS:
		err = parse_time_ns(val, 1, v);
		break;
	case UNIT_MS:
		err = parse_time_ns(val, 1000000, v);
		if (!err && *v % 1000000)
			err = -EINVAL;
		*v /= 1000000;
		break;
	case UNIT_PPB:
		err = parse_ppb(val, &x);
		*v = x;
		break;
	default:
		err = parse_u64(val, v);
		break;
	}
	if (err)
		return usage_err("invalid %s \"%s\" (%s)", s->key, val,
				 unit_hint[s->unit]);
	if (s->atype == A_U64)
		return 0;
	/* does it fit the attribute?  Its real limits are the kernel's. */
	if (s->atype == A_S32) {
		lo = INT32_MIN;
		hi = INT32_MAX;
	}
	x = s->unit == UNIT_PPB ? (int64_t)*v :
	    *v > INT64_MAX ? INT64_MAX : (int64_t)*v;
	if (x < lo || x > hi)
		return usage_err("%s %s is out of range (%s to %s)", s->key, val,
				 fmt_unit(b1, sizeof(b1), s->unit, true, lo),
				 fmt_unit(b2, sizeof(b2), s->unit, true, hi));
	return 0;
}

static int put_setting(struct nl_msg *msg, const struct setting *s,
		       uint64_t v)
{
	switch (s->atype) {
	case A_U8:
		return nla_put_u8(msg, s->type, v);
	case A_U32:
		return nla_put_u32(msg, s->type, v);
	case A_S32:
		return nla_put_s32(msg, s->type, (int32_t)v);
	case A_U64:
		return nla_put_u64(msg, s->type, v);
	}
	return -EINVAL;
}

/*
 * Put setting @s of value @v (typed as @text) in @msg, and remember where,
 * for the kernel's errors about it.
 */
static int put_given(struct nl_msg *msg, const struct setting *s, uint64_t v,
		     const char *text)
{
	uint32_t at = nlmsg_hdr(msg)->nlmsg_len;

	if (put_setting(msg, s, v))
		return -ENOMEM;
	add_word(false, s->nest, s->type, s->key, text, s->unit);
	words[nwords - 1].offs = at;
	return 0;
}

/*
 * The fault triggers among the @ng settings @given: one nest for each kind
 * with a setting, in the fault nest *@fault (started here if need be).
 */
static int put_triggers(struct nl_msg *msg, struct nlattr **fault,
			const struct setting **given, const uint64_t *val,
			const char **text, size_t ng)
{
	struct nlattr *trig;
	size_t i, j;

	for (i = 0; i < ng; i++) {
		if (!given[i]->trigger)
			continue;
		for (j = 0; j < i; j++)
			if (given[j]->trigger == given[i]->trigger)
				break;
		if (j < i)	/* this kind's nest is written */
			continue;
		if (!*fault) {
			*fault = nla_nest_start(msg, TSNIC_A_DEV_FAULT | NLA_F_NESTED);
			if (!*fault)
				return -ENOMEM;
		}
		trig = nla_nest_start(msg, TSNIC_A_FAULT_TRIGGER | NLA_F_NESTED);
		if (!trig || nla_put_u32(msg, TSNIC_A_FAULT_TRIGGER_KIND,
					 given[i]->trigger - 1))
			return -ENOMEM;
		for (j = i; j < ng; j++)
			if (given[j]->trigger == given[i]->trigger &&
			    put_given(msg, given[j], val[j], text[j]))
				return -ENOMEM;
		nla_nest_end(msg, trig);
	}
	return 0;
}

/*
 * DEV KEY VALUE... of "dev set" and "fault set", with the keys of @table:
 * the request, in a->msg; its nested settings each in their one nest.
 */
static int parse_settings(int argc, char **argv, const struct setting *table,
			  size_t n, struct args *a)
{
	static const int nests[] = { 0, TSNIC_A_DEV_OSC, TSNIC_A_DEV_FAULT };
	const struct setting *given[MAX_SETTINGS];
	const char *text[MAX_SETTINGS];
	uint64_t val[MAX_SETTINGS];
	size_t i, j, k, ng = 0;
	int err;

	if (argc < 1)
		return syntax_err("no device given");
	err = parse_dev(&argv[0], &a->dev);
	if (err)
		return err;
	if (argc < 2)
		return syntax_err("nothing to set on %s", a->dev);
	for (i = 1; i < (size_t)argc; i += 2) {
		const struct setting *s = NULL;

		for (j = 0; j < n && !s; j++)
			if (!strcmp(argv[i], table[j].key))
				s = &table[j];
		if (!s) {
			if (misplaced_option(&argv[i]))
				return EXIT_USAGE;
			return syntax_err("unknown key \"%s\"", argv[i]);
		}
		if (i + 1 == (size_t)argc)
			return usage_err("%s needs a value (%s)", s->key,
					 s->names ? "pulled or plugged" :
					 unit_hint[s->unit]);
		for (j = 0; j < ng; j++)
			if (given[j] == s)
				return usage_err("%s is given twice", s->key);
		err = parse_value(s, argv[i + 1], &val[ng]);
		if (err)
			return err;
		given[ng] = s;
		text[ng++] = argv[i + 1];
	}

	a->msg = request(TSNIC_CMD_DEV_SET, 0, TSNIC_A_DEV_IFNAME, a->dev);
	if (!a->msg)
		return 1;
	for (k = 0; k < ARRAY_SIZE(nests); k++) {
		struct nlattr *nest = NULL;

		for (i = 0; i < ng; i++) {
			if (given[i]->nest != nests[k] || given[i]->trigger)
				continue;
			if (nests[k] && !nest) {
				nest = nla_nest_start(a->msg,
						      nests[k] | NLA_F_NESTED);
				if (!nest)
					goto nomem;
			}
			if (put_given(a->msg, given[i], val[i], text[i]))
				goto nomem;
		}
		if (nests[k] == TSNIC_A_DEV_FAULT &&
		    put_triggers(a->msg, &nest, given, val, text, ng))
			goto nomem;
		if (nest)
			nla_nest_end(a->msg, nest);
	}
	return 0;

nomem:
	nomem();
	return 1;
}

/* ---- commands ----------------------------------------------------------- */

static int exit_of(int err)
{
	return err ? 1 : 0;
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

/* [DEV]: dev show, fault show */
static int parse_opt_dev(int argc, char **argv, struct args *a)
{
	if (argc > 1)
		return unexpected(&argv[1]);
	return argc ? parse_dev(&argv[0], &a->dev) : 0;
}

static int run_dev_show(struct tsnic_nl *nl, struct args *a)
{
	struct nl_msg *msg = request(TSNIC_CMD_DEV_GET, 0, TSNIC_A_DEV_IFNAME,
				     a->dev);

	return msg ? show(nl, msg, TSNIC_A_DEV_MAX, dev_reply, NULL) : 1;
}

static int parse_dev_set(int argc, char **argv, struct args *a)
{
	return parse_settings(argc, argv, dev_settings,
			      ARRAY_SIZE(dev_settings), a);
}

static int parse_fault_set(int argc, char **argv, struct args *a)
{
	return parse_settings(argc, argv, fault_settings,
			      ARRAY_SIZE(fault_settings), a);
}

/* dev set, fault set: the request parse_settings() built */
static int run_set(struct tsnic_nl *nl, struct args *a)
{
	struct nl_msg *msg = a->msg;

	a->msg = NULL;
	return exit_of(tsnic_nl_talk(nl, msg, TSNIC_A_DEV_MAX, NULL, NULL));
}

static int parse_monitor(int argc, char **argv, struct args *a)
{
	return argc ? unexpected(&argv[0]) : 0;
}

static int run_monitor(struct tsnic_nl *nl, struct args *a)
{
	/* device changes and the events of faults */
	int max = TSNIC_A_DEV_MAX;

	if ((int)TSNIC_A_EVENT_MAX > max)
		max = TSNIC_A_EVENT_MAX;
	return exit_of(tsnic_nl_monitor(nl, max, monitor_reply, nl));
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

	msg = request(TSNIC_CMD_QUEUE_GET, a->one ? 0 : NLM_F_DUMP,
		      TSNIC_A_QUEUE_IFNAME, a->dev);
	if (!msg)
		return 1;
	if (a->one && (nla_put_u32(msg, TSNIC_A_QUEUE_TYPE, a->qtype) ||
		       nla_put_u32(msg, TSNIC_A_QUEUE_ID, a->qid))) {
		nlmsg_free(msg);
		nomem();
		return 1;
	}
	return show(nl, msg, TSNIC_A_QUEUE_MAX, queue_reply, &a->qtype);
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

	if (argc < 1)
		return syntax_err("no device given");
	err = parse_dev(&argv[0], &a->dev);
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
	msg = request(TSNIC_CMD_QUEUE_GET, 0, TSNIC_A_QUEUE_IFNAME, a->dev);
	if (!msg || nla_put_u32(msg, TSNIC_A_QUEUE_TYPE, TSNIC_QUEUE_TYPE_TX) ||
	    nla_put_u32(msg, TSNIC_A_QUEUE_ID, a->qid)) {
		if (msg)
			nomem();
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

/* DEV [-s] */
static int parse_stats_show(int argc, char **argv, struct args *a)
{
	int i, err;

	if (argc < 1)
		return syntax_err("no device given");
	err = parse_dev(&argv[0], &a->dev);
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
	if (json) {
		json_init(pretty);
		json_open_array(NULL);
		json_open_object(NULL);
	}
	err = tsnic_nl_talk(nl, msg, TSNIC_A_DEV_MAX, stats_dev_reply, NULL);
	if (!err && show_stats) {
		/* the device's queues: a dump, filtered to it */
		msg = request(TSNIC_CMD_QUEUE_GET, NLM_F_DUMP,
			      TSNIC_A_QUEUE_IFNAME, a->dev);
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
	if (json) {
		json_close_object();
		json_close_array();
		json_end();
	}
	return exit_of(err);
}

/* ---- faults ------------------------------------------------------------- */


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
	struct fault_trigger t[TSNIC_FAULT_MAX + 1];
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
		json_fault(tb[TSNIC_A_DEV_FAULT]);
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
	fault_triggers(tb[TSNIC_A_DEV_FAULT], t);
	for (k = 0; k < (int)ARRAY_SIZE(fault_kinds); k++) {
		printf("    %-13s every %-7u ppm %-7u fired %" PRIu64, fault_kinds[k],
		       t[k].every, t[k].ppm, t[k].fired);
		if (k == TSNIC_FAULT_TS_DELAY)
			printf(" by %s", fmt_time_ns(b1, sizeof(b1),
				get_u32(ft, TSNIC_A_FAULT_TS_DELAY_NS)));
		if (k == TSNIC_FAULT_CABLE_DELAY)
			printf(" by %s + 0..%s",
			       fmt_time_ns(b1, sizeof(b1),
					   get_u32(ft, TSNIC_A_FAULT_CABLE_DELAY_NS)),
			       fmt_time_ns(b2, sizeof(b2),
					   get_u32(ft, TSNIC_A_FAULT_CABLE_JITTER_NS)));
		printf("\n");
	}
	return 0;
}

static int run_fault_show(struct tsnic_nl *nl, struct args *a)
{
	struct nl_msg *msg = request(TSNIC_CMD_DEV_GET, 0, TSNIC_A_DEV_IFNAME,
				     a->dev);

	return msg ? show(nl, msg, TSNIC_A_DEV_MAX, fault_reply, NULL) : 1;
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

/* ---- objects, usage, main ----------------------------------------------- */

enum { W_KIND = 1, W_RATE = 2, W_TIME = 4, W_PPB = 8, W_MASK = 16 };

/* The placeholders of the usage, by the W_* bit of their line. */
static const char *const where_lines[] = {
	"KIND:",	/* and fault_kinds[] */
	"RATE: 1gbit, 100mbit, 12500kbps (bytes), 0 (unlimited); a bare number is bit/s",
	"TIME: 500ns, 5us, 1ms, 2s; a bare number is ns (ms for ts-timeout)",
	"PPB: 40ppm, -1500ppb; a bare number is ppb",
	"MASK: TX queues as bits, 0x1 is queue 0",
};

static const struct object {
	const char *name;
	const char *alias;
	const char *usage;	/* its lines of the usage, after "tsnic " */
	unsigned int where;	/* the placeholders they use */
} objects[] = {
	{ "dev", "device",
	  "dev show [DEV]\n"
	  "dev set DEV [rate RATE] [delay TIME] [tx-usecs N] [tx-frames N]\n"
	  "            [freq-offset PPB] [wander PPB] [ts-jitter TIME]\n"
	  "            [ts-slots N] [ts-timeout TIME]\n",
	  W_RATE | W_TIME | W_PPB },
	{ "queue", NULL,
	  "queue show [DEV [tx|rx] [N]]\n", 0 },
	{ "ring", NULL,
	  "ring show DEV queue N [-d]\n", 0 },
	{ "stats", "statistics",
	  "stats show DEV [-s]\n", 0 },
	{ "fault", NULL,
	  "fault show [DEV]\n"
	  "fault set DEV [seed N] [KIND-every N] [KIND-ppm N] [ts-delay TIME]\n"
	  "              [cable-delay TIME] [cable-jitter TIME]\n"
	  "              [cable pulled|plugged] [stalled-queues MASK]\n",
	  W_KIND | W_TIME | W_MASK },
	{ "monitor", NULL,
	  "monitor\n", 0 },
};

/* The first command of an object is what it does without one. */
static const struct command {
	const char *object;
	const char *name;	/* NULL: the object takes no command word */
	int (*parse)(int argc, char **argv, struct args *a);
	int (*run)(struct tsnic_nl *nl, struct args *a);
} commands[] = {
	{ "dev", "show", parse_opt_dev, run_dev_show },
	{ "dev", "list", parse_opt_dev, run_dev_show },
	{ "dev", "set", parse_dev_set, run_set },
	{ "queue", "show", parse_queue_show, run_queue_show },
	{ "queue", "list", parse_queue_show, run_queue_show },
	{ "ring", "show", parse_ring_show, run_ring_show },
	{ "stats", "show", parse_stats_show, run_stats_show },
	{ "fault", "show", parse_opt_dev, run_fault_show },
	{ "fault", "list", parse_opt_dev, run_fault_show },
	{ "fault", "set", parse_fault_set, run_set },
	{ "monitor", NULL, parse_monitor, run_monitor },
};

static const struct object *find_object(const char *word)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (matches(word, objects[i].name) ||
		    (objects[i].alias && matches(word, objects[i].alias)))
			return &objects[i];
	return NULL;
}

/* @o's lines of the usage, each after @first or, from the second, @next */
static void usage_lines(FILE *f, const struct object *o, const char *first,
			const char *next)
{
	const char *l, *end;

	for (l = o->usage; *l; l = end + 1) {
		end = strchr(l, '\n');
		fprintf(f, "%s%s%.*s\n", l == o->usage ? first : next,
			*l == ' ' ? "      " : "tsnic ", (int)(end - l), l);
	}
}

/*
 * The usage of @object, or all of it: on stdout when asked for (exit 0),
 * else on stderr (exit 2).
 */
static int usage(FILE *f, const char *object)
{
	const struct object *o = object ? find_object(object) : NULL;
	unsigned int where = 0;
	const char *lead = "where  ";
	size_t i;

	if (o) {
		usage_lines(f, o, "Usage: ", "       ");
		where = o->where;
	} else {
		fprintf(f,
			"Usage: tsnic [ OPTIONS ] OBJECT { COMMAND | help }\n"
			"       tsnic [ OBJECT ] help\n"
			"       tsnic { -V[ersion] | -h[elp] }\n"
			"where  OBJECT := { dev | queue | ring | stats | fault | monitor }\n"
			"       OPTIONS := { -j[son] | -p[retty] | -s[tats] | -d[etails] |\n"
			"                    -n[etns] NETNS }\n"
			"\n");
		for (i = 0; i < ARRAY_SIZE(objects); i++)
			usage_lines(f, &objects[i], "       ", "       ");
		where = ~0u;
	}
	for (i = 0; i < ARRAY_SIZE(where_lines); i++) {
		if (!(where & (1u << i)))
			continue;
		fprintf(f, "%s%s", lead, where_lines[i]);
		if (1u << i == W_KIND) {
			size_t k;

			for (k = 0; k < ARRAY_SIZE(fault_kinds); k++)
				fprintf(f, " %s", fault_kinds[k]);
		}
		fputc('\n', f);
		lead = "       ";
	}
	if (!o)
		fprintf(f,
			"Options:\n"
			"  -j, -json           JSON output, keys named after the netlink attributes\n"
			"  -p, -pretty         indented JSON\n"
			"  -s, -stats          stats show: each queue's counters too\n"
			"  -d, -details        ring show: timestamps and the queue's counters\n"
			"  -n, -netns NETNS    run in network namespace NETNS (ip netns)\n"
			"  -V, -Version        print the version\n"
			"  -h, -help           print this\n"
			"Options go before the object; words abbreviate (-js, -st).\n"
			"Exit status: 0 success, 1 refused by the kernel or system, 2 usage error.\n");
	return f == stderr ? EXIT_USAGE : 0;
}

/*
 * OBJECT [COMMAND] of the command line: *@cmd, and how many words they
 * take (*@skip); -1, or the exit status of help or of a mistake.
 */
static int find_command(int argc, char **argv, const struct command **cmd,
			int *skip)
{
	const struct object *o = find_object(argv[0]);
	size_t i;

	if (!o) {
		fprintf(stderr, "Object \"%s\" is unknown, try \"tsnic help\".\n",
			argv[0]);
		return EXIT_USAGE;
	}
	object_name = o->name;
	if (argc > 1 && matches(argv[1], "help"))
		return usage(stdout, o->name);
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		const struct command *c = &commands[i];

		if (strcmp(c->object, o->name))
			continue;
		if (!c->name || argc < 2) {
			*cmd = c;
			*skip = c->name ? 2 : 1;	/* OBJECT [COMMAND] */
			return -1;
		}
		if (matches(argv[1], c->name)) {
			*cmd = c;
			*skip = 2;
			return -1;
		}
	}
	if (misplaced_option(&argv[1]))
		return EXIT_USAGE;
	fprintf(stderr, "Command \"%s\" is unknown, try \"tsnic %s help\".\n",
		argv[1], o->name);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	struct args a = { .qtype = -1 };
	struct tsnic_nl *nl;
	int ret, skip;

	cmdline = argv;
	cmdline_len = argc;
	argc--;
	argv++;
	ret = parse_options(&argc, &argv);
	if (ret >= 0)
		return ret;
	if (argc < 1)
		return usage(stderr, NULL);
	object_at = argv - cmdline;
	if (matches(argv[0], "help"))
		return usage(stdout, argc > 1 ? argv[1] : NULL);
	ret = find_command(argc, argv, &cmd, &skip);
	if (ret >= 0)
		return ret;

	/* every argument is checked before anything is asked of the system */
	if (argc < skip)
		skip = argc;
	ret = cmd->parse(argc - skip, argv + skip, &a);
	if (ret)
		goto out;
	if (netns && enter_netns(netns)) {
		ret = 1;
		goto out;
	}
	nl = tsnic_nl_open();
	if (!nl) {
		ret = 1;
		goto out;
	}
	tsnic_nl_set_words(nl, find_word, NULL);
	ret = cmd->run(nl, &a);
	tsnic_nl_close(nl);
out:
	nlmsg_free(a.msg);
	return ret;
}
