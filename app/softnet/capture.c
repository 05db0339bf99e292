/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture after the qdisc, before the driver (capture.h). The transmit side
 * runs in rte_eth_tx_burst()'s TX callback on whatever lcore transmits:
 * claim against the count, copy (rte_pcapng_copy(): an mbuf that already is
 * an enhanced packet block), enqueue on a multi-producer ring, count what
 * did not fit. Nothing there waits or takes a lock. The writer is a control
 * thread: it dequeues, writes the blocks with writev(), frees the copies.
 *
 * Stopping must not free what a callback may still use. Each queue's
 * callback announces itself in its queue's `inflight` before it reads the
 * `enabled` flag (both sequentially consistent), so once the writer has
 * cleared `enabled` and seen every `inflight` at zero, no callback touches
 * the pool or the ring again; only then are the callbacks removed and, by
 * the control side, the ring and pool freed. The per-queue state itself is
 * static and never freed (DPDK has no grace period for removed callbacks).
 *
 * Packet times are softnet's own (realtime at the start plus TSC): DPDK
 * 22.11's rte_pcapng takes its clock base in a constructor, before EAL
 * init has measured the TSC, and its times come out centuries off.
 *
 * The file: rte_pcapng_fdopen() writes the section header (its comment
 * names the port and each queue's qdisc) and an interface block per DPDK
 * port; this file then adds one interface block per captured transmit queue
 * ("<port>/txq<n>", described with its qdisc) and points each packet's
 * block at its queue's interface. At the end an interface statistics block
 * (rte_pcapng_write_stats()) records captured and dropped counts.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pcapng.h>
#include <rte_pdump.h>
#include <rte_ring.h>

#include <sn_netdev.h>
#include <sn_qdisc.h>

#include "capture.h"
#include "cli.h"

#define APP_CAP_RING 4096        /* copies waiting for the writer */
#define APP_CAP_POOL_MAX 4095u   /* copies in flight at most */
#define APP_CAP_POOL_MIN 255u
#define APP_CAP_POOL_BYTES (64u << 20) /* the pool's budget for large snaplens */
#define APP_CAP_CACHE 32
#define APP_CAP_BURST 64
#define APP_CAP_TXQ_MAX 64       /* SN_NETDEV_MAX_TXQ */
#define APP_CAP_SNAPLEN_MAX 65000u
#define APP_CAP_IDLE_US 500      /* writer's sleep when the ring is empty */

/* pcapng block and option codes (pcapng specification). */
#define APP_PCAPNG_IDB 0x00000001u
#define APP_PCAPNG_EPB 0x00000006u
#define APP_PCAPNG_OPT_END 0
#define APP_PCAPNG_IF_NAME 2
#define APP_PCAPNG_IF_DESCRIPTION 3
#define APP_PCAPNG_IF_TSRESOL 9
#define APP_PCAPNG_LINKTYPE_ETHERNET 1

/* The head of an enhanced packet block, as rte_pcapng_copy() lays it out. */
struct app_pcapng_epb {
	uint32_t block_type;
	uint32_t block_length;
	uint32_t interface_id;
	uint32_t ts_hi, ts_lo;
	uint32_t cap_len, orig_len;
};

/* One captured transmit queue: written by the lcores that transmit on it. */
struct app_cap_q {
	uint32_t inflight;     /* callbacks inside, announced before reading `enabled` */
	uint32_t ifid;         /* its interface in the file */
	uint64_t seen;         /* packets offered while enabled */
	uint64_t captured;     /* copies on the ring */
	uint64_t dropped;      /* copies the pool or the ring refused */
	const struct rte_eth_rxtx_callback *cb;
	uint16_t txq;
} __rte_cache_aligned;

enum app_cap_state { APP_CAP_OFF, APP_CAP_RUNNING, APP_CAP_DONE };

static struct {
	/* Read by the callbacks. */
	uint32_t enabled;
	uint64_t claimed;       /* packets claimed against the count */
	uint64_t count;         /* 0 = no limit */
	uint32_t snaplen;
	uint16_t port;
	uint64_t base_tsc, base_ns, tsc_hz; /* packet times: realtime at base_tsc */
	struct rte_mempool *pool;
	struct rte_ring *ring;

	/* Control side and writer. */
	enum app_cap_state state;
	uint32_t stop_req;      /* control -> writer: finish */
	uint32_t finished;      /* writer -> control: file closed */
	bool count_reached;
	bool destroy_cb;        /* RTE_ETH_EVENT_DESTROY callback registered */
	uint16_t nq;            /* queues captured: q[0..nq) */
	int fd;
	rte_pcapng_t *png;
	pthread_t writer;
	char path[PATH_MAX];
	char qdisc[APP_CAP_TXQ_MAX][SN_QDISC_KIND_SIZE];
	uint64_t written, bytes;
	int write_err;          /* errno of the first failed write */
	uint64_t start_tsc, end_tsc;
	unsigned int pool_in_use; /* copies not returned when the pool was freed (0) */
	unsigned int runs;
	struct app_cap_q q[APP_CAP_TXQ_MAX];
} app_cap = { .fd = -1 };

static bool app_pdump_on;
static const char *app_pdump_why = "not initialised (app_capture_init())";

/* ---- the transmit side ---- */

static uint16_t
app_cap_tx_cb(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t nb, void *arg)
{
	struct app_cap_q *q = arg;
	struct rte_mbuf *copies[APP_CAP_BURST];
	uint16_t n = nb, k = 0, done = 0;
	uint64_t ts, ns;

	__atomic_fetch_add(&q->inflight, 1, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&app_cap.enabled, __ATOMIC_SEQ_CST) || nb == 0)
		goto out;
	if (app_cap.count != 0) {
		uint64_t prev = __atomic_fetch_add(&app_cap.claimed, nb, __ATOMIC_RELAXED);

		if (prev >= app_cap.count)
			goto out;
		if (app_cap.count - prev < nb)
			n = (uint16_t)(app_cap.count - prev);
	}
	__atomic_fetch_add(&q->seen, n, __ATOMIC_RELAXED);
	ts = rte_get_tsc_cycles();
	ns = app_cap.base_ns + (uint64_t)((unsigned __int128)(ts - app_cap.base_tsc) *
					  1000000000u / app_cap.tsc_hz);
	while (done < n) {
		uint16_t chunk = (uint16_t)RTE_MIN(n - done, APP_CAP_BURST), sent, fail = 0;

		k = 0;
		for (uint16_t i = 0; i < chunk; i++) {
			struct app_pcapng_epb *epb;
			struct rte_mbuf *c = rte_pcapng_copy(port, queue, pkts[done + i],
							     app_cap.pool, app_cap.snaplen, ts,
							     RTE_PCAPNG_DIRECTION_OUT);

			if (unlikely(c == NULL)) {
				fail++;
				continue;
			}
			epb = rte_pktmbuf_mtod(c, struct app_pcapng_epb *);
			epb->interface_id = q->ifid;
			/* Our own clock: 22.11's rte_pcapng takes its base before EAL init. */
			epb->ts_hi = (uint32_t)(ns >> 32);
			epb->ts_lo = (uint32_t)ns;
			copies[k++] = c;
		}
		sent = (uint16_t)rte_ring_mp_enqueue_burst(app_cap.ring, (void **)copies, k, NULL);
		if (unlikely(sent < k)) {
			rte_pktmbuf_free_bulk(copies + sent, k - sent);
			fail = (uint16_t)(fail + k - sent);
		}
		__atomic_fetch_add(&q->captured, sent, __ATOMIC_RELAXED);
		if (fail != 0)
			__atomic_fetch_add(&q->dropped, fail, __ATOMIC_RELAXED);
		done = (uint16_t)(done + chunk);
	}
out:
	__atomic_fetch_sub(&q->inflight, 1, __ATOMIC_RELEASE);
	return nb;
}

