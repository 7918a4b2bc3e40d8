/* SPDX-License-Identifier: GPL-2.0 */
/* tsnic CLI: units the iproute2 way, and a small JSON writer. */
#ifndef TSNIC_UTIL_H
#define TSNIC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "1gbit", "100Mbit", "12.5mbps" (bytes), "1000" (bit/s): bit/s */
int parse_rate(const char *s, uint64_t *bps);
/* "500ns", "5us", "1.5ms", "2s"; a bare number is in @bare_unit ns */
int parse_time_ns(const char *s, uint64_t bare_unit, uint64_t *ns);
/* "40ppm", "-1500ppb", "-3" (ppb): parts per billion */
int parse_ppb(const char *s, int64_t *ppb);
int parse_u32(const char *s, uint32_t *v);
/* a whole number, decimal or 0x hex, not negative */
int parse_u64(const char *s, uint64_t *v);

/* "1Gbit", "1500Mbit", "unlimited" for 0 */
const char *fmt_rate(char *buf, size_t len, uint64_t bps);
/* "5us", "1.5ms", "0ns" */
const char *fmt_time_ns(char *buf, size_t len, uint64_t ns);
/* "40ppm", "-1500ppb" */
const char *fmt_ppb(char *buf, size_t len, int64_t ppb);

/* The unit of a netlink attribute's value, to show it as the user writes it. */
enum unit {
	UNIT_NONE,	/* a number: 64 */
	UNIT_HEX,	/* a bit mask: 0xffff */
	UNIT_RATE,	/* bit/s: 800Gbit (0: "0", not "unlimited") */
	UNIT_NS,	/* ns: 1s */
	UNIT_MS,	/* ms: 60s */
	UNIT_PPB,	/* parts per billion: -1000ppm */
};

/* @v, signed if @sign, in @unit */
const char *fmt_unit(char *buf, size_t len, enum unit unit, bool sign,
		     uint64_t v);

/* JSON: objects and arrays nest; keys are NULL inside arrays. */
void json_init(bool pretty);
void json_open_array(const char *key);
void json_close_array(void);
void json_open_object(const char *key);
void json_close_object(void);
void json_uint(const char *key, uint64_t v);
void json_int(const char *key, int64_t v);
void json_string(const char *key, const char *v);
void json_bool(const char *key, bool v);
void json_end(void);

#endif /* TSNIC_UTIL_H */
