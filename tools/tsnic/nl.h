/* SPDX-License-Identifier: GPL-2.0 */
/* tsnic CLI: requests to the "tsnic" generic netlink family. */
#ifndef TSNIC_NL_H
#define TSNIC_NL_H

#include <stdbool.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "util.h"

struct tsnic_nl;

/* called with each reply message's attributes, parsed to @maxattr */
typedef int (*tsnic_reply_fn)(struct nlattr **tb, void *arg);

/* How the user wrote an attribute of a request, for messages about it. */
struct tsnic_nl_word {
	const char *word;	/* "ts-slots", "device" */
	const char *value;	/* what was typed for it, or NULL */
	enum unit unit;		/* of the attribute's value, for its range */
};

/*
 * Describe the attribute of a request for @cmd that starts at byte @offs
 * of the request (0 if unknown), of type @type in the nest of type @nest
 * (0 at the top level; -1 for both if it is nested deeper); false if it
 * is none the user gave.
 */
typedef bool (*tsnic_word_fn)(void *ctx, uint8_t cmd, uint32_t offs, int nest,
			      int type, struct tsnic_nl_word *w);

/* Connect and resolve the family; prints why on failure. */
struct tsnic_nl *tsnic_nl_open(void);
void tsnic_nl_close(struct tsnic_nl *nl);

/*
 * A request message for @cmd, flags NLM_F_REQUEST plus @flags.  It needs no
 * socket: the family is filled in when it is sent, so a command can build
 * (and check) its requests before it connects.
 */
struct nl_msg *tsnic_nl_msg(uint8_t cmd, int flags);

/*
 * Send @msg (consumed) and read the answer to its end, calling @fn for each
 * reply.  Returns 0 or a negative errno; on a kernel error the kernel's
 * extended ack has been printed (tsnic_nl_report()), and so has a warning
 * it sent with a success.
 */
int tsnic_nl_talk(struct tsnic_nl *nl, struct nl_msg *msg, int maxattr,
		  tsnic_reply_fn fn, void *arg);

/* The last tsnic_nl_talk() was a dump the kernel marked NLM_F_DUMP_INTR. */
bool tsnic_nl_dump_intr(const struct tsnic_nl *nl);

/* The command of the message a tsnic_reply_fn is called with. */
uint8_t tsnic_nl_cmd(const struct tsnic_nl *nl);

/*
 * The message a tsnic_reply_fn is called with, for attributes that come
 * more than once (multi-attr); NULL outside a tsnic_reply_fn.
 */
struct nlmsghdr *tsnic_nl_reply(const struct tsnic_nl *nl);

/* Join the "events" group and call @fn for each notification, forever. */
int tsnic_nl_monitor(struct tsnic_nl *nl, int maxattr, tsnic_reply_fn fn,
		     void *arg);

/* For messages about the attributes of requests: name them as @fn does. */
void tsnic_nl_set_words(struct tsnic_nl *nl, tsnic_word_fn fn, void *ctx);

/*
 * Print the status @nlh (NLMSG_ERROR, or the NLMSG_DONE of a dump) of
 * request @req (or NULL) on stderr as ip(8) does: "Error: " and the
 * kernel's extended ack message (or the errno's text), "Warning: " and the
 * message of a success that carries one, nothing for a plain success.  The
 * attribute the kernel points at is named as @fn describes it, and the
 * valid range the kernel reports for it (NLMSGERR_ATTR_POLICY) follows in
 * its unit.  Returns the status: 0 or a negative errno.
 */
int tsnic_nl_report(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		    tsnic_word_fn fn, void *ctx);

/*
 * Send rtnetlink request @msg (consumed) on a route socket of its own and
 * wait for its ack; the kernel's extended ack is printed as by
 * tsnic_nl_report().  Returns 0 or a negative errno.
 */
int tsnic_rtnl_talk(struct nl_msg *msg);

#endif /* TSNIC_NL_H */
