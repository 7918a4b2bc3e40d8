/* SPDX-License-Identifier: GPL-2.0 */
/* tsnic CLI: requests to the "tsnic" generic netlink family. */
#ifndef TSNIC_NL_H
#define TSNIC_NL_H

#include <stdbool.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

struct tsnic_nl;

/* called with each reply message's attributes, parsed to @maxattr */
typedef int (*tsnic_reply_fn)(struct nlattr **tb, void *arg);

/* Connect and resolve the family; prints why on failure. */
struct tsnic_nl *tsnic_nl_open(void);
void tsnic_nl_close(struct tsnic_nl *nl);

/* A request message for @cmd, flags NLM_F_REQUEST plus @flags. */
struct nl_msg *tsnic_nl_msg(struct tsnic_nl *nl, uint8_t cmd, int flags);

/*
 * Send @msg (consumed) and read the answer to its end, calling @fn for each
 * reply.  Returns 0 or a negative errno; on a kernel error the kernel's
 * extended ack message has been printed.
 */
int tsnic_nl_talk(struct tsnic_nl *nl, struct nl_msg *msg, int maxattr,
		  tsnic_reply_fn fn, void *arg);

/* The last tsnic_nl_talk() was a dump the kernel marked NLM_F_DUMP_INTR. */
bool tsnic_nl_dump_intr(const struct tsnic_nl *nl);

/* The command of the message a tsnic_reply_fn is called with. */
uint8_t tsnic_nl_cmd(const struct tsnic_nl *nl);

/* Join the "events" group and call @fn for each notification, forever. */
int tsnic_nl_monitor(struct tsnic_nl *nl, int maxattr, tsnic_reply_fn fn,
		     void *arg);

/* For error messages: name the attribute at offset @type of a request. */
typedef const char *(*tsnic_attr_name_fn)(int type, int nest_type);
void tsnic_nl_set_namer(struct tsnic_nl *nl, tsnic_attr_name_fn fn);

#endif /* TSNIC_NL_H */
