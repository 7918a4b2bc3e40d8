// SPDX-License-Identifier: GPL-2.0
/* tsnic CLI: KEY VALUE settings of "dev set" and "fault set". */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <linux/tsnic.h>

#include "tsnic.h"

/* what VALUE looks like, for each unit */
static const char *const unit_hint[] = {
	[UNIT_NONE]	= "a whole number",
	[UNIT_HEX]	= "a bit mask: 0x3 for queues 0 and 1",
	[UNIT_RATE]	= "a rate: 1gbit, 100mbit, 12500kbps, 0 for unlimited",
	[UNIT_NS]	= "a time: 500ns, 5us, 1ms",
	[UNIT_MS]	= "whole milliseconds: 5ms, 2s, or a bare number of ms",
	[UNIT_PPB]	= "parts per billion or million: -1500ppb, 40ppm",
};

/* @names, NULL-ended, as "a, b or c" in @buf */
static const char *names_list(char *buf, size_t size,
			      const char *const *names)
{
	size_t len = 0, i;

	buf[0] = '\0';
	for (i = 0; names[i] && len < size; i++)
		len += snprintf(buf + len, size - len, "%s\"%s\"",
				!i ? "" : names[i + 1] ? ", " : " or ",
				names[i]);
	return buf;
}

/* VALUE of setting @s: into *@v, in the attribute's unit (a signed one cast) */
static int parse_value(const struct setting *s, const char *val, uint64_t *v)
{
	int64_t lo = 0, hi = UINT32_MAX, x;
	char b1[48], b2[48], list[96];
	size_t i;
	int err;

	if (s->names) {
		for (i = 0; s->names[i]; i++) {
			if (!strcmp(val, s->names[i]) ||
			    (strlen(val) >= 4 && matches(val, s->names[i]))) {
				*v = i;
				return 0;
			}
		}
		return usage_err("%s: %s, not \"%s\"", s->key,
				 names_list(list, sizeof(list), s->names), val);
	}
	/* a signed time: its sign, then the time */
	if (s->atype == A_S32 && s->unit == UNIT_NS && val[0] == '-') {
		err = parse_time_ns(val + 1, 1, v);
		if (!err && *v > (uint64_t)INT32_MAX + 1)
			err = -ERANGE;
		if (err)
			return usage_err("invalid %s \"%s\" (%s)", s->key, val,
					 unit_hint[s->unit]);
		*v = -*v;
		return 0;
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
	add_word_at(at, false, s->nest, s->type, s->key, text, s->unit);
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
int parse_settings(int argc, char **argv, const struct setting *table,
		   size_t n, struct args *a)
{
	static const int nests[] = { 0, TSNIC_A_DEV_OSC, TSNIC_A_DEV_FAULT,
				     TSNIC_A_DEV_GNSS };
	const struct setting *given[MAX_SETTINGS];
	const char *text[MAX_SETTINGS];
	uint64_t val[MAX_SETTINGS];
	char b[96];
	size_t i, j, k, ng = 0;
	int err;

	err = parse_need_dev(argc, argv, a);
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
					 s->names ? names_list(b, sizeof(b),
							       s->names) :
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

/* dev set, fault set: the request parse_settings() built */
int run_set(struct tsnic_nl *nl, struct args *a)
{
	struct nl_msg *msg = a->msg;

	a->msg = NULL;
	return exit_of(tsnic_nl_talk(nl, msg, TSNIC_A_DEV_MAX, NULL, NULL));
}
