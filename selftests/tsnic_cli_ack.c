// SPDX-License-Identifier: GPL-2.0
/*
 * The tsnic CLI's report of the kernel's answers (tools/tsnic/nl.c,
 * tsnic_nl_report()), fed with the acks the kernel builds: an error names
 * the word the user typed and the valid range of NLMSGERR_ATTR_POLICY in
 * the user's unit, nested or not, capped or not; a success that carries a
 * message (the kernel's warning) prints "Warning: ..." and stays a success.
 * The tsnic family sends no warning today, so this is where that path is
 * tested; tsnic_cli.sh tests the errors against the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include <linux/tsnic.h>

#include "nl.h"
#include "kselftest_harness.h"

/* What the user typed, as the CLI records it for its requests. */
static bool words(void *ctx, uint8_t cmd, uint32_t offs, int nest,
		  int type, struct tsnic_nl_word *w)
{
	static const struct {
		int nest, type;
		struct tsnic_nl_word w;
	} typed[] = {
		{ 0, TSNIC_A_DEV_IFNAME, { "device", "tsnic0", UNIT_NONE } },
		{ 0, TSNIC_A_DEV_RATE_BPS, { "rate", "900gbit", UNIT_RATE } },
		{ 0, TSNIC_A_DEV_TS_SLOTS, { "ts-slots", "0", UNIT_NONE } },
		{ TSNIC_A_DEV_OSC, TSNIC_A_OSC_FREQ_PPB,
		  { "freq-offset", "2000ppm", UNIT_PPB } },
		{ TSNIC_A_DEV_FAULT, TSNIC_A_FAULT_STALLED_QUEUES,
		  { "stalled-queues", "0x10000", UNIT_HEX } },
	};
	size_t i;

	if (cmd != TSNIC_CMD_DEV_SET)
		return false;
	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		if (typed[i].nest == nest && typed[i].type == type) {
			*w = typed[i].w;
			return true;
		}
	}
	return false;
}

/* A "dev set" request as the CLI builds it, and where its attributes are */
struct req {
	struct nl_msg *msg;
	uint32_t off_rate, off_slots, off_freq, off_stalled, off_unnamed;
};

static void build_req(struct req *r)
{
	struct nlattr *nest;
	struct nl_msg *m;

	m = r->msg = tsnic_nl_msg(TSNIC_CMD_DEV_SET, 0);
	nla_put_string(m, TSNIC_A_DEV_IFNAME, "tsnic0");
	r->off_rate = nlmsg_hdr(m)->nlmsg_len;
	nla_put_u64(m, TSNIC_A_DEV_RATE_BPS, 900000000000ULL);
	r->off_slots = nlmsg_hdr(m)->nlmsg_len;
	nla_put_u32(m, TSNIC_A_DEV_TS_SLOTS, 0);
	r->off_unnamed = nlmsg_hdr(m)->nlmsg_len;
	nla_put_u32(m, TSNIC_A_DEV_TX_USECS, 1);
	nest = nla_nest_start(m, TSNIC_A_DEV_OSC | NLA_F_NESTED);
	r->off_freq = nlmsg_hdr(m)->nlmsg_len;
	nla_put_s32(m, TSNIC_A_OSC_FREQ_PPB, 2000000);
	nla_nest_end(m, nest);
	nest = nla_nest_start(m, TSNIC_A_DEV_FAULT | NLA_F_NESTED);
	r->off_stalled = nlmsg_hdr(m)->nlmsg_len;
	nla_put_u32(m, TSNIC_A_FAULT_STALLED_QUEUES, 0x10000);
	nla_nest_end(m, nest);
}

/*
 * The answer the kernel builds (netlink_ack()): @error, the request echoed
 * unless @capped, then the TLVs the caller adds; or, with @done, a dump's
 * NLMSG_DONE.
 */
