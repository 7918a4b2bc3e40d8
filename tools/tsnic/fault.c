// SPDX-License-Identifier: GPL-2.0
/* tsnic CLI: "fault show" and "fault set". */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/tsnic.h>

#include "tsnic.h"

/*
 * The name of each fault kind of the uapi's enum tsnic_fault (the one list
 * of them, from the spec), as the spec spells it; the fault set keys and
 * the JSON keys of each kind are made from it.
 */
#define FAULT_KINDS(X)							\
	X("ts-drop", TS_DROP) X("ts-delay", TS_DELAY)			\
	X("ts-reorder", TS_REORDER) X("cable-drop", CABLE_DROP)		\
	X("cable-corrupt", CABLE_CORRUPT) X("cable-delay", CABLE_DELAY)	\
	X("stall", STALL) X("gnss-fix", GNSS_FIX)
#define FAULT_KIND_NAME(kind, KIND)	[TSNIC_FAULT_##KIND] = kind,

const char *const fault_kinds[] = { FAULT_KINDS(FAULT_KIND_NAME) };
const size_t n_fault_kinds = ARRAY_SIZE(fault_kinds);

_Static_assert(ARRAY_SIZE(fault_kinds) == TSNIC_FAULT_MAX + 1,
	       "a name for each fault kind");

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

const struct attr_set fault_set = { fault_desc, TSNIC_A_FAULT_MAX };

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

/*
 * The members of fault nest @fault: the seed, each kind's trigger as
 * <kind>_every, <kind>_ppm and <kind>_fired, then the other settings.
 */
void json_fault(struct nlattr *fault)
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

#define FAULT_SETTING(key, ATTR, atype, unit) \
	SETTING(key, TSNIC_A_DEV_FAULT, TSNIC_A_FAULT_##ATTR, atype, unit)
#define FAULT_TRIGGER(kind, KIND) \
	{ kind "-every", TSNIC_A_DEV_FAULT, TSNIC_A_FAULT_TRIGGER_EVERY, \
	  A_U32, UNIT_NONE, NULL, TSNIC_FAULT_##KIND + 1 }, \
	{ kind "-ppm", TSNIC_A_DEV_FAULT, TSNIC_A_FAULT_TRIGGER_PPM, \
	  A_U32, UNIT_NONE, NULL, TSNIC_FAULT_##KIND + 1 },

static const char *const cable_names[] = { "plugged", "pulled", NULL };

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

_Static_assert(ARRAY_SIZE(fault_settings) <= MAX_SETTINGS, "MAX_SETTINGS");

static int parse_fault_set(int argc, char **argv, struct args *a)
{
	return parse_settings(argc, argv, fault_settings,
			      ARRAY_SIZE(fault_settings), a);
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
