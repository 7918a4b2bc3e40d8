// SPDX-License-Identifier: GPL-2.0
/* tsnic CLI: "fault show" and "fault set". */
#include <errno.h>
#include <inttypes.h>

#include <linux/tsnic.h>

#include "tsnic.h"

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

const struct attr_set fault_set = { fault_desc, TSNIC_A_FAULT_MAX };

#define FAULT_SETTING(key, ATTR, atype, unit) \
	SETTING(key, TSNIC_A_DEV_FAULT, TSNIC_A_FAULT_##ATTR, atype, unit)
#define FAULT_TRIGGER(kind, KIND) \
	FAULT_SETTING(kind "-every", KIND##_EVERY, A_U32, UNIT_NONE), \
	FAULT_SETTING(kind "-ppm", KIND##_PPM, A_U32, UNIT_NONE),

/* The fault kinds, in the order of their EVERY/PPM/FIRED attributes. */
#define FAULT_KINDS(X)							\
	X("ts-drop", TS_DROP) X("ts-delay", TS_DELAY)			\
	X("ts-reorder", TS_REORDER) X("cable-drop", CABLE_DROP)		\
	X("cable-corrupt", CABLE_CORRUPT) X("cable-delay", CABLE_DELAY)	\
	X("stall", STALL)
#define FAULT_KIND_NAME(kind, KIND)	kind,

const char *const fault_kinds[] = { FAULT_KINDS(FAULT_KIND_NAME) };
const size_t n_fault_kinds = ARRAY_SIZE(fault_kinds);

static const char *const cable_names[] = { "plugged", "pulled" };

static const struct setting fault_settings[] = {
	FAULT_SETTING("seed", SEED, A_U64, UNIT_NONE),
	FAULT_KINDS(FAULT_TRIGGER)
	FAULT_SETTING("ts-delay", TS_DELAY_NS, A_U32, UNIT_NS),
	FAULT_SETTING("cable-delay", CABLE_DELAY_NS, A_U32, UNIT_NS),
	FAULT_SETTING("cable-jitter", CABLE_JITTER_NS, A_U32, UNIT_NS),
	{ "cable", TSNIC_A_DEV_FAULT, TSNIC_A_FAULT_CABLE_PULLED, A_U8,
	  UNIT_NONE, cable_names },
	FAULT_SETTING("stalled-queues", STALLED_QUEUES, A_U32, UNIT_HEX),
};

_Static_assert(ARRAY_SIZE(fault_settings) <= MAX_SETTINGS, "MAX_SETTINGS");

static int parse_fault_set(int argc, char **argv, struct args *a)
{
	return parse_settings(argc, argv, fault_settings,
			      ARRAY_SIZE(fault_settings), a);
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
	for (k = 0; k < (int)ARRAY_SIZE(fault_kinds); k++) {
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

static int run_fault_show(struct tsnic_nl *nl, struct args *a)
{
	struct nl_msg *msg = request(TSNIC_CMD_DEV_GET, 0, TSNIC_A_DEV_IFNAME,
				     a->dev);

	return msg ? show(nl, msg, TSNIC_A_DEV_MAX, fault_reply, NULL) : 1;
}

static const struct command fault_commands[] = {
	{ "show", parse_opt_dev, run_fault_show },
	{ "list", parse_opt_dev, run_fault_show },
	{ "set", parse_fault_set, run_set },
	{ }
};

const struct object fault_object = {
	.name = "fault",
	.usage = "fault show [DEV]\n"
		 "fault set DEV [seed N] [KIND-every N] [KIND-ppm N] [ts-delay TIME]\n"
		 "              [cable-delay TIME] [cable-jitter TIME]\n"
		 "              [cable pulled|plugged] [stalled-queues MASK]\n",
	.where = W_KIND | W_TIME | W_MASK,
	.commands = fault_commands,
};