static struct nl_msg *answer(const struct req *r, int error, bool capped,
			     bool done)
{
	const struct nlmsghdr *req = nlmsg_hdr(r->msg);
	struct nl_msg *m = nlmsg_alloc();
	struct nlmsghdr *nlh;
	size_t payload;

	if (done) {
		nlh = nlmsg_put(m, 0, 1, NLMSG_DONE, sizeof(error), NLM_F_MULTI);
		memcpy(nlmsg_data(nlh), &error, sizeof(error));
		return m;
	}
	payload = sizeof(struct nlmsgerr);
	if (!capped)
		payload += req->nlmsg_len - NLMSG_HDRLEN;
	nlh = nlmsg_put(m, 0, 1, NLMSG_ERROR, payload,
			capped ? NLM_F_CAPPED : 0);
	((struct nlmsgerr *)nlmsg_data(nlh))->error = error;
	memcpy(&((struct nlmsgerr *)nlmsg_data(nlh))->msg, req,
	       capped ? NLMSG_HDRLEN : req->nlmsg_len);
	return m;
}

static void put_msg(struct nl_msg *m, const char *text)
{
	nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK_TLVS;
	nla_put_string(m, NLMSGERR_ATTR_MSG, text);
}

/* NLMSGERR_ATTR_POLICY of an integer: type, and min/max or a mask */
static void put_policy(struct nl_msg *m, uint32_t type, bool sign,
		       int64_t min, int64_t max, uint64_t mask)
{
	struct nlattr *pol = nla_nest_start(m, NLMSGERR_ATTR_POLICY);

	nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK_TLVS;
	nla_put_u32(m, NL_POLICY_TYPE_ATTR_TYPE, type);
	if (mask) {
		nla_put_u64(m, NL_POLICY_TYPE_ATTR_MASK, mask);
	} else if (sign) {
		nla_put_u64(m, NL_POLICY_TYPE_ATTR_MIN_VALUE_S, min);
		nla_put_u64(m, NL_POLICY_TYPE_ATTR_MAX_VALUE_S, max);
	} else {
		nla_put_u64(m, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, min);
		nla_put_u64(m, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, (uint64_t)max);
	}
	nla_nest_end(m, pol);
}

