// SPDX-License-Identifier: GPL-2.0
/* tsnic CLI: "dev show" and "dev set". */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <net/if.h>
#include <linux/net_tstamp.h>
#include <linux/rtnetlink.h>

#include <linux/tsnic.h>

#include "tsnic.h"

static const struct attr_desc osc_desc[TSNIC_A_OSC_MAX + 1] = {
	[TSNIC_A_OSC_FREQ_PPB]		= { "freq_ppb", K_S32 },
	[TSNIC_A_OSC_WANDER_PPB]	= { "wander_ppb", K_U32 },
	[TSNIC_A_OSC_JITTER_NS]		= { "jitter_ns", K_U32 },
	[TSNIC_A_OSC_READ_DELAY_NS]	= { "read_delay_ns", K_U32 },
	[TSNIC_A_OSC_READ_LATCH_NS]	= { "read_latch_ns", K_U32 },
};

static const struct attr_set osc_set = { osc_desc, TSNIC_A_OSC_MAX };

static const struct attr_desc gnss_desc[TSNIC_A_GNSS_MAX + 1] = {
	[TSNIC_A_GNSS_ENABLED]		= { "enabled", K_BOOL },
	[TSNIC_A_GNSS_PIN]		= { "pin", K_U32 },
	[TSNIC_A_GNSS_OFFSET_NS]	= { "offset_ns", K_S32 },
	[TSNIC_A_GNSS_JITTER_NS]	= { "jitter_ns", K_U32 },
	[TSNIC_A_GNSS_INDEX]		= { "index", K_S32 },
	[TSNIC_A_GNSS_FIX]		= { "fix", K_BOOL },
	[TSNIC_A_GNSS_PULSES]		= { "pulses", K_U64 },
	[TSNIC_A_GNSS_LOST]		= { "lost", K_U64 },
	[TSNIC_A_GNSS_REPORTS]		= { "reports", K_U64 },
	[TSNIC_A_GNSS_PHC_OFFSET_NS]	= { "phc_offset_ns", K_S64 },
};

static const struct attr_set gnss_set = { gnss_desc, TSNIC_A_GNSS_MAX };

