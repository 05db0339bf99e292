/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lock validator: stack traces, symbols and the common pieces of a report
 * (banner, task and context line, lock lines, held-lock list, backtrace),
 * and delivery through rte_log and the application's callback.
 *
 * Reports are written under the graph lock into a heap buffer and delivered
 * after it is dropped, so that a callback may do what it likes.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr, pthread_getname_np */
#endif

#include "sn_config.h"

#if SN_LOCKDEP

#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "lockdep_internal.h"
#include "locking_private.h"

RTE_LOG_REGISTER(sn_logtype_lockdep, softnet.lockdep, NOTICE);

static sn_lockdep_report_fn ld_cb;
static void *ld_cb_arg;
static uint64_t ld_counts[SN_LOCKDEP_KIND_MAX];

static const char *const ld_kind_names[SN_LOCKDEP_KIND_MAX] = {
	[SN_LOCKDEP_INCONSISTENT] = "inconsistent lock state",
	[SN_LOCKDEP_RECURSIVE] = "possible recursive locking detected",
	[SN_LOCKDEP_CIRCULAR] = "possible circular locking dependency detected",
	[SN_LOCKDEP_IRQ_ORDER] = "irq-safe -> irq-unsafe lock order detected",
	[SN_LOCKDEP_IRQ_INVERSION] = "possible irq lock inversion dependency detected",
	[SN_LOCKDEP_BAD_UNLOCK] = "bad unlock balance detected!",
	[SN_LOCKDEP_REINIT_HELD] = "held lock re-initialised!",
	[SN_LOCKDEP_HELD_AT_EXIT] = "lock held when returning to the lcore loop!",
	[SN_LOCKDEP_HARDIRQ_FORBIDDEN] = "lock taken in hardirq context that may not be",
	[SN_LOCKDEP_UNINITIALISED] = "trying to use an uninitialised lock",
	[SN_LOCKDEP_INTERNAL] = "validator table full",
};

/* backtrace() loads the unwinder on first use: do it before any lock is held. */
__attribute__((constructor)) static void
ld_trace_warmup(void)
{
	void *buf[2];

	backtrace(buf, 2);
}

/*
 * Keep the frames from the validator's entry point down: the first frame kept
 * is inside sn_lockdep_acquire/release (like the kernel's lock_acquire line),
 * the next one is the function that took the lock.
 */
void
ld_save_trace(struct ld_trace *tr, const struct ld_task *t)
{
	void *buf[64];
	int n = backtrace(buf, RTE_DIM(buf));
	int start = 1;

	for (int i = 0; i < n; i++) {
		if (buf[i] == t->ret) {
			start = i > 0 ? i - 1 : 0;
			break;
		}
	}
	tr->n = 0;
	for (int i = start; i < n && tr->n < LD_TRACE_DEPTH; i++)
		tr->ip[tr->n++] = buf[i];
}

void
ld_sym(char *buf, size_t sz, const void *ip)
{
	Dl_info di;

	if (ip != NULL && dladdr(ip, &di) != 0) {
		if (di.dli_sname != NULL && di.dli_saddr != NULL) {
			snprintf(buf, sz, "%s+0x%lx", di.dli_sname,
				 (unsigned long)((const char *)ip - (const char *)di.dli_saddr));
			return;
		}
		if (di.dli_fname != NULL) {
			const char *base = strrchr(di.dli_fname, '/');

			snprintf(buf, sz, "[<%p>] %s+0x%lx", ip, base ? base + 1 : di.dli_fname,
				 (unsigned long)((const char *)ip - (const char *)di.dli_fbase));
			return;
		}
	}
	snprintf(buf, sz, "[<%p>]", ip);
}

bool
ld_buf_open(struct ld_buf *b)
{
	b->p = malloc(LD_REPORT_SIZE);
	b->len = 0;
	b->cap = b->p != NULL ? LD_REPORT_SIZE : 0;
	if (b->p != NULL)
		b->p[0] = '\0';
	return b->p != NULL;
}