/* ---- the file ---- */

/* Append one pcapng option (code, length, value padded to 4 bytes) at @p p. */
static size_t
app_pcapng_opt(uint8_t *p, uint16_t code, const void *val, uint16_t len)
{
	size_t padded = RTE_ALIGN((size_t)len, 4);

	memcpy(p, &code, 2);
	memcpy(p + 2, &len, 2);
	if (len != 0)
		memcpy(p + 4, val, len);
	memset(p + 4 + len, 0, padded - len);
	return 4 + padded;
}

/*
 * One interface description block: "<name>", "<descr>", nanosecond
 * timestamps. Its snap length is 0 (no limit), as the ports' blocks that
 * rte_pcapng writes: libpcap refuses a file whose interfaces differ in it.
 * The capture's own snaplen is applied when packets are copied.
 */
static int
app_pcapng_idb(int fd, const char *name, const char *descr)
{
	const uint32_t snaplen = 0;
	uint8_t buf[512];
	const uint8_t tsresol = 9;
	uint32_t type = APP_PCAPNG_IDB, len;
	uint16_t link = APP_PCAPNG_LINKTYPE_ETHERNET, zero = 0;
	size_t off = 8;

	memcpy(buf + off, &link, 2);
	memcpy(buf + off + 2, &zero, 2);
	memcpy(buf + off + 4, &snaplen, 4);
	off += 8;
	off += app_pcapng_opt(buf + off, APP_PCAPNG_IF_NAME, name, (uint16_t)strlen(name));
	off += app_pcapng_opt(buf + off, APP_PCAPNG_IF_DESCRIPTION, descr, (uint16_t)strlen(descr));
	off += app_pcapng_opt(buf + off, APP_PCAPNG_IF_TSRESOL, &tsresol, 1);
	off += app_pcapng_opt(buf + off, APP_PCAPNG_OPT_END, NULL, 0);
	len = (uint32_t)(off + 4);
	memcpy(buf, &type, 4);
	memcpy(buf + 4, &len, 4);
	memcpy(buf + off, &len, 4);
	return write(fd, buf, len) == (ssize_t)len ? 0 : -EIO;
}

