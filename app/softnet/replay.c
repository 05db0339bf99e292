/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcap replay's file side (replay.h): libpcap reads pcap and pcapng (with
 * nanosecond timestamps) into one buffer; `start` turns it into the run's
 * table of frames that fit the port. The generators' loop is in gen.c.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "cli.h"
#include "replay.h"

/* Most the replay holds in memory: frames and bytes. */
#define APP_REPLAY_MAX_FRAMES (16u << 20)
#define APP_REPLAY_MAX_BYTES (1ull << 30)

struct app_replay_frame {
	uint64_t off;   /* in the buffer */
	uint32_t len;   /* captured bytes */
	uint32_t wire;  /* length on the wire (more when the capture truncated) */
	uint64_t ts_ns; /* since the first frame */
};

static struct {
	bool on;
	char path[512];
	uint64_t loops;
	uint8_t *buf;
	uint64_t bytes;
	struct app_replay_frame *frames;
	uint32_t nb;
	uint32_t truncated; /* frames the file holds shorter than on the wire */
	uint32_t backwards; /* timestamps earlier than the previous one (kept in order) */
	/* The run's table (app_replay_prepare()). */
	struct app_replay_pkt *run;
	/* `set timing` (kept across sources). */
	bool original;
	double speed;
} app_rp = { .speed = 1.0 };

static void
app_replay_free_all(void)
{
	free(app_rp.buf);
	free(app_rp.frames);
	free(app_rp.run);
	app_rp.buf = NULL;
	app_rp.frames = NULL;
	app_rp.run = NULL;
	app_rp.nb = 0;
	app_rp.bytes = 0;
	app_rp.on = false;
}

void
app_replay_unload(void)
{
	app_replay_free_all();
}

bool
app_replay_on(void)
{
	return app_rp.on;
}

uint64_t
app_replay_loops(void)
{
	return app_rp.loops;
}

void
app_replay_set_timing(bool original, double speed)
{
	app_rp.original = original;
	app_rp.speed = speed > 0 ? speed : 1.0;
}

static int
app_replay_grow(void **p, size_t *cap, size_t need, size_t elt)
{
	size_t n = *cap ? *cap : 1024;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elt);
	if (q == NULL)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

int
app_replay_load(const char *path, uint64_t loops, struct app_err *e)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct app_replay_frame *frames = NULL;
	size_t fcap = 0, bcap = 0;
	uint8_t *buf = NULL;
	uint64_t bytes = 0, first = 0, last = 0;
	uint32_t nb = 0, truncated = 0, backwards = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int rc = 0, r;

	errbuf[0] = '\0';
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL)
		return app_fail(e, -ENOENT, "set source: cannot read '%s': %s", path, errbuf);
	if (pcap_datalink(p) != DLT_EN10MB) {
		rc = app_fail(e, -EINVAL, "set source: '%s' is not Ethernet (link type %s)", path,
			      pcap_datalink_val_to_name(pcap_datalink(p)) ?
			      pcap_datalink_val_to_name(pcap_datalink(p)) : "unknown");
		goto close;
	}
	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;

		if (nb == APP_REPLAY_MAX_FRAMES || bytes + h->caplen > APP_REPLAY_MAX_BYTES) {
			rc = app_fail(e, -ENOMEM, "set source: '%s' is larger than the replay holds "
				      "(%u frames, %llu bytes)", path, APP_REPLAY_MAX_FRAMES,
				      (unsigned long long)APP_REPLAY_MAX_BYTES);
			goto close;
		}
		if (app_replay_grow((void **)&frames, &fcap, nb + 1u, sizeof(*frames)) != 0 ||
		    app_replay_grow((void **)&buf, &bcap, bytes + h->caplen + 1, 1) != 0) {
			rc = app_fail(e, -ENOMEM, "set source: out of memory reading '%s'", path);
			goto close;
		}
		if (nb == 0)
			first = last = ts;
		if (ts < last) {
			backwards++;
			ts = last; /* keep file order; never a negative gap */
		}
		last = ts;
		memcpy(buf + bytes, data, h->caplen);
		frames[nb].off = bytes;
		frames[nb].len = h->caplen;
		frames[nb].wire = h->len;
		frames[nb].ts_ns = ts - first;
		truncated += h->caplen < h->len;
		bytes += h->caplen;
		nb++;
	}
	if (r == -1) {
		rc = app_fail(e, -EINVAL, "set source: '%s': %s", path, pcap_geterr(p));
		goto close;
	}
	if (nb == 0) {
		rc = app_fail(e, -EINVAL, "set source: '%s' holds no frame", path);
		goto close;
	}
	app_replay_free_all();
	snprintf(app_rp.path, sizeof(app_rp.path), "%s", path);
	app_rp.buf = buf;
	app_rp.frames = frames;
	app_rp.nb = nb;
	app_rp.bytes = bytes;
	app_rp.loops = loops;
	app_rp.truncated = truncated;
	app_rp.backwards = backwards;
	app_rp.on = true;
	buf = NULL;
	frames = NULL;