#define DEV_SETTING(key, ATTR, atype, unit) \
	SETTING(key, 0, TSNIC_A_DEV_##ATTR, atype, unit)
#define OSC_SETTING(key, ATTR, atype, unit) \
	SETTING(key, TSNIC_A_DEV_OSC, TSNIC_A_OSC_##ATTR, atype, unit)
#define GNSS_SETTING(key, ATTR, atype, unit) \
	SETTING(key, TSNIC_A_DEV_GNSS, TSNIC_A_GNSS_##ATTR, atype, unit)

const struct attr_desc dev_desc[TSNIC_A_DEV_MAX + 1] = {
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
	[TSNIC_A_DEV_GNSS]		= { "gnss", K_NEST, &gnss_set },
	[TSNIC_A_DEV_TS_PERSONALITY]	= { "ts_personality", K_PERSONALITY },
	[TSNIC_A_DEV_CARD]		= { "card", K_U32 },
	[TSNIC_A_DEV_CARD_PORTS]	= { "card_ports", K_U32 },
};

const struct attr_set dev_set = { dev_desc, TSNIC_A_DEV_MAX };

const char *tx_type_name(uint32_t t)
{
	switch (t) {
	case HWTSTAMP_TX_OFF:	return "off";
	case HWTSTAMP_TX_ON:	return "on";
	case HWTSTAMP_TX_ONESTEP_SYNC:	return "onestep-sync";
	default:		return "unknown";
	}
}

const char *rx_filter_name(uint32_t f)
{
	switch (f) {
	case HWTSTAMP_FILTER_NONE:		return "none";
	case HWTSTAMP_FILTER_ALL:		return "all";
	case HWTSTAMP_FILTER_PTP_V2_EVENT:	return "ptpv2-event";
	case HWTSTAMP_FILTER_PTP_V2_L4_EVENT:	return "ptpv2-l4-event";
	case HWTSTAMP_FILTER_PTP_V2_L2_EVENT:	return "ptpv2-l2-event";
	default:				return "unknown";
	}
}

/* the names of enum tsnic_ts_personality, as the spec has them */
static const char *const personality_names[] = {
	[TSNIC_TS_PERSONALITY_FULL]		= "full",
	[TSNIC_TS_PERSONALITY_PTP_V2_L4]	= "ptp-v2-l4",
	[TSNIC_TS_PERSONALITY_PTP_V2_L2]	= "ptp-v2-l2",
	[TSNIC_TS_PERSONALITY_PTP_V2_ANY]	= "ptp-v2-any",
	NULL
};

_Static_assert(ARRAY_SIZE(personality_names) == TSNIC_TS_PERSONALITY_MAX + 2,
	       "personality_names");

const char *personality_name(uint32_t p)
{
	return p <= TSNIC_TS_PERSONALITY_MAX ? personality_names[p] : "unknown";
}

static void print_gnss(struct nlattr *nest)
{
	struct nlattr *g[TSNIC_A_GNSS_MAX + 1];
	char b1[32], b2[32];
	int32_t off;

	if (!nest || nla_parse_nested(g, TSNIC_A_GNSS_MAX, nest, NULL))
		return;
	if (!g[TSNIC_A_GNSS_ENABLED])
		return;
	if (!nla_get_u8(g[TSNIC_A_GNSS_ENABLED])) {
		printf("    gnss off\n");
		return;
	}
	off = (int32_t)get_u32(g, TSNIC_A_GNSS_OFFSET_NS);
	printf("    gnss on gnss%d pin SDP%u offset %s%s jitter %s fix %s\n",
	       (int32_t)get_u32(g, TSNIC_A_GNSS_INDEX),
	       get_u32(g, TSNIC_A_GNSS_PIN), off < 0 ? "-" : "",
	       fmt_time_ns(b1, sizeof(b1), off < 0 ? -(int64_t)off : off),
	       fmt_time_ns(b2, sizeof(b2), get_u32(g, TSNIC_A_GNSS_JITTER_NS)),
	       g[TSNIC_A_GNSS_FIX] && nla_get_u8(g[TSNIC_A_GNSS_FIX]) ?
	       "yes" : "no");
	printf("    gnss pulses %" PRIu64 " lost %" PRIu64 " reports %" PRIu64
	       " phc-offset %" PRId64 "ns\n",
	       g[TSNIC_A_GNSS_PULSES] ? nla_get_u64(g[TSNIC_A_GNSS_PULSES]) : 0,
	       g[TSNIC_A_GNSS_LOST] ? nla_get_u64(g[TSNIC_A_GNSS_LOST]) : 0,
	       g[TSNIC_A_GNSS_REPORTS] ? nla_get_u64(g[TSNIC_A_GNSS_REPORTS]) : 0,
	       g[TSNIC_A_GNSS_PHC_OFFSET_NS] ?
	       (int64_t)nla_get_u64(g[TSNIC_A_GNSS_PHC_OFFSET_NS]) : 0);
}

void print_dev(struct nlattr **tb)
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
			printf("    phc-read-delay %s phc-read-latch %s\n",
			       fmt_time_ns(b1, sizeof(b1),
					   get_u32(osc, TSNIC_A_OSC_READ_DELAY_NS)),
			       fmt_time_ns(b2, sizeof(b2),
					   get_u32(osc, TSNIC_A_OSC_READ_LATCH_NS)));
		}
	}
	printf("    ts-slots %u ts-timeout %s hwtstamp tx %s rx %s\n",
	       get_u32(tb, TSNIC_A_DEV_TS_SLOTS),
	       fmt_time_ns(b1, sizeof(b1),
			   (uint64_t)get_u32(tb, TSNIC_A_DEV_TS_TIMEOUT_MS) * 1000000),
	       tx_type_name(get_u32(tb, TSNIC_A_DEV_HWTSTAMP_TX_TYPE)),
	       rx_filter_name(get_u32(tb, TSNIC_A_DEV_HWTSTAMP_RX_FILTER)));
	printf("    ts-personality %s\n",
	       personality_name(get_u32(tb, TSNIC_A_DEV_TS_PERSONALITY)));
	if (tb[TSNIC_A_DEV_CARD])
		printf("    card %u ports %u\n", get_u32(tb, TSNIC_A_DEV_CARD),
		       get_u32(tb, TSNIC_A_DEV_CARD_PORTS));
	print_gnss(tb[TSNIC_A_DEV_GNSS]);
	print_stats(tb[TSNIC_A_DEV_STATS], -1);
}

static const char *const off_on[] = { "off", "on", NULL };

