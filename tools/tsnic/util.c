// SPDX-License-Identifier: GPL-2.0
/* tsnic CLI: units the iproute2 way, and a small JSON writer. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

struct unit_scale {
	const char *name;
	double scale;
};

/* tc's rate units: bits unless "bps" (bytes per second) */
static const struct unit_scale rate_units[] = {
	{ "",      1 },
	{ "bit",   1 },
	{ "kibit", 1024. },
	{ "kbit",  1000. },
	{ "mibit", 1024. * 1024 },
	{ "mbit",  1000000. },
	{ "gibit", 1024. * 1024 * 1024 },
	{ "gbit",  1000000000. },
	{ "tibit", 1024. * 1024 * 1024 * 1024 },
	{ "tbit",  1000000000000. },
	{ "bps",   8. },
	{ "kibps", 8. * 1024 },
	{ "kbps",  8000. },
	{ "mibps", 8. * 1024 * 1024 },
	{ "mbps",  8000000. },
	{ "gibps", 8. * 1024 * 1024 * 1024 },
	{ "gbps",  8000000000. },
	{ "tibps", 8. * 1024 * 1024 * 1024 * 1024 },
	{ "tbps",  8000000000000. },
};

static const struct unit_scale time_units[] = {
	{ "s",     1e9 }, { "sec",  1e9 }, { "secs",  1e9 },
	{ "ms",    1e6 }, { "msec", 1e6 }, { "msecs", 1e6 },
	{ "us",    1e3 }, { "usec", 1e3 }, { "usecs", 1e3 },
	{ "ns",    1 },   { "nsec", 1 },   { "nsecs", 1 },
};

static const struct unit_scale ppb_units[] = {
	{ "", 1 }, { "ppb", 1 }, { "ppm", 1000 },
};

