/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tsnic CLI: what the objects' files (dev.c, queue.c, ring.c, stats.c,
 * fault.c, monitor.c) share with each other and with tsnic.c, which reads
 * the command line and dispatches to them.  A function with no comment
 * here has it where it is defined.
 */
#ifndef TSNIC_H
#define TSNIC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "nl.h"
#include "util.h"

#define EXIT_USAGE	2
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- attribute names and types (attr.c) --------------------------------- */

enum kind { K_NONE, K_U8, K_BOOL, K_U32, K_S32, K_U64, K_S64, K_STR, K_NEST,
	    K_FAULT, K_QTYPE, K_TXTYPE, K_RXFILTER, K_PERSONALITY };

struct attr_desc {
	const char *name;	/* JSON key; NULL: not shown */
	enum kind kind;
	const struct attr_set *nest;
};

struct attr_set {
	const struct attr_desc *desc;
	int max;
};

/* A command's arguments, all checked before the netlink socket opens. */
struct args {
	const char *dev;	/* NULL: every device */
	int qtype;		/* queue show: -1 for TX and RX */
	uint32_t qid;
	bool one;		/* queue show: one queue */
	struct nl_msg *msg;	/* dev set, fault set: the request */
	/* pin connect, pin disconnect */
	uint32_t pin;		/* DEV's pin */
	const char *dev2;	/* the wire's other end, or NULL */
	uint32_t pin2;
	uint64_t delay_ns;
	/* dev add: the device whose card to join, the cable's other end */
	const char *card_of;
	const char *link;
};

/* ---- settings: dev set, fault set (set.c) ------------------------------- */

enum attr_type { A_U8, A_U32, A_S32, A_U64 };

struct setting {
	const char *key;
	int nest;		/* TSNIC_A_DEV_OSC, _FAULT, _GNSS, or 0 */
	int type;
	enum attr_type atype;
	enum unit unit;		/* of the attribute, and how VALUE is read */
	const char *const *names;	/* VALUE by name: its index in
					 * names[], which NULL ends
					 */
	int trigger;		/* fault kind + 1 of a TSNIC_A_FAULT_TRIGGER
				 * attribute (in @nest's trigger nest), or 0
				 */
};

#define SETTING(key, nest, type, atype, unit) \
	{ key, nest, type, atype, unit, NULL, 0 }

/* ---- objects (tsnic.c dispatches to them) ------------------------------ */

/* A command of an object: checks its arguments, then asks the kernel. */
struct command {
	const char *name;	/* NULL: the object takes no command word */
	int (*parse)(int argc, char **argv, struct args *a);
	int (*run)(struct tsnic_nl *nl, struct args *a);
};

/* the placeholders an object's usage uses: where_lines[] in tsnic.c */
enum { W_KIND = 1, W_RATE = 2, W_TIME = 4, W_PPB = 8, W_MASK = 16 };

/* An object of the command line, defined in its own file. */
struct object {
	const char *name;
	const char *alias;
	const char *usage;	/* its lines of the usage, after "tsnic " */
	unsigned int where;	/* the placeholders they use, W_* */
	/* the first is what the object does without a command; {} ends them */
	const struct command *commands;
};

/* each in its file; tsnic.c lists them in objects[] */
extern const struct object dev_object;
extern const struct object queue_object;
extern const struct object ring_object;
extern const struct object stats_object;
extern const struct object fault_object;
extern const struct object monitor_object;
extern const struct object pin_object;

/* the most keys one "set" command takes: fault_settings[] */
#define MAX_SETTINGS	32

/* the options (tsnic.c) */
extern bool json;		/* -j */
extern bool pretty;		/* -p */
extern int show_stats;		/* -s: stats show, each queue's counters */
extern bool details;		/* -d: ring show, timestamps and counters */

/* attr.c */
/* attribute @a as described by @d: "name": value, or a nested object */
void json_attr(const struct attr_desc *d, struct nlattr *a);
/* every attribute of @tb that @set names, in the order of their types */
void json_attrs(struct nlattr **tb, const struct attr_set *set);
void json_object_attrs(struct nlattr **tb, const struct attr_set *set);
void json_some_attrs(struct nlattr **tb, const struct attr_desc *desc,
		     const int *keys, size_t n);
/* attribute @type of @tb, 0 if it is absent */
uint8_t get_u8(struct nlattr **tb, int type);
uint32_t get_u32(struct nlattr **tb, int type);
uint64_t get_u64(struct nlattr **tb, int type);

/* the command line (tsnic.c) */
/* @arg is @word or a prefix of it, as ip(8) abbreviates */
bool matches(const char *arg, const char *word);
bool misplaced_option(char **at);
int __attribute__((format(printf, 1, 2))) usage_err(const char *fmt, ...);
int __attribute__((format(printf, 1, 2))) syntax_err(const char *fmt, ...);
int unexpected(char **at);
/* "tsnic: " and ENOMEM's text on stderr; returns -ENOMEM */
int nomem(void);
/* what the user typed for an attribute, to name it in the kernel's errors */
void add_word(bool queue, int nest, int type, const char *word,
	      const char *value, enum unit unit);
/* the same, for the attribute at byte @offs of the request */
void add_word_at(uint32_t offs, bool queue, int nest, int type,
		 const char *word, const char *value, enum unit unit);
int parse_dev(char **at, const char **dev);
int parse_need_dev(int argc, char **argv, struct args *a);
int parse_qid(char **at, uint32_t *qid);
int parse_opt_dev(int argc, char **argv, struct args *a);
struct nl_msg *request(uint8_t cmd, int flags, int a_ifname, const char *dev);
/* the exit status of a command that ended with @err (0 or -errno) */
int exit_of(int err);
void json_begin_one(void);
void json_end_one(void);
int show(struct tsnic_nl *nl, struct nl_msg *msg, int maxattr,
	 tsnic_reply_fn fn, void *arg);

/* set.c */
int parse_settings(int argc, char **argv, const struct setting *table,
		   size_t n, struct args *a);
int run_set(struct tsnic_nl *nl, struct args *a);

/* dev.c */
extern const struct attr_desc dev_desc[];
extern const struct attr_set dev_set;
/* the names of HWTSTAMP_TX_* and HWTSTAMP_FILTER_* values */
const char *tx_type_name(uint32_t t);
const char *rx_filter_name(uint32_t f);
const char *personality_name(uint32_t p);
/* a DEV_GET reply as text: a line of identity, then settings and counters */
void print_dev(struct nlattr **tb);

/* queue.c */
extern const struct attr_desc queue_desc[];
extern const struct attr_set queue_set;
/* "tx" or "rx", for TSNIC_QUEUE_TYPE_* */
const char *qtype_name(uint32_t t);
/* a QUEUE_GET reply as text: a line of state, then its counters if any */
void print_queue(struct nlattr **tb);
struct nl_msg *queue_request(const char *dev, int qtype, uint32_t qid);

/* stats.c */
extern const struct attr_set stats_set;
void print_stats(struct nlattr *nest, int qtype);

/* fault.c */
extern const struct attr_set fault_set;
/* the fault kinds' names, "ts-drop"..., by enum tsnic_fault */
extern const char *const fault_kinds[];
extern const size_t n_fault_kinds;
/* the members of a fault nest as JSON, each trigger spread into keys */
void json_fault(struct nlattr *fault);

#endif /* TSNIC_H */