/* Write copies to the file and free them. */
static void
app_cap_write(struct rte_mbuf **pkts, unsigned int n)
{
	struct iovec iov[APP_CAP_BURST * 2];
	unsigned int cnt = 0;
	ssize_t want = 0, rc;

	for (unsigned int i = 0; i < n; i++) {
		for (struct rte_mbuf *m = pkts[i]; m != NULL; m = m->next) {
			if (cnt == RTE_DIM(iov)) {
				rc = writev(app_cap.fd, iov, (int)cnt);
				if (rc != want && app_cap.write_err == 0)
					app_cap.write_err = rc < 0 ? errno : EIO;
				cnt = 0;
				want = 0;
			}
			iov[cnt].iov_base = rte_pktmbuf_mtod(m, void *);
			iov[cnt].iov_len = rte_pktmbuf_data_len(m);
			want += (ssize_t)iov[cnt].iov_len;
			cnt++;
		}
		__atomic_store_n(&app_cap.bytes, app_cap.bytes +
				 rte_pktmbuf_mtod(pkts[i], struct app_pcapng_epb *)->cap_len,
				 __ATOMIC_RELAXED);
	}
	if (cnt != 0) {
		rc = writev(app_cap.fd, iov, (int)cnt);
		if (rc != want && app_cap.write_err == 0)
			app_cap.write_err = rc < 0 ? errno : EIO;
	}
	/* One writer; `show capture` reads them from the main lcore. */
	__atomic_store_n(&app_cap.written, app_cap.written + n, __ATOMIC_RELAXED);
	rte_pktmbuf_free_bulk(pkts, n);
}

