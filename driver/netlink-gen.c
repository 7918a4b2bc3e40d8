// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/tsnic.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/tsnic.h>

/* Integer value ranges */
static const struct netlink_range_validation tsnic_a_dev_rate_bps_range = {
	.max	= TSNIC_RATE_BPS_MAX,
};

static const struct netlink_range_validation tsnic_a_dev_delay_ns_range = {
	.max	= TSNIC_DELAY_NS_MAX,
};

static const struct netlink_range_validation tsnic_a_dev_ts_timeout_ms_range = {
	.min	= 1ULL,
	.max	= TSNIC_TS_TIMEOUT_MS_MAX,
};

static const struct netlink_range_validation tsnic_a_osc_wander_ppb_range = {
	.max	= TSNIC_WANDER_PPB_MAX,
};

static const struct netlink_range_validation tsnic_a_osc_jitter_ns_range = {
	.max	= TSNIC_JITTER_NS_MAX,
};

static const struct netlink_range_validation tsnic_a_osc_read_delay_ns_range = {
	.max	= TSNIC_READ_DELAY_NS_MAX,
};

static const struct netlink_range_validation tsnic_a_osc_read_latch_ns_range = {
	.max	= TSNIC_READ_DELAY_NS_MAX,
};

static const struct netlink_range_validation tsnic_a_gnss_jitter_ns_range = {
	.max	= TSNIC_GNSS_JITTER_NS_MAX,
};

static const struct netlink_range_validation tsnic_a_fault_ts_delay_ns_range = {
	.max	= TSNIC_FAULT_DELAY_NS_MAX,
};

static const struct netlink_range_validation tsnic_a_fault_cable_delay_ns_range = {
	.max	= TSNIC_FAULT_DELAY_NS_MAX,
};

static const struct netlink_range_validation tsnic_a_fault_cable_jitter_ns_range = {
	.max	= TSNIC_FAULT_DELAY_NS_MAX,
};

static const struct netlink_range_validation tsnic_a_fault_stalled_queues_range = {
	.max	= TSNIC_STALLED_QUEUES_MAX,
};

static const struct netlink_range_validation tsnic_a_fault_trigger_every_range = {
	.max	= TSNIC_FAULT_EVERY_MAX,
};

static const struct netlink_range_validation tsnic_a_fault_trigger_ppm_range = {
	.max	= TSNIC_FAULT_PPM_MAX,
};

static const struct netlink_range_validation tsnic_a_pin_delay_ns_range = {
	.max	= TSNIC_DELAY_NS_MAX,
};

/* Common nested types */
const struct nla_policy tsnic_fault_nl_policy[TSNIC_A_FAULT_STALLED_QUEUES + 1] = {
	[TSNIC_A_FAULT_SEED] = { .type = NLA_U64, },
	[TSNIC_A_FAULT_TRIGGER] = NLA_POLICY_NESTED(tsnic_fault_trigger_nl_policy),
	[TSNIC_A_FAULT_TS_DELAY_NS] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_fault_ts_delay_ns_range),
	[TSNIC_A_FAULT_CABLE_DELAY_NS] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_fault_cable_delay_ns_range),
	[TSNIC_A_FAULT_CABLE_JITTER_NS] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_fault_cable_jitter_ns_range),
	[TSNIC_A_FAULT_CABLE_PULLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[TSNIC_A_FAULT_CABLE_PULLS] = { .type = NLA_U64, },
	[TSNIC_A_FAULT_STALLED_QUEUES] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_fault_stalled_queues_range),
};

const struct nla_policy tsnic_fault_trigger_nl_policy[TSNIC_A_FAULT_TRIGGER_FIRED + 1] = {
	[TSNIC_A_FAULT_TRIGGER_KIND] = NLA_POLICY_MAX(NLA_U32, 7),
	[TSNIC_A_FAULT_TRIGGER_EVERY] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_fault_trigger_every_range),
	[TSNIC_A_FAULT_TRIGGER_PPM] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_fault_trigger_ppm_range),
	[TSNIC_A_FAULT_TRIGGER_FIRED] = { .type = NLA_U64, },
};

const struct nla_policy tsnic_gnss_nl_policy[TSNIC_A_GNSS_PHC_OFFSET_NS + 1] = {
	[TSNIC_A_GNSS_ENABLED] = { .type = NLA_U8, },
	[TSNIC_A_GNSS_PIN] = NLA_POLICY_MAX(NLA_U32, TSNIC_PIN_INDEX_MAX),
	[TSNIC_A_GNSS_OFFSET_NS] = { .type = NLA_S32, },
	[TSNIC_A_GNSS_JITTER_NS] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_gnss_jitter_ns_range),
	[TSNIC_A_GNSS_INDEX] = { .type = NLA_S32, },
	[TSNIC_A_GNSS_FIX] = { .type = NLA_U8, },
	[TSNIC_A_GNSS_PULSES] = { .type = NLA_U64, },
	[TSNIC_A_GNSS_LOST] = { .type = NLA_U64, },
	[TSNIC_A_GNSS_REPORTS] = { .type = NLA_U64, },
	[TSNIC_A_GNSS_PHC_OFFSET_NS] = { .type = NLA_S64, },
};

