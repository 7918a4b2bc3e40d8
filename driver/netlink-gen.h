/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/tsnic.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_TSNIC_GEN_H
#define _LINUX_TSNIC_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/tsnic.h>

/* Common nested types */
extern const struct nla_policy tsnic_fault_nl_policy[TSNIC_A_FAULT_STALLED_QUEUES + 1];
extern const struct nla_policy tsnic_fault_trigger_nl_policy[TSNIC_A_FAULT_TRIGGER_FIRED + 1];
extern const struct nla_policy tsnic_gnss_nl_policy[TSNIC_A_GNSS_PHC_OFFSET_NS + 1];
extern const struct nla_policy tsnic_osc_nl_policy[TSNIC_A_OSC_READ_LATCH_NS + 1];

int tsnic_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int tsnic_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tsnic_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info);
int tsnic_nl_queue_get_doit(struct sk_buff *skb, struct genl_info *info);
int tsnic_nl_queue_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tsnic_nl_ring_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tsnic_nl_pin_get_doit(struct sk_buff *skb, struct genl_info *info);
int tsnic_nl_pin_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tsnic_nl_pin_connect_doit(struct sk_buff *skb, struct genl_info *info);
int tsnic_nl_pin_disconnect_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	TSNIC_NLGRP_EVENTS,
};

extern struct genl_family tsnic_nl_family;

#endif /* _LINUX_TSNIC_GEN_H */