static unsigned int
app_cap_drain(void)
{
	struct rte_mbuf *pkts[APP_CAP_BURST];
	unsigned int n, total = 0;

	while ((n = rte_ring_sc_dequeue_burst(app_cap.ring, (void **)pkts, APP_CAP_BURST,
					      NULL)) != 0) {
		app_cap_write(pkts, n);
		total += n;
	}
	return total;
}

/* Disable the callbacks, wait until none is inside, remove them. */
static void
app_cap_quiesce(void)
{
	__atomic_store_n(&app_cap.enabled, 0, __ATOMIC_SEQ_CST);
	for (uint16_t i = 0; i < app_cap.nq; i++) {
		struct app_cap_q *q = &app_cap.q[i];

		while (__atomic_load_n(&q->inflight, __ATOMIC_ACQUIRE) != 0)
			sched_yield();
		if (q->cb != NULL) {
			/* -EINVAL: the port lost the queue (port config): nothing to remove. */
			rte_eth_remove_tx_callback(app_cap.port, q->txq, q->cb);
			q->cb = NULL;
		}
	}
}

static void
app_cap_close_file(void)
{
	char comment[256];
	uint64_t captured = 0, dropped = 0;

	for (uint16_t i = 0; i < app_cap.nq; i++) {
		captured += app_cap.q[i].captured;
		dropped += app_cap.q[i].dropped;
	}
	snprintf(comment, sizeof(comment), "softnet capture: %" PRIu64 " packets written, %"
		 PRIu64 " dropped by the capture (pool or ring full)", app_cap.written, dropped);
	if (rte_pcapng_write_stats(app_cap.png, app_cap.port, comment, 0, 0, captured,
				   dropped) < 0 && app_cap.write_err == 0)
		app_cap.write_err = errno ? errno : EIO;
	if (fsync(app_cap.fd) != 0 && errno != EINVAL && app_cap.write_err == 0)
		app_cap.write_err = errno;
	rte_pcapng_close(app_cap.png); /* closes the fd */
	app_cap.png = NULL;
	app_cap.fd = -1;
}

/* The writer: drain until asked to stop or the count is reached, then finish. */
static void *
app_cap_writer(void *arg)
{
	RTE_SET_USED(arg);
	for (;;) {
		if (app_cap_drain() != 0)
			continue;
		if (__atomic_load_n(&app_cap.stop_req, __ATOMIC_ACQUIRE))
			break;
		if (app_cap.count != 0 &&
		    __atomic_load_n(&app_cap.claimed, __ATOMIC_RELAXED) >= app_cap.count) {
			app_cap.count_reached = true;
			break;
		}
		rte_delay_us_sleep(APP_CAP_IDLE_US);
	}
	app_cap_quiesce();
	app_cap_drain();
	app_cap.end_tsc = rte_get_timer_cycles();
	app_cap_close_file();
	__atomic_store_n(&app_cap.finished, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* ---- control ---- */

static int
app_cap_on_destroy(uint16_t port, enum rte_eth_event_type ev, void *arg, void *ret)
{
	RTE_SET_USED(ev);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret);
	/* The port is being closed: finish the file while its queues still exist. */
	if (app_cap.state != APP_CAP_OFF && port == app_cap.port) {
		app_cap.destroy_cb = false; /* released with the port: no unregistering inside it */
		app_capture_stop(NULL, NULL);
	}
	return 0;
}

/* Join a writer that finished (or make it finish) and free the ring and pool. */
static void
app_cap_release(void)
{
	if (app_cap.state == APP_CAP_OFF)
		return;
	__atomic_store_n(&app_cap.stop_req, 1, __ATOMIC_RELEASE);
	pthread_join(app_cap.writer, NULL);
	if (app_cap.destroy_cb) {
		rte_eth_dev_callback_unregister(app_cap.port, RTE_ETH_EVENT_DESTROY,
						app_cap_on_destroy, NULL);
		app_cap.destroy_cb = false;
	}
	rte_ring_free(app_cap.ring);
	app_cap.ring = NULL;
	/* Every copy was written and freed: the pool is whole again. */
	app_cap.pool_in_use = rte_mempool_in_use_count(app_cap.pool);
	rte_mempool_free(app_cap.pool);
	app_cap.pool = NULL;
	app_cap.state = APP_CAP_OFF;
}

bool
app_capture_active(void)
{
	return app_cap.state != APP_CAP_OFF;
}

/*
 * dpdk-dumpcap is a secondary process: it needs this process's multi-process
 * socket (none with --no-shconf or --in-memory) and maps its memory, which
 * only hugepage memory allows (not --no-huge).
 */
int
app_capture_init(void)
{
	char sock[PATH_MAX];

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		app_pdump_why = "not a primary process";
		return -ENOTSUP;
	}
	snprintf(sock, sizeof(sock), "%s/mp_socket", rte_eal_get_runtime_dir());
	if (access(sock, F_OK) != 0) {
		app_pdump_why = "no shared configuration: run without --no-shconf/--in-memory";
		return -ENOTSUP;
	}
	if (!rte_eal_has_hugepages()) {
		app_pdump_why = "no hugepages: a secondary process cannot map --no-huge memory";
		return -ENOTSUP;
	}
	if (rte_pdump_init() != 0) {
		app_pdump_why = "rte_pdump_init() failed";
		return rte_errno ? -rte_errno : -ENOTSUP;
	}
	app_pdump_on = true;
	return 0;
}