/* tsnic_nl_report() of @m for request @r: its status, what it printed */
static int report(const struct req *r, struct nl_msg *m, char *out,
		  size_t len)
{
	FILE *f = tmpfile();
	int saved = dup(2), err;
	size_t n;

	fflush(stderr);
	dup2(fileno(f), 2);
	err = tsnic_nl_report(nlmsg_hdr(m), nlmsg_hdr(r->msg), words, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	fclose(f);
	nlmsg_free(m);
	return err;
}

FIXTURE(ack) {
	struct req r;
	char out[512];
};

FIXTURE_SETUP(ack)
{
	build_req(&self->r);
}

FIXTURE_TEARDOWN(ack)
{
	nlmsg_free(self->r.msg);
}

TEST_F(ack, success_prints_nothing)
{
	struct nl_msg *m = answer(&self->r, 0, true, false);

	EXPECT_EQ(0, report(&self->r, m, self->out, sizeof(self->out)));
	EXPECT_STREQ("", self->out);
}

TEST_F(ack, warning_on_success)
{
	struct nl_msg *m = answer(&self->r, 0, true, false);

	put_msg(m, "ts-slots beyond 32 cost memory");
	EXPECT_EQ(0, report(&self->r, m, self->out, sizeof(self->out)));
	EXPECT_STREQ("Warning: ts-slots beyond 32 cost memory\n", self->out);
}

TEST_F(ack, warning_at_end_of_dump)
{
	struct nl_msg *m = answer(&self->r, 0, false, true);

	put_msg(m, "some queues skipped");
	EXPECT_EQ(0, report(&self->r, m, self->out, sizeof(self->out)));
	EXPECT_STREQ("Warning: some queues skipped\n", self->out);
}

TEST_F(ack, error_of_a_dump)
{
	struct nl_msg *m = answer(&self->r, -ENODEV, false, true);

	put_msg(m, "device went away");
	EXPECT_EQ(-ENODEV, report(&self->r, m, self->out, sizeof(self->out)));
	EXPECT_STREQ("Error: device went away\n", self->out);
}

TEST_F(ack, range_in_the_users_words)
{
	struct nl_msg *m = answer(&self->r, -ERANGE, false, false);

	put_msg(m, "integer out of range");
	nla_put_u32(m, NLMSGERR_ATTR_OFFS, self->r.off_slots);
	put_policy(m, NL_ATTR_TYPE_U32, false, 1, 64, 0);
	EXPECT_EQ(-ERANGE, report(&self->r, m, self->out, sizeof(self->out)));
	EXPECT_STREQ("Error: ts-slots 0: integer out of range (valid range 1 to 64)\n",
		     self->out);
}

TEST_F(ack, range_of_a_rate_in_bits)
{
	struct nl_msg *m = answer(&self->r, -ERANGE, false, false);

	put_msg(m, "integer out of range");
	nla_put_u32(m, NLMSGERR_ATTR_OFFS, self->r.off_rate);
	put_policy(m, NL_ATTR_TYPE_U64, false, 0, 800000000000LL, 0);
	EXPECT_EQ(-ERANGE, report(&self->r, m, self->out, sizeof(self->out)));
	EXPECT_STREQ("Error: rate 900gbit: integer out of range (valid range 0 to 800Gbit)\n",
		     self->out);
}

TEST_F(ack, signed_range_in_a_nest)
{
	struct nl_msg *m = answer(&self->r, -ERANGE, false, false);

	put_msg(m, "integer out of range");
	nla_put_u32(m, NLMSGERR_ATTR_OFFS, self->r.off_freq);
	put_policy(m, NL_ATTR_TYPE_S32, true, -1000000, 1000000, 0);
	EXPECT_EQ(-ERANGE, report(&self->r, m, self->out, sizeof(self->out)));
	EXPECT_STREQ("Error: freq-offset 2000ppm: integer out of range (valid range -1000ppm to 1000ppm)\n",
		     self->out);
}

TEST_F(ack, mask_capped)
{
	/* NETLINK_CAP_ACK: no echo; the CLI's own copy of the request names it */
	struct nl_msg *m = answer(&self->r, -EINVAL, true, false);

	put_msg(m, "reserved bit set");
	nla_put_u32(m, NLMSGERR_ATTR_OFFS, self->r.off_stalled);
	put_policy(m, NL_ATTR_TYPE_U32, false, 0, 0, 0xffff);
	EXPECT_EQ(-EINVAL, report(&self->r, m, self->out, sizeof(self->out)));
	EXPECT_STREQ("Error: stalled-queues 0x10000: reserved bit set (valid bits 0xffff)\n",
		     self->out);
}

TEST_F(ack, no_range_beyond_the_type)
{
	struct nl_msg *m = answer(&self->r, -EINVAL, false, false);

	put_msg(m, "bad value");
	nla_put_u32(m, NLMSGERR_ATTR_OFFS, self->r.off_slots);
	put_policy(m, NL_ATTR_TYPE_U32, false, 0, UINT32_MAX, 0);
	EXPECT_EQ(-EINVAL, report(&self->r, m, self->out, sizeof(self->out)));
	EXPECT_STREQ("Error: ts-slots 0: bad value\n", self->out);
}

TEST_F(ack, an_attribute_the_user_did_not_name)
{
	struct nl_msg *m = answer(&self->r, -EINVAL, false, false);

	put_msg(m, "integer out of range");
	nla_put_u32(m, NLMSGERR_ATTR_OFFS, self->r.off_unnamed);
	put_policy(m, NL_ATTR_TYPE_U32, false, 0, 10000, 0);
	EXPECT_EQ(-EINVAL, report(&self->r, m, self->out, sizeof(self->out)));
	EXPECT_STREQ("Error: integer out of range (valid range 0 to 10000)\n",
		     self->out);
}

TEST_F(ack, no_message_gives_the_errno)
{
	struct nl_msg *m = answer(&self->r, -EPERM, false, false);

	EXPECT_EQ(-EPERM, report(&self->r, m, self->out, sizeof(self->out)));
	EXPECT_STREQ("Error: Operation not permitted\n", self->out);
}

TEST_HARNESS_MAIN
