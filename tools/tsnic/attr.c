// SPDX-License-Identifier: GPL-2.0
/* tsnic CLI: the attribute tables' JSON, and reading attributes. */
#include <linux/tsnic.h>

#include "tsnic.h"

/* ---- JSON output: every attribute, keys after the attributes ------------ */

void json_attr(const struct attr_desc *d, struct nlattr *a)
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
	case K_S64:
		json_int(d->name, (int64_t)nla_get_u64(a));
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
	case K_PERSONALITY:
		json_string(d->name, personality_name(nla_get_u32(a)));
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

void json_attrs(struct nlattr **tb, const struct attr_set *set)
{
	int i;

	for (i = 1; i <= set->max; i++)
		if (tb[i] && set->desc[i].name)
			json_attr(&set->desc[i], tb[i]);
}

/* @tb, an object of the JSON array being written */
void json_object_attrs(struct nlattr **tb, const struct attr_set *set)
{
	json_open_object(NULL);
	json_attrs(tb, set);
	json_close_object();
}

/* the attributes @keys (@n of them, of table @desc) that @tb has */
void json_some_attrs(struct nlattr **tb, const struct attr_desc *desc,
		     const int *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tb[keys[i]])
			json_attr(&desc[keys[i]], tb[keys[i]]);
}

uint32_t get_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

uint8_t get_u8(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u8(tb[type]) : 0;
}

uint64_t get_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}