void
app_capture_fini(void)
{
	if (app_cap.state != APP_CAP_OFF)
		app_capture_stop(NULL, NULL);
	if (app_pdump_on) {
		rte_pdump_uninit();
		app_pdump_on = false;
	}
}

static uint32_t
app_cap_pool_size(uint32_t room)
{
	uint32_t n = APP_CAP_POOL_BYTES / room;

	if (n > APP_CAP_POOL_MAX)
		n = APP_CAP_POOL_MAX;
	if (n < APP_CAP_POOL_MIN)
		n = APP_CAP_POOL_MIN;
	return rte_align32prevpow2(n + 1) - 1;
}

/* Section comment: the port and each captured queue's qdisc. */
static void
app_cap_comment(const char *pname, uint16_t q0, char *buf, size_t len)
{
	size_t off;

	off = (size_t)snprintf(buf, len, "softnet: port %u (%s), after the qdisc, before the "
			       "driver:", app_cap.port, pname);
	for (uint16_t i = 0; i < app_cap.nq && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, " txq%u %s", q0 + i,
					app_cap.qdisc[i]);
}

int
app_capture_start(struct app *app, const struct app_capture_req *r, struct app_err *e)
{
	char name[RTE_ETH_NAME_MAX_LEN + 16], descr[160], comment[1024], pname[RTE_ETH_NAME_MAX_LEN], hw[64];
	uint16_t q0 = 0, nq, nb_ports = 0, pid;
	struct app_port *p;
	struct utsname un;
	struct timespec now;
	uint32_t snaplen, room;
	unsigned int id;
	int rc, fd;

	if (app_cap.state == APP_CAP_DONE)
		app_cap_release(); /* the last one finished by count: its file is complete */
	if (app_cap.state != APP_CAP_OFF)
		return app_fail(e, -EBUSY, "capture start: a capture of port %u into '%s' runs "
				"(capture stop first)", app_cap.port, app_cap.path);
	rc = app_port_get(app, r->port, true, "capture start", e, &p);
	if (rc != 0)
		return rc;
	nq = sn_netdev_nb_txq(p->dev);
	if (r->has_txq) {
		if (r->txq >= nq)
			return app_fail(e, -EINVAL, "capture start: port %u has no txq %u (txqs 0..%u)",
					r->port, r->txq, nq - 1);
		q0 = r->txq;
		nq = 1;
	}
	if (nq > APP_CAP_TXQ_MAX)
		nq = APP_CAP_TXQ_MAX;
	snaplen = r->snaplen ? r->snaplen :
		  RTE_MIN(sn_netdev_mtu(p->dev) + RTE_ETHER_HDR_LEN + 4u, APP_CAP_SNAPLEN_MAX);
	if (snaplen > APP_CAP_SNAPLEN_MAX)
		return app_fail(e, -EINVAL, "capture start: snaplen %u is out of range 1..%u",
				snaplen, APP_CAP_SNAPLEN_MAX);
	if (snprintf(app_cap.path, sizeof(app_cap.path), "%s", r->path) >= (int)sizeof(app_cap.path))
		return app_fail(e, -ENAMETOOLONG, "capture start: file name too long");
	if (rte_eth_dev_get_name_by_port(r->port, pname) != 0)
		snprintf(pname, sizeof(pname), "port%u", r->port);

	/* Everything the callbacks use, before the first one is installed. */
	memset(app_cap.q, 0, sizeof(app_cap.q));
	app_cap.enabled = 0;
	app_cap.claimed = 0;
	app_cap.count = r->count;
	app_cap.snaplen = snaplen;
	app_cap.port = r->port;
	app_cap.nq = nq;
	app_cap.stop_req = 0;
	app_cap.finished = 0;
	app_cap.count_reached = false;
	app_cap.written = 0;
	app_cap.bytes = 0;
	app_cap.write_err = 0;
	id = app_cap.runs++;
	room = rte_pcapng_mbuf_size(snaplen);
	snprintf(name, sizeof(name), "sn_cap_pool%u", id);
	app_cap.pool = rte_pktmbuf_pool_create(name, app_cap_pool_size(room), APP_CAP_CACHE, 0,
					       (uint16_t)RTE_MIN(room, (uint32_t)UINT16_MAX),
					       rte_eth_dev_socket_id(r->port) < 0 ? (int)rte_socket_id() :
					       rte_eth_dev_socket_id(r->port));
	snprintf(name, sizeof(name), "sn_cap_ring%u", id);
	app_cap.ring = rte_ring_create(name, APP_CAP_RING, (int)rte_socket_id(), RING_F_SC_DEQ);
	if (app_cap.pool == NULL || app_cap.ring == NULL) {
		rc = -(rte_errno ? rte_errno : ENOMEM);
		app_fail(e, rc, "capture start: no memory for the capture's pool and ring: %s "
			 "(give EAL more with -m)", rte_strerror(-rc));
		goto free_mem;
	}
	for (uint16_t i = 0; i < nq; i++) {
		struct sn_qdisc_info info;

		memset(&info, 0, sizeof(info));
		if (sn_qdisc_info(p->dev, (uint16_t)(q0 + i), &info) != 0 || info.kind[0] == '\0')
			snprintf(app_cap.qdisc[i], sizeof(app_cap.qdisc[i]), "%s", "(none)");
		else
			snprintf(app_cap.qdisc[i], sizeof(app_cap.qdisc[i]), "%s", info.kind);
	}

	fd = open(r->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		app_fail(e, rc, "capture start: cannot write '%s': %s", r->path, strerror(errno));
		goto free_mem;
	}
	app_cap_comment(pname, q0, comment, sizeof(comment));
	if (uname(&un) != 0)
		snprintf(un.sysname, sizeof(un.sysname), "%s", "Linux");
	snprintf(hw, sizeof(hw), "%s", pname);
	/* The section header, then an interface per DPDK port (ids 0..ports-1). */
	app_cap.png = rte_pcapng_fdopen(fd, un.sysname, hw, "softnet", comment);
	if (app_cap.png == NULL) {
		rc = -EIO;
		app_fail(e, rc, "capture start: cannot write '%s'", r->path);
		close(fd);
		goto free_mem;
	}
	app_cap.fd = fd;
	RTE_ETH_FOREACH_DEV(pid)
		nb_ports++;
	/* Then an interface per captured queue, described with its qdisc. */
	for (uint16_t i = 0; i < nq; i++) {
		snprintf(name, sizeof(name), "%s/txq%u", pname, q0 + i);
		snprintf(descr, sizeof(descr), "softnet port %u txq %u after qdisc %s", r->port,
			 q0 + i, app_cap.qdisc[i]);
		app_cap.q[i].txq = (uint16_t)(q0 + i);
		app_cap.q[i].ifid = nb_ports + i;
		if (app_pcapng_idb(fd, name, descr) != 0) {
			rc = -EIO;
			app_fail(e, rc, "capture start: cannot write '%s'", r->path);
			goto close_file;
		}
	}

	app_cap.start_tsc = rte_get_timer_cycles();
	app_cap.end_tsc = 0;
	clock_gettime(CLOCK_REALTIME, &now);
	app_cap.base_tsc = rte_get_tsc_cycles();
	app_cap.base_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	app_cap.tsc_hz = rte_get_tsc_hz();
	/* A control thread: on the EAL's control cpus, away from the lcores. */
	rc = rte_ctrl_thread_create(&app_cap.writer, "sn-capture", NULL, app_cap_writer, NULL);
	if (rc != 0) {
		rc = rc > 0 ? -rc : rc;
		app_fail(e, rc, "capture start: cannot start the writer thread: %s", strerror(-rc));
		goto close_file;
	}
	app_cap.state = APP_CAP_RUNNING;
	app_cap.destroy_cb = rte_eth_dev_callback_register(r->port, RTE_ETH_EVENT_DESTROY,
							   app_cap_on_destroy, NULL) == 0;
	__atomic_store_n(&app_cap.enabled, 1, __ATOMIC_SEQ_CST);
	for (uint16_t i = 0; i < nq; i++) {
		struct app_cap_q *q = &app_cap.q[i];

		q->cb = rte_eth_add_tx_callback(r->port, q->txq, app_cap_tx_cb, q);
		if (q->cb == NULL) {
			rc = -(rte_errno ? rte_errno : ENOTSUP);
			app_capture_stop(NULL, NULL);
			return app_fail(e, rc, "capture start: port %u txq %u takes no TX callback: %s",
					r->port, q0 + i, rte_strerror(-rc));
		}
	}
	return 0;

close_file:
	rte_pcapng_close(app_cap.png);
	app_cap.png = NULL;
	app_cap.fd = -1;
free_mem:
	rte_ring_free(app_cap.ring);
	app_cap.ring = NULL;
	rte_mempool_free(app_cap.pool);
	app_cap.pool = NULL;
	return rc;
}