static const struct setting dev_settings[] = {
	DEV_SETTING("rate", RATE_BPS, A_U64, UNIT_RATE),
	DEV_SETTING("delay", DELAY_NS, A_U32, UNIT_NS),
	DEV_SETTING("tx-usecs", TX_USECS, A_U32, UNIT_NONE),
	DEV_SETTING("tx-frames", TX_FRAMES, A_U32, UNIT_NONE),
	DEV_SETTING("ts-slots", TS_SLOTS, A_U32, UNIT_NONE),
	DEV_SETTING("ts-timeout", TS_TIMEOUT_MS, A_U32, UNIT_MS),
	{ "ts-personality", 0, TSNIC_A_DEV_TS_PERSONALITY, A_U32, UNIT_NONE,
	  personality_names, 0 },
	OSC_SETTING("freq-offset", FREQ_PPB, A_S32, UNIT_PPB),
	OSC_SETTING("wander", WANDER_PPB, A_U32, UNIT_PPB),
	OSC_SETTING("ts-jitter", JITTER_NS, A_U32, UNIT_NS),
	OSC_SETTING("phc-read-delay", READ_DELAY_NS, A_U32, UNIT_NS),
	OSC_SETTING("phc-read-latch", READ_LATCH_NS, A_U32, UNIT_NS),
	{ "gnss", TSNIC_A_DEV_GNSS, TSNIC_A_GNSS_ENABLED, A_U8, UNIT_NONE,
	  off_on, 0 },
	GNSS_SETTING("gnss-pin", PIN, A_U32, UNIT_NONE),
	GNSS_SETTING("gnss-offset", OFFSET_NS, A_S32, UNIT_NS),
	GNSS_SETTING("gnss-jitter", JITTER_NS, A_U32, UNIT_NS),
};

_Static_assert(ARRAY_SIZE(dev_settings) <= MAX_SETTINGS, "MAX_SETTINGS");

static int dev_reply(struct nlattr **tb, void *arg)
{
	if (json)
		json_object_attrs(tb, &dev_set);
	else
		print_dev(tb);
	return 0;
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

/* dev add NAME [card-of DEV] [link DEV] */
static int parse_dev_add(int argc, char **argv, struct args *a)
{
	int i;

	if (argc < 1)
		return syntax_err("no name given for the new device");
	if (strlen(argv[0]) >= IF_NAMESIZE)
		return usage_err("device name \"%s\" is too long (at most %d characters)",
				 argv[0], IF_NAMESIZE - 1);
	a->dev = argv[0];
	for (i = 1; i < argc; i += 2) {
		const char **to;

		if (matches(argv[i], "card-of"))
			to = &a->card_of;
		else if (matches(argv[i], "link"))
			to = &a->link;
		else
			return unexpected(&argv[i]);
		if (i + 1 >= argc)
			return syntax_err("\"%s\" needs a device", argv[i]);
		if (*to)
			return usage_err("\"%s\" given twice", argv[i]);
		*to = argv[i + 1];
	}
	return 0;
}

/* the index of device @name, or 0 after saying why not */
static unsigned int dev_index(const char *name)
{
	unsigned int i = if_nametoindex(name);

	if (!i)
		fprintf(stderr, "tsnic: device \"%s\": %s\n", name,
			strerror(errno));
	return i;
}

/* An RTM_NEWLINK of kind "tsnic": ip link add NAME type tsnic, and more. */
static int run_dev_add(struct tsnic_nl *nl, struct args *a)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	unsigned int card_of = 0, link = 0;
	struct nlattr *info, *data;
	struct nl_msg *msg;

	if ((a->card_of && !(card_of = dev_index(a->card_of))) ||
	    (a->link && !(link = dev_index(a->link))))
		return 1;
	msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK |
				 NLM_F_CREATE | NLM_F_EXCL);
	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) ||
	    nla_put_string(msg, IFLA_IFNAME, a->dev) ||
	    (link && nla_put_u32(msg, IFLA_LINK, link)) ||
	    !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, TSNIC_FAMILY_NAME))
		goto nomem;
	if (card_of) {
		data = nla_nest_start(msg, IFLA_INFO_DATA);
		if (!data || nla_put_u32(msg, TSNIC_A_LINK_CARD_OF, card_of))
			goto nomem;
		nla_nest_end(msg, data);
	}
	nla_nest_end(msg, info);
	return exit_of(tsnic_rtnl_talk(msg));
nomem:
	nlmsg_free(msg);
	return exit_of(nomem());
}

static const struct command dev_commands[] = {
	{ "show", parse_opt_dev, run_dev_show },
	{ "list", parse_opt_dev, run_dev_show },
	{ "set", parse_dev_set, run_set },
	{ "add", parse_dev_add, run_dev_add },
	{ }
};

const struct object dev_object = {
	.name = "dev",
	.alias = "device",
	.usage = "dev show [DEV]\n"
		 "dev add NAME [card-of DEV] [link DEV]\n"
		 "dev set DEV [rate RATE] [delay TIME] [tx-usecs N] [tx-frames N]\n"
		 "            [freq-offset PPB] [wander PPB] [ts-jitter TIME]\n"
		 "            [phc-read-delay TIME] [phc-read-latch TIME]\n"
		 "            [ts-slots N] [ts-timeout TIME]\n"
		 "            [ts-personality full|ptp-v2-l4|ptp-v2-l2|ptp-v2-any]\n"
		 "            [gnss on|off] [gnss-pin N] [gnss-offset [-]TIME]\n"
		 "            [gnss-jitter TIME]\n",
	.where = W_RATE | W_TIME | W_PPB,
	.commands = dev_commands,
};