close:
	free(buf);
	free(frames);
	pcap_close(p);
	return rc;
}

int
app_replay_prepare(uint32_t max_len, const char *why, struct app_replay_run *run, FILE *out,
		   struct app_err *e)
{
	uint32_t n = 0, skipped = 0, largest = 0, empty = 0;
	uint64_t sum = 0, span;
	struct app_replay_pkt *t;

	memset(run, 0, sizeof(*run));
	if (!app_rp.on)
		return 0;
	free(app_rp.run);
	app_rp.run = NULL;
	t = malloc(sizeof(*t) * app_rp.nb);
	if (t == NULL)
		return app_fail(e, -ENOMEM, "start: out of memory for the replay table");
	for (uint32_t k = 0; k < app_rp.nb; k++) {
		const struct app_replay_frame *f = &app_rp.frames[k];

		if (f->len == 0) {
			empty++;
			continue;
		}
		if (f->len > max_len) {
			skipped++;
			largest = RTE_MAX(largest, f->len);
			continue;
		}
		t[n].data = app_rp.buf + f->off;
		t[n].len = f->len;
		t[n].ts_ns = f->ts_ns;
		sum += f->len;
		n++;
	}
	if (n == 0) {
		free(t);
		return app_fail(e, -EINVAL, "start: no frame of '%s' fits (%u longer than %u bytes: "
				"%s; %u empty)", app_rp.path, skipped, max_len, why, empty);
	}
	if ((skipped != 0 || empty != 0) && out != NULL)
		fprintf(out, "replay: skipped %u of %u frames of '%s': %u longer than %u bytes (%s; "
			"largest %u), %u empty\n", skipped + empty, app_rp.nb, app_rp.path, skipped,
			max_len, why, largest, empty);
	/* The first kept frame is time 0. */
	for (uint32_t k = 1; k < n; k++)
		t[k].ts_ns -= t[0].ts_ns;
	t[0].ts_ns = 0;
	span = t[n - 1].ts_ns;
	app_rp.run = t;
	run->pkts = t;
	run->nb = n;
	run->loops = app_rp.loops;
	run->original = app_rp.original;
	run->speed = app_rp.speed;
	/* The next loop starts one mean gap after the last frame. */
	run->period_ns = n > 1 ? span + span / (n - 1) : 0;
	run->avg_len = (double)sum / n;
	return 0;
}

void
app_replay_describe(char *src, size_t srclen, char *timing, size_t tlen)
{
	if (app_rp.on)
		snprintf(src, srclen, "pcap '%s' (%u frames, %" PRIu64 " bytes%s), loop %" PRIu64 "%s",
			 app_rp.path, app_rp.nb, app_rp.bytes,
			 app_rp.truncated ? ", some truncated" : "", app_rp.loops,
			 app_rp.loops ? "" : " (until stopped)");
	else
		snprintf(src, srclen, "generated");
	if (app_rp.original)
		snprintf(timing, tlen, "original, speed %g", app_rp.speed);
	else
		snprintf(timing, tlen, "rate");
}