static void
app_cap_totals(uint64_t *seen, uint64_t *captured, uint64_t *dropped)
{
	*seen = *captured = *dropped = 0;
	for (uint16_t i = 0; i < app_cap.nq; i++) {
		*seen += __atomic_load_n(&app_cap.q[i].seen, __ATOMIC_RELAXED);
		*captured += __atomic_load_n(&app_cap.q[i].captured, __ATOMIC_RELAXED);
		*dropped += __atomic_load_n(&app_cap.q[i].dropped, __ATOMIC_RELAXED);
	}
}

int
app_capture_stop(FILE *out, struct app_err *e)
{
	uint64_t seen, captured, dropped;
	int err;

	if (app_cap.state == APP_CAP_OFF)
		return e != NULL ? app_fail(e, -EALREADY, "capture stop: no capture runs") : -EALREADY;
	app_cap_release();
	app_cap_totals(&seen, &captured, &dropped);
	err = app_cap.write_err;
	if (out != NULL) {
		fprintf(out, "capture: stopped%s: %" PRIu64 " packets (%" PRIu64 " bytes) written to "
			"'%s', %" PRIu64 " dropped by the capture%s%s\n",
			app_cap.count_reached ? " (count reached)" : "", app_cap.written,
			app_cap.bytes, app_cap.path, dropped, err ? "; WRITE FAILED: " : "",
			err ? strerror(err) : "");
		fflush(out);
	}
	return err ? -err : 0;
}

