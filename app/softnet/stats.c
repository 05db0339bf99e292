/* SPDX-License-Identifier: BSD-3-Clause */
/* Counter snapshots and the once-a-period progress line. */

#include <inttypes.h>
#include <stdio.h>

#include "stats.h"

/* softnet's sent total when each port's counters were last cleared. */
static uint64_t app_port_sent_at_clear[APP_MAX_PORTS];

void
app_port_stats_cleared(uint16_t port)
{
	struct sn_softnet_stats st;

	if (port >= APP_MAX_PORTS)
		return;
	sn_softnet_stats_sum(&st);
	app_port_sent_at_clear[port] = st.sent;
}

uint64_t
app_port_sent_base(uint16_t port)
{
	return port < APP_MAX_PORTS ? app_port_sent_at_clear[port] : 0;
}

/*
 * Drop reasons: the app knows none by name; it walks the library's enum to
 * SN_DROP_REASON_MAX and prints sn_drop_reason_name().
 */
uint64_t
app_drops_sum(const struct sn_softnet_stats *st)
{
	uint64_t sum = 0;

	for (unsigned int r = 0; r < SN_DROP_REASON_MAX; r++)
		sum += st->drops[r];
	return sum;
}

char *
app_drops_format(const struct sn_softnet_stats *st, char *buf, size_t len)
{
	size_t off = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned int r = 0; r < SN_DROP_REASON_MAX && off < len; r++) {
		int n;

		if (st->drops[r] == 0)
			continue;
		n = snprintf(buf + off, len - off, "%s%s %" PRIu64, off ? ", " : "",
			     sn_drop_reason_name((enum sn_drop_reason)r), st->drops[r]);
		if (n < 0)
			break;
		off += (size_t)n;
	}
	return buf;
}

void
app_drops_json(FILE *f, const struct sn_softnet_stats *st)
{
	fprintf(f, "{");
	for (unsigned int r = 0; r < SN_DROP_REASON_MAX; r++)
		fprintf(f, "%s\"%s\": %" PRIu64, r ? ", " : "",
			sn_drop_reason_name((enum sn_drop_reason)r), st->drops[r]);
	fprintf(f, "}");
}

void
app_qdisc_add(struct sn_qdisc_stats *dst, const struct sn_qdisc_stats *s)
{
	dst->bstats.bytes += s->bstats.bytes;
	dst->bstats.packets += s->bstats.packets;
	dst->qstats.qlen += s->qstats.qlen;
	dst->qstats.backlog += s->qstats.backlog;
	dst->qstats.drops += s->qstats.drops;
	dst->qstats.requeues += s->qstats.requeues;
	dst->qstats.overlimits += s->qstats.overlimits;
}

void
app_progress_line(const struct app *app, const struct app_snapshot *prev,
		  const struct app_snapshot *cur, uint64_t start_tsc)
{
	double dt = (double)(cur->tsc - prev->tsc) / (double)app->hz;
	double pps = dt > 0 ? (double)(cur->sn.sent - prev->sn.sent) / dt : 0;
	uint64_t pk = cur->qdisc.bstats.packets - prev->qdisc.bstats.packets;
	/* The mean frame the qdiscs sent in the period (IMIX, replay), else the settings'. */
	double mean = pk != 0 ? (double)(cur->qdisc.bstats.bytes - prev->qdisc.bstats.bytes) /
		      (double)pk : app_gen_mean_size(app);
	double bps = pps * mean * 8;

	printf("%7.2fs  tx %7.2f Mpps %7.2f Gbps | handed %" PRIu64 " sent %" PRIu64
	       " dropped %" PRIu64 " queued %" PRIu64 " | qdisc sent %" PRIu64 " drops %" PRIu64
	       " requeues %" PRIu64 " backlog %" PRIu64 "B | squeeze %" PRIu64
	       " collision %" PRIu64 " busylock %" PRIu64 " requeued %" PRIu64 "\n",
	       (double)(cur->tsc - start_tsc) / (double)app->hz, pps / 1e6,
	       bps / 1e9, cur->handed, cur->sn.sent, cur->sn.dropped,
	       cur->queued, cur->qdisc.bstats.packets, cur->qdisc.qstats.drops,
	       cur->qdisc.qstats.requeues, cur->qdisc.qstats.backlog, cur->sn.time_squeeze,
	       cur->sn.cpu_collision, cur->sn.busylock, cur->sn.requeued);
	fflush(stdout);
}