void
ld_pr(struct ld_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->p == NULL || b->len + 1 >= b->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = RTE_MIN(b->len + (size_t)n, b->cap - 1);
}

void
ld_banner(struct ld_buf *b, const char *title)
{
	size_t len = strlen(title);
	char line[128];

	len = RTE_MIN(len, sizeof(line) - 1);
	memset(line, '=', len);
	line[len] = '\0';
	ld_pr(b, "\n%s\n%s\n", line, title);
	ld_pr(b, "softnet %s (lockdep)\n", SN_VERSION);
	memset(line, '-', len);
	ld_pr(b, "%s\n", line);
}

/* "name/lcore/tid": the thread's name, its lcore ("-" if none) and its tid. */
void
ld_pr_task(struct ld_buf *b)
{
	char name[32] = "?";
	unsigned int lcore = rte_lcore_id();

	pthread_getname_np(pthread_self(), name, sizeof(name));
	if (lcore == LCORE_ID_ANY)
		ld_pr(b, "%s/-/%d", name, rte_sys_gettid());
	else
		ld_pr(b, "%s/%u/%d", name, lcore, rte_sys_gettid());
}

void
ld_pr_ctx(struct ld_buf *b, const struct ld_ctx *ctx)
{
	ld_pr(b, "[HC%u[%u]:SC%u[%u]:HE%u:SE%u]", ctx->hardirq ? 1u : 0u,
	      (ctx->pc & SN_HARDIRQ_MASK) >> SN_HARDIRQ_SHIFT, ctx->softirq ? 1u : 0u,
	      (ctx->pc & SN_SOFTIRQ_MASK) >> SN_SOFTIRQ_SHIFT, ctx->he ? 1u : 0u,
	      ctx->se ? 1u : 0u);
}

void
ld_pr_class(struct ld_buf *b, const struct ld_class *c)
{
	if (c->subclass != 0)
		ld_pr(b, "%s/%u", c->name, c->subclass);
	else
		ld_pr(b, "%s", c->name);
}

/* {+.?.}: per state and read/write: '.' neither, '-' used in irq, '+' irq on, '?' both. */
void
ld_pr_usage(struct ld_buf *b, const struct ld_class *c)
{
	char s[5];
	int k = 0;

	for (int irq = LD_HARDIRQ; irq <= LD_SOFTIRQ; irq++) {
		for (int rd = 0; rd <= 1; rd++) {
			bool in = c->usage & (1u << LD_BIT(irq, 0, rd));
			bool on = c->usage & (1u << LD_BIT(irq, 1, rd));

			s[k++] = on ? (in ? '?' : '+') : (in ? '-' : '.');
		}
	}
	s[k] = '\0';
	ld_pr(b, "{%s}", s);
}

void
ld_pr_lock(struct ld_buf *b, const struct ld_held *h)
{
	char sym[160];

	ld_sym(sym, sizeof(sym), h->ip);
	ld_pr(b, "%p (", (void *)h->map);
	ld_pr_class(b, h->cls);
	ld_pr(b, ")");
	ld_pr_usage(b, h->cls);
	ld_pr(b, "-{2:2}, at: %s\n", sym);
}

void
ld_pr_trace(struct ld_buf *b, const struct ld_trace *tr, const char *indent)
{
	char sym[160];

	if (tr->n == 0) {
		ld_pr(b, "%s(no stack trace recorded)\n", indent);
		return;
	}
	for (uint32_t i = 0; i < tr->n; i++) {
		ld_sym(sym, sizeof(sym), tr->ip[i]);
		ld_pr(b, "%s%s\n", indent, sym);
	}
}