void
app_capture_show(FILE *f, bool json)
{
	uint64_t seen, captured, dropped, hz = rte_get_timer_hz(), end;
	const char *state;
	double secs;

	if (app_cap.state == APP_CAP_RUNNING && __atomic_load_n(&app_cap.finished, __ATOMIC_ACQUIRE))
		app_cap.state = APP_CAP_DONE;
	state = app_cap.state == APP_CAP_RUNNING ? "running" :
		app_cap.state == APP_CAP_DONE ? "done" : app_cap.runs ? "stopped" : "off";
	app_cap_totals(&seen, &captured, &dropped);
	end = app_cap.end_tsc ? app_cap.end_tsc : rte_get_timer_cycles();
	secs = app_cap.runs && end > app_cap.start_tsc ? (double)(end - app_cap.start_tsc) / (double)hz :
	       0;
	if (json) {
		fprintf(f, "{\"capture\": {\"state\": \"%s\", \"port\": %u, \"file\": \"%s\", "
			"\"queues\": [", state, app_cap.port, app_cap.runs ? app_cap.path : "");
		for (uint16_t i = 0; app_cap.runs && i < app_cap.nq; i++)
			fprintf(f, "%s{\"txq\": %u, \"qdisc\": \"%s\", \"captured\": %" PRIu64
				", \"dropped\": %" PRIu64 "}", i ? ", " : "", app_cap.q[i].txq,
				app_cap.qdisc[i], app_cap.q[i].captured, app_cap.q[i].dropped);
		fprintf(f, "], \"count\": %" PRIu64 ", \"snaplen\": %u, \"seconds\": %.3f, "
			"\"captured\": %" PRIu64 ", \"dropped\": %" PRIu64 ", \"written\": %"
			PRIu64 ", \"bytes\": %" PRIu64 ", \"write_error\": \"%s\", "
			"\"pool_in_use\": %u, \"pdump\": %s}}\n", app_cap.count, app_cap.snaplen, secs,
			captured, dropped, app_cap.written, app_cap.bytes,
			app_cap.write_err ? strerror(app_cap.write_err) : "", app_cap.pool_in_use,
			app_pdump_on ? "true" : "false");
		return;
	}
	if (app_cap.runs == 0) {
		fprintf(f, "capture: off\n");
	} else {
		fprintf(f, "capture: %s%s, port %u -> '%s', %.3f s\n", state,
			app_cap.count_reached ? " (count reached)" : "", app_cap.port, app_cap.path,
			secs);
		fprintf(f, "  count %" PRIu64 "%s, snaplen %u\n", app_cap.count,
			app_cap.count ? "" : " (until stopped)", app_cap.snaplen);
		for (uint16_t i = 0; i < app_cap.nq; i++)
			fprintf(f, "  txq %-3u %-12s captured %" PRIu64 "  dropped %" PRIu64 "\n",
				app_cap.q[i].txq, app_cap.qdisc[i], app_cap.q[i].captured,
				app_cap.q[i].dropped);
		fprintf(f, "  captured %" PRIu64 ", written %" PRIu64 " (%" PRIu64 " bytes), "
			"dropped by the capture %" PRIu64 "%s%s\n", captured, app_cap.written,
			app_cap.bytes, dropped, app_cap.write_err ? ", WRITE FAILED: " : "",
			app_cap.write_err ? strerror(app_cap.write_err) : "");
	}
	if (app_pdump_on)
		fprintf(f, "dpdk-dumpcap: can attach (--file-prefix of this process)\n");
	else
		fprintf(f, "dpdk-dumpcap: cannot attach (%s)\n", app_pdump_why);
}
