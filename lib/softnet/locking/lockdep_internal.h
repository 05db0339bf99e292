/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_LOCKDEP_INTERNAL_H
#define SN_LOCKDEP_INTERNAL_H

/*
 * Internal structures of the lock validator (lockdep.c, lockdep_report.c);
 * not installed. Everything here is shared by all lcores and protected by
 * ld_graph_lock (a raw rte_spinlock, not validated itself), except struct
 * ld_task, which is per thread.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_spinlock.h>

#include "sn_lockdep.h"

#define LD_MAX_CLASSES 1024        /* classes, subclasses counted apart */
#define LD_MAX_EDGES 8192          /* dependency edges */
#define LD_MAX_DEPTH 48            /* locks one thread may hold */
#define LD_TRACE_DEPTH 16          /* frames kept per stack trace */
#define LD_MAX_SUBCLASS 8
#define LD_DEDUPE_SIZE 4096        /* problems remembered as reported */
#define LD_MAX_PENDING 4           /* reports one call may issue */
#define LD_REPORT_SIZE 16384

/* Usage bits: (irq << 2) | (enabled << 1) | read, as the kernel's. */
enum { LD_HARDIRQ = 0, LD_SOFTIRQ = 1 };
#define LD_BIT(irq, enabled, read) (((irq) << 2) | ((enabled) << 1) | (read))
#define LD_USED 8
#define LD_NBITS 9

/* Dependency types of an edge prev -> next: N = exclusive/write, R = recursive read. */
#define LD_DEP_NN 1u
#define LD_DEP_NR 2u
#define LD_DEP_RN 4u
#define LD_DEP_RR 8u

#define LD_F_NO_HARDIRQ 1u

struct ld_trace {
	uint32_t n;
	void *ip[LD_TRACE_DEPTH];
};

struct ld_class {
	const struct sn_lock_class_key *key;
	const char *name;
	uint32_t subclass;
	uint32_t usage;                        /* 1 << LD_BIT(...) */
	uint32_t flags;                        /* LD_F_* */
	int32_t first_out;                     /* edges from this class */
	int32_t first_in;                      /* edges to this class */
	struct ld_trace usage_trace[LD_NBITS]; /* where each usage bit was first set */
};

struct ld_edge {
	uint16_t from, to;
	uint8_t types;                         /* LD_DEP_* seen */
	int32_t next_out, next_in;
	const void *prev_ip;                   /* where `from` was taken */
	struct ld_trace trace;                 /* where `to` was taken with `from` held */
};

struct ld_held {
	struct sn_lockdep_map *map;
	struct ld_class *cls;
	const void *ip;
	uint8_t read;                          /* 0 exclusive, 2 recursive read */
	uint8_t trylock;
	uint8_t irq_ctx;                       /* 2 * hardirq + softirq */
	uint8_t hardirqs_off;
};

/* The calling lcore's context, read from its softnet preempt count. */
struct ld_ctx {
	bool attached;
	uint32_t pc;                           /* preempt count */
	bool hardirq;                          /* in hardirq context */
	bool softirq;                          /* serving a softirq */
	bool he;                               /* hardirqs enabled */
	bool se;                               /* softirqs enabled */
};

struct ld_pending {
	enum sn_lockdep_report_kind kind;
	char *text;
};

/* Per thread. */
struct ld_task {
	unsigned int depth;
	int busy;                              /* inside the validator */
	const void *ret;                       /* return address into the caller */
	struct ld_held held[LD_MAX_DEPTH];
	unsigned int npending;
	struct ld_pending pending[LD_MAX_PENDING];
};

/* A report being written. */
struct ld_buf {
	char *p;
	size_t len, cap;
};

/* ---- lockdep.c ---- */
extern rte_spinlock_t ld_graph_lock;
extern struct ld_class ld_classes[LD_MAX_CLASSES];
extern struct ld_edge ld_edges[LD_MAX_EDGES];
extern const char *const ld_usage_str[LD_NBITS];

struct ld_task *ld_task(void);
void ld_ctx_get(struct ld_ctx *ctx);

/* ---- lockdep_report.c ---- */
void ld_save_trace(struct ld_trace *tr, const struct ld_task *t);
void ld_sym(char *buf, size_t sz, const void *ip);
bool ld_buf_open(struct ld_buf *b);
void ld_pr(struct ld_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ld_banner(struct ld_buf *b, const char *title);
void ld_pr_task(struct ld_buf *b);
void ld_pr_ctx(struct ld_buf *b, const struct ld_ctx *ctx);
void ld_pr_class(struct ld_buf *b, const struct ld_class *c);
void ld_pr_usage(struct ld_buf *b, const struct ld_class *c);
void ld_pr_lock(struct ld_buf *b, const struct ld_held *h);
void ld_pr_trace(struct ld_buf *b, const struct ld_trace *tr, const char *indent);
void ld_pr_held(struct ld_buf *b, const struct ld_task *t);
void ld_pr_stack(struct ld_buf *b, const struct ld_task *t);
void ld_queue(struct ld_task *t, enum sn_lockdep_report_kind kind, struct ld_buf *b);
void ld_flush(struct ld_task *t);
void ld_report_counters_reset(void);

#endif /* SN_LOCKDEP_INTERNAL_H */