void
ld_pr_held(struct ld_buf *b, const struct ld_task *t)
{
	if (t->depth == 0) {
		ld_pr(b, "no locks held by ");
		ld_pr_task(b);
		ld_pr(b, ".\n");
		return;
	}
	ld_pr(b, "%u lock%s held by ", t->depth, t->depth > 1 ? "s" : "");
	ld_pr_task(b);
	ld_pr(b, ":\n");
	for (unsigned int i = 0; i < t->depth; i++) {
		ld_pr(b, " #%u: ", i);
		ld_pr_lock(b, &t->held[i]);
	}
}

void
ld_pr_stack(struct ld_buf *b, const struct ld_task *t)
{
	struct ld_trace tr;
	char name[32] = "?";

	pthread_getname_np(pthread_self(), name, sizeof(name));
	ld_save_trace(&tr, t);
	ld_pr(b, "\nstack backtrace:\n");
	ld_pr(b, "lcore: %d tid: %d comm: %s softnet %s\n", (int)rte_lcore_id(), rte_sys_gettid(),
	      name, SN_VERSION);
	ld_pr(b, "Call Trace:\n");
	ld_pr_trace(b, &tr, " ");
}

void
ld_queue(struct ld_task *t, enum sn_lockdep_report_kind kind, struct ld_buf *b)
{
	if (b->p == NULL)
		return;
	if (t->npending == LD_MAX_PENDING) {
		free(b->p);
		return;
	}
	t->pending[t->npending].kind = kind;
	t->pending[t->npending].text = b->p;
	t->npending++;
	b->p = NULL;
}

/* Deliver queued reports; no validator lock held. */
void
ld_flush(struct ld_task *t)
{
	for (unsigned int i = 0; i < t->npending; i++) {
		struct ld_pending *p = &t->pending[i];
		sn_lockdep_report_fn cb = __atomic_load_n(&ld_cb, __ATOMIC_ACQUIRE);

		__atomic_fetch_add(&ld_counts[p->kind], 1, __ATOMIC_RELAXED);
		rte_log(RTE_LOG_ERR, sn_logtype_lockdep, "%s\n", p->text);
		if (cb != NULL)
			cb(p->kind, p->text, ld_cb_arg);
		free(p->text);
	}
	t->npending = 0;
}

void
ld_report_counters_reset(void)
{
	for (unsigned int i = 0; i < SN_LOCKDEP_KIND_MAX; i++)
		__atomic_store_n(&ld_counts[i], 0, __ATOMIC_RELAXED);
}

void
sn_lockdep_set_report_cb(sn_lockdep_report_fn fn, void *arg)
{
	ld_cb_arg = arg;
	__atomic_store_n(&ld_cb, fn, __ATOMIC_RELEASE);
}

uint64_t
sn_lockdep_report_count(void)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < SN_LOCKDEP_KIND_MAX; i++)
		n += __atomic_load_n(&ld_counts[i], __ATOMIC_RELAXED);
	return n;
}

uint64_t
sn_lockdep_report_count_kind(enum sn_lockdep_report_kind kind)
{
	if ((unsigned int)kind >= SN_LOCKDEP_KIND_MAX)
		return 0;
	return __atomic_load_n(&ld_counts[kind], __ATOMIC_RELAXED);
}

const char *
sn_lockdep_kind_name(enum sn_lockdep_report_kind kind)
{
	if ((unsigned int)kind >= SN_LOCKDEP_KIND_MAX)
		return "unknown";
	return ld_kind_names[kind];
}

#else /* !SN_LOCKDEP */

#include <stddef.h>

#include "sn_lockdep.h"

void
sn_lockdep_set_report_cb(sn_lockdep_report_fn fn, void *arg)
{
	(void)fn;
	(void)arg;
}

uint64_t
sn_lockdep_report_count(void)
{
	return 0;
}

uint64_t
sn_lockdep_report_count_kind(enum sn_lockdep_report_kind kind)
{
	(void)kind;
	return 0;
}

const char *
sn_lockdep_kind_name(enum sn_lockdep_report_kind kind)
{
	(void)kind;
	return "lockdep compiled out";
}

#endif /* SN_LOCKDEP */