/* number with an optional unit from @units; a bare number uses @bare */
static int parse_scaled(const char *s, const struct unit_scale *units, size_t n,
			double bare, double *out)
{
	char *end;
	double v;
	size_t i;

	if (!*s)
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || isnan(v) || isinf(v))
		return -EINVAL;
	if (!*end) {
		*out = v * bare;
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (*units[i].name && !strcasecmp(end, units[i].name)) {
			*out = v * units[i].scale;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_rate(const char *s, uint64_t *bps)
{
	double v;

	if (parse_scaled(s, rate_units,
			 sizeof(rate_units) / sizeof(rate_units[0]), 1, &v) ||
	    v < 0 || v >= 18446744073709551616.0)
		return -EINVAL;
	*bps = (uint64_t)llround(v);
	return 0;
}

int parse_time_ns(const char *s, uint64_t bare_unit, uint64_t *ns)
{
	double v;

	if (parse_scaled(s, time_units,
			 sizeof(time_units) / sizeof(time_units[0]),
			 bare_unit, &v) ||
	    v < 0 || v >= 18446744073709551616.0)
		return -EINVAL;
	*ns = (uint64_t)llround(v);
	return 0;
}

int parse_ppb(const char *s, int64_t *ppb)
{
	double v;

	if (parse_scaled(s, ppb_units, sizeof(ppb_units) / sizeof(ppb_units[0]),
			 1, &v) ||
	    v < -9.2e18 || v > 9.2e18)
		return -EINVAL;
	*ppb = llround(v);
	return 0;
}

int parse_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

int parse_u32(const char *s, uint32_t *v)
{
	uint64_t x;

	if (parse_u64(s, &x) || x > UINT32_MAX)
		return -EINVAL;
	*v = x;
	return 0;
}

const char *fmt_rate(char *buf, size_t len, uint64_t bps)
{
	static const char * const names[] = {
		"bit", "Kbit", "Mbit", "Gbit", "Tbit"
	};
	unsigned int i = 0;

	if (!bps) {
		snprintf(buf, len, "unlimited");
		return buf;
	}
	/* the largest unit the rate is a whole multiple of, like tc */
	while (i < 4 && bps >= 1000 && bps % 1000 == 0) {
		bps /= 1000;
		i++;
	}
	snprintf(buf, len, "%" PRIu64 "%s", bps, names[i]);
	return buf;
}

const char *fmt_time_ns(char *buf, size_t len, uint64_t ns)
{
	static const struct { const char *name; uint64_t scale; } u[] = {
		{ "s", 1000000000 }, { "ms", 1000000 }, { "us", 1000 },
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (ns < u[i].scale)
			continue;
		if (ns % u[i].scale == 0)
			snprintf(buf, len, "%" PRIu64 "%s", ns / u[i].scale,
				 u[i].name);
		else
			snprintf(buf, len, "%.3g%s", (double)ns / u[i].scale,
				 u[i].name);
		return buf;
	}
	snprintf(buf, len, "%" PRIu64 "ns", ns);
	return buf;
}

const char *fmt_ppb(char *buf, size_t len, int64_t ppb)
{
	if (ppb && ppb % 1000 == 0)
		snprintf(buf, len, "%" PRId64 "ppm", ppb / 1000);
	else
		snprintf(buf, len, "%" PRId64 "ppb", ppb);
	return buf;
}

const char *fmt_unit(char *buf, size_t len, enum unit unit, bool sign,
		     uint64_t v)
{
	int64_t s = (int64_t)v;

	if (sign && s < 0 && unit != UNIT_PPB) {
		snprintf(buf, len, "%" PRId64, s);
		return buf;
	}
	switch (unit) {
	case UNIT_HEX:
		snprintf(buf, len, "0x%" PRIx64, v);
		return buf;
	case UNIT_RATE:
		if (v)
			return fmt_rate(buf, len, v);
		break;
	case UNIT_NS:
		return fmt_time_ns(buf, len, v);
	case UNIT_MS:
		if (v <= UINT64_MAX / 1000000)
			return fmt_time_ns(buf, len, v * 1000000);
		snprintf(buf, len, "%" PRIu64 "ms", v);
		return buf;
	case UNIT_PPB:
		return fmt_ppb(buf, len, sign ? s : (int64_t)(v > INT64_MAX ? INT64_MAX : v));
	case UNIT_NONE:
		break;
	}
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

/* ---- JSON --------------------------------------------------------------- */

#define JSON_DEPTH	16

static bool json_pretty;
static int json_depth;
static bool json_first[JSON_DEPTH];

void json_init(bool pretty)
{
	json_pretty = pretty;
	json_depth = 0;
	json_first[0] = true;
}

static void json_string_raw(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_indent(void)
{
	int i;

	if (!json_pretty)
		return;
	putchar('\n');
	for (i = 0; i < json_depth; i++)
		fputs("    ", stdout);
}

/* separator, indentation and key of the next value */
static void json_key(const char *key)
{
	if (!json_first[json_depth])
		putchar(',');
	json_first[json_depth] = false;
	if (json_depth)
		json_indent();
	if (key) {
		json_string_raw(key);
		fputs(json_pretty ? ": " : ":", stdout);
	}
}

static void json_open(const char *key, char c)
{
	json_key(key);
	putchar(c);
	if (json_depth < JSON_DEPTH - 1)
		json_depth++;
	json_first[json_depth] = true;
}

static void json_close(char c)
{
	bool empty = json_first[json_depth];

	if (json_depth)
		json_depth--;
	if (!empty)
		json_indent();
	putchar(c);
}

void json_open_array(const char *key)
{
	json_open(key, '[');
}

void json_close_array(void)
{
	json_close(']');
}

void json_open_object(const char *key)
{
	json_open(key, '{');
}

void json_close_object(void)
{
	json_close('}');
}

void json_uint(const char *key, uint64_t v)
{
	json_key(key);
	printf("%" PRIu64, v);
}

void json_int(const char *key, int64_t v)
{
	json_key(key);
	printf("%" PRId64, v);
}

void json_string(const char *key, const char *v)
{
	json_key(key);
	json_string_raw(v);
}

void json_bool(const char *key, bool v)
{
	json_key(key);
	fputs(v ? "true" : "false", stdout);
}

void json_end(void)
{
	putchar('\n');
}