const struct nla_policy tsnic_osc_nl_policy[TSNIC_A_OSC_READ_LATCH_NS + 1] = {
	[TSNIC_A_OSC_FREQ_PPB] = { .type = NLA_S32, },
	[TSNIC_A_OSC_WANDER_PPB] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_osc_wander_ppb_range),
	[TSNIC_A_OSC_JITTER_NS] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_osc_jitter_ns_range),
	[TSNIC_A_OSC_READ_DELAY_NS] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_osc_read_delay_ns_range),
	[TSNIC_A_OSC_READ_LATCH_NS] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_osc_read_latch_ns_range),
};

/* TSNIC_CMD_DEV_GET - do */
static const struct nla_policy tsnic_dev_get_nl_policy[TSNIC_A_DEV_IFNAME + 1] = {
	[TSNIC_A_DEV_IFINDEX] = { .type = NLA_U32, },
	[TSNIC_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* TSNIC_CMD_DEV_SET - do */
static const struct nla_policy tsnic_dev_set_nl_policy[TSNIC_A_DEV_TS_PERSONALITY + 1] = {
	[TSNIC_A_DEV_IFINDEX] = { .type = NLA_U32, },
	[TSNIC_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[TSNIC_A_DEV_RATE_BPS] = NLA_POLICY_FULL_RANGE(NLA_U64, &tsnic_a_dev_rate_bps_range),
	[TSNIC_A_DEV_DELAY_NS] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_dev_delay_ns_range),
	[TSNIC_A_DEV_TX_USECS] = NLA_POLICY_MAX(NLA_U32, TSNIC_TX_USECS_MAX),
	[TSNIC_A_DEV_TX_FRAMES] = NLA_POLICY_MAX(NLA_U32, TSNIC_TX_FRAMES_MAX),
	[TSNIC_A_DEV_OSC] = NLA_POLICY_NESTED(tsnic_osc_nl_policy),
	[TSNIC_A_DEV_TS_SLOTS] = NLA_POLICY_RANGE(NLA_U32, 1, TSNIC_TS_SLOTS_MAX),
	[TSNIC_A_DEV_TS_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_dev_ts_timeout_ms_range),
	[TSNIC_A_DEV_FAULT] = NLA_POLICY_NESTED(tsnic_fault_nl_policy),
	[TSNIC_A_DEV_GNSS] = NLA_POLICY_NESTED(tsnic_gnss_nl_policy),
	[TSNIC_A_DEV_TS_PERSONALITY] = NLA_POLICY_MAX(NLA_U32, 3),
};

/* TSNIC_CMD_QUEUE_GET - do */
static const struct nla_policy tsnic_queue_get_do_nl_policy[TSNIC_A_QUEUE_ID + 1] = {
	[TSNIC_A_QUEUE_IFINDEX] = { .type = NLA_U32, },
	[TSNIC_A_QUEUE_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[TSNIC_A_QUEUE_TYPE] = NLA_POLICY_MAX(NLA_U32, 1),
	[TSNIC_A_QUEUE_ID] = NLA_POLICY_MAX(NLA_U32, TSNIC_QUEUE_ID_MAX),
};

/* TSNIC_CMD_QUEUE_GET - dump */
static const struct nla_policy tsnic_queue_get_dump_nl_policy[TSNIC_A_QUEUE_IFNAME + 1] = {
	[TSNIC_A_QUEUE_IFINDEX] = { .type = NLA_U32, },
	[TSNIC_A_QUEUE_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* TSNIC_CMD_RING_DUMP - dump */
static const struct nla_policy tsnic_ring_dump_nl_policy[TSNIC_A_QUEUE_ID + 1] = {
	[TSNIC_A_QUEUE_IFINDEX] = { .type = NLA_U32, },
	[TSNIC_A_QUEUE_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[TSNIC_A_QUEUE_TYPE] = NLA_POLICY_MAX(NLA_U32, 1),
	[TSNIC_A_QUEUE_ID] = NLA_POLICY_MAX(NLA_U32, TSNIC_QUEUE_ID_MAX),
};

/* TSNIC_CMD_PIN_GET - do */
static const struct nla_policy tsnic_pin_get_do_nl_policy[TSNIC_A_PIN_INDEX + 1] = {
	[TSNIC_A_PIN_IFINDEX] = { .type = NLA_U32, },
	[TSNIC_A_PIN_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[TSNIC_A_PIN_INDEX] = NLA_POLICY_MAX(NLA_U32, TSNIC_PIN_INDEX_MAX),
};

/* TSNIC_CMD_PIN_GET - dump */
static const struct nla_policy tsnic_pin_get_dump_nl_policy[TSNIC_A_PIN_IFNAME + 1] = {
	[TSNIC_A_PIN_IFINDEX] = { .type = NLA_U32, },
	[TSNIC_A_PIN_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* TSNIC_CMD_PIN_CONNECT - do */
static const struct nla_policy tsnic_pin_connect_nl_policy[TSNIC_A_PIN_DELAY_NS + 1] = {
	[TSNIC_A_PIN_IFINDEX] = { .type = NLA_U32, },
	[TSNIC_A_PIN_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[TSNIC_A_PIN_INDEX] = NLA_POLICY_MAX(NLA_U32, TSNIC_PIN_INDEX_MAX),
	[TSNIC_A_PIN_PEER_IFINDEX] = { .type = NLA_U32, },
	[TSNIC_A_PIN_PEER_INDEX] = NLA_POLICY_MAX(NLA_U32, TSNIC_PIN_INDEX_MAX),
	[TSNIC_A_PIN_DELAY_NS] = NLA_POLICY_FULL_RANGE(NLA_U32, &tsnic_a_pin_delay_ns_range),
};

/* TSNIC_CMD_PIN_DISCONNECT - do */
static const struct nla_policy tsnic_pin_disconnect_nl_policy[TSNIC_A_PIN_PEER_INDEX + 1] = {
	[TSNIC_A_PIN_IFINDEX] = { .type = NLA_U32, },
	[TSNIC_A_PIN_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[TSNIC_A_PIN_INDEX] = NLA_POLICY_MAX(NLA_U32, TSNIC_PIN_INDEX_MAX),
	[TSNIC_A_PIN_PEER_IFINDEX] = { .type = NLA_U32, },
	[TSNIC_A_PIN_PEER_INDEX] = NLA_POLICY_MAX(NLA_U32, TSNIC_PIN_INDEX_MAX),
};

/* Ops table for tsnic */
static const struct genl_split_ops tsnic_nl_ops[] = {
	{
		.cmd		= TSNIC_CMD_DEV_GET,
		.doit		= tsnic_nl_dev_get_doit,
		.policy		= tsnic_dev_get_nl_policy,
		.maxattr	= TSNIC_A_DEV_IFNAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= TSNIC_CMD_DEV_GET,
		.dumpit	= tsnic_nl_dev_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= TSNIC_CMD_DEV_SET,
		.doit		= tsnic_nl_dev_set_doit,
		.policy		= tsnic_dev_set_nl_policy,
		.maxattr	= TSNIC_A_DEV_TS_PERSONALITY,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= TSNIC_CMD_QUEUE_GET,
		.doit		= tsnic_nl_queue_get_doit,
		.policy		= tsnic_queue_get_do_nl_policy,
		.maxattr	= TSNIC_A_QUEUE_ID,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= TSNIC_CMD_QUEUE_GET,
		.dumpit		= tsnic_nl_queue_get_dumpit,
		.policy		= tsnic_queue_get_dump_nl_policy,
		.maxattr	= TSNIC_A_QUEUE_IFNAME,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= TSNIC_CMD_RING_DUMP,
		.dumpit		= tsnic_nl_ring_dump_dumpit,
		.policy		= tsnic_ring_dump_nl_policy,
		.maxattr	= TSNIC_A_QUEUE_ID,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= TSNIC_CMD_PIN_GET,
		.doit		= tsnic_nl_pin_get_doit,
		.policy		= tsnic_pin_get_do_nl_policy,
		.maxattr	= TSNIC_A_PIN_INDEX,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= TSNIC_CMD_PIN_GET,
		.dumpit		= tsnic_nl_pin_get_dumpit,
		.policy		= tsnic_pin_get_dump_nl_policy,
		.maxattr	= TSNIC_A_PIN_IFNAME,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= TSNIC_CMD_PIN_CONNECT,
		.doit		= tsnic_nl_pin_connect_doit,
		.policy		= tsnic_pin_connect_nl_policy,
		.maxattr	= TSNIC_A_PIN_DELAY_NS,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= TSNIC_CMD_PIN_DISCONNECT,
		.doit		= tsnic_nl_pin_disconnect_doit,
		.policy		= tsnic_pin_disconnect_nl_policy,
		.maxattr	= TSNIC_A_PIN_PEER_INDEX,
		.flags		= GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group tsnic_nl_mcgrps[] = {
	[TSNIC_NLGRP_EVENTS] = { "events", },
};

struct genl_family tsnic_nl_family __ro_after_init = {
	.name		= TSNIC_FAMILY_NAME,
	.version	= TSNIC_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= tsnic_nl_ops,
	.n_split_ops	= ARRAY_SIZE(tsnic_nl_ops),
	.mcgrps		= tsnic_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(tsnic_nl_mcgrps),
};
