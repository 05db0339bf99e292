/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Locking self-test of the validator, in the spirit of the kernel's
 * lib/locking-selftest.c (written anew): every case runs a sequence of lock
 * operations in chosen contexts and checks that the validator reports it
 * (a bug) or stays silent (correct code), so that both false negatives and
 * false positives fail. Validator state is reset between cases.
 *
 * Lock types: spin (sn_spinlock), wlock (sn_rwlock for writing), rlock
 * (sn_rwlock for reading: recursive readers). Classes A..F each have two
 * instances (X1, X2), so that same-class cases never deadlock for real.
 * Interrupt contexts: "hard" = sn_irq_enter()/exit() and
 * sn_local_irq_disable(); "soft" = a real NET_RX softirq run by
 * sn_do_softirq() and sn_local_bh_disable().
 */

#include <stdlib.h>
#include <string.h>

#include <rte_log.h>

#include "sn_test.h"

enum ltype { T_SPIN, T_WLOCK, T_RLOCK };
enum irqtype { I_HARD, I_SOFT };
enum emode { IN_IRQ, IRQS_OFF, IRQS_ON };

static const char *const ltype_name[] = {"spin", "wlock", "rlock"};
static const char *const irq_name[] = {"hard", "soft"};

#define NCLASS 6
static struct sn_spinlock sl[NCLASS][2];
static struct sn_rwlock rw[NCLASS][2];
static struct sn_lock_class_key skey[NCLASS], rwkey[NCLASS];
static const char *const sname[NCLASS] = {"A", "B", "C", "D", "E", "F"};
static const char *const rwname[NCLASS] = {"rwA", "rwB", "rwC", "rwD", "rwE", "rwF"};

static struct sn_softnet *sd;
static enum ltype cur_type;
static enum irqtype cur_irq;
static unsigned int npass, nfail;
static bool verbose;

enum { A, B, C, D, E, F };

static void
init_all(void)
{
	for (int i = 0; i < NCLASS; i++) {
		for (int j = 0; j < 2; j++) {
			sn_spin_lock_init_key(&sl[i][j], sname[i], &skey[i]);
			sn_rwlock_init_key(&rw[i][j], rwname[i], &rwkey[i]);
		}
	}
}

/* Lock / unlock instance @n (0 or 1) of class @c, with the current type. */
static void
LK(int c, int n)
{
	switch (cur_type) {
	case T_SPIN: sn_spin_lock(&sl[c][n]); break;
	case T_WLOCK: sn_write_lock(&rw[c][n]); break;
	case T_RLOCK: sn_read_lock(&rw[c][n]); break;
	}
}

static void
UL(int c, int n)
{
	switch (cur_type) {
	case T_SPIN: sn_spin_unlock(&sl[c][n]); break;
	case T_WLOCK: sn_write_unlock(&rw[c][n]); break;
	case T_RLOCK: sn_read_unlock(&rw[c][n]); break;
	}
}

#define L(c) LK(c, 0)
#define U(c) UL(c, 0)
#define LU(c) do { L(c); U(c); } while (0)
#define LU2(a, b) do { L(a); L(b); U(b); U(a); } while (0)

/* ---- running a body in a context ---- */

static void (*softirq_body)(void);

static void
net_rx_trampoline(struct sn_softnet *s)
{
	RTE_SET_USED(s);
	if (softirq_body != NULL)
		softirq_body();
}

static void
run_in(enum emode m, void (*body)(void))
{
	switch (m) {
	case IN_IRQ:
		if (cur_irq == I_HARD) {
			sn_irq_enter(sd);
			body();
			sn_irq_exit(sd);
		} else {
			softirq_body = body;
			sn_raise_softirq(sd, SN_SOFTIRQ_NET_RX);
			sn_do_softirq(sd);
			softirq_body = NULL;
		}
		break;
	case IRQS_OFF:
		if (cur_irq == I_HARD) {
			sn_local_irq_disable(sd);
			body();
			sn_local_irq_enable(sd);
		} else {
			sn_local_bh_disable(sd);
			body();
			sn_local_bh_enable(sd);
		}
		break;
	case IRQS_ON:
		body();
		break;
	}
}

/* ---- checking ---- */

#define ANY (-1)

static void
reset(void)
{
	sn_lockdep_reset();
	init_all();
}

static void
check(const char *name, bool expect_report, int kind)
{
	uint64_t n = sn_lockdep_report_count();
	bool ok;

	if (!expect_report)
		ok = n == 0;
	else if (kind == ANY)
		ok = n > 0;
	else
		ok = sn_lockdep_report_count_kind((enum sn_lockdep_report_kind)kind) > 0;
	if (sn_lockdep_depth() != 0) {
		ok = false;
		fprintf(stderr, "%s: %u locks left held\n", name, sn_lockdep_depth());
	}
	if (ok) {
		npass++;
	} else {
		nfail++;
		fprintf(stderr, "FAILED: %-44s expected %s, got %" PRIu64 " report(s)\n", name,
			expect_report ? "a report" : "no report", n);
	}
	if (verbose)
		printf("  %-48s %s\n", name, ok ? "ok" : "FAILED");
	reset();
}

/* ---- non-interrupt families, for spin / wlock / rlock ---- */

static void f_AA(void) { L(A); LK(A, 1); UL(A, 1); U(A); }
static void f_ABBA(void) { LU2(A, B); LU2(B, A); }
static void f_ABBCCA(void) { LU2(A, B); LU2(B, C); LU2(C, A); }
static void f_ABCABC(void) { LU2(A, B); LU2(C, A); LU2(B, C); }
static void f_ABBCCDDA(void) { LU2(A, B); LU2(B, C); LU2(C, D); LU2(D, A); }
static void f_ABCDBDDA(void) { LU2(A, B); LU2(C, D); LU2(B, D); LU2(D, A); }
static void f_ABCDBCDA(void) { LU2(A, B); LU2(C, D); LU2(B, C); LU2(D, A); }
static void f_ABBCCDDA_ok(void) { LU2(A, B); LU2(B, C); LU2(C, D); LU2(A, D); }
static void f_double_unlock(void) { L(A); U(A); U(A); }
static void f_unlock_unheld(void) { U(B); }
static void f_bad_unlock_order(void) { L(A); L(B); U(A); U(B); }
static void f_three_chain_ok(void) { L(A); L(B); L(C); U(C); U(B); U(A); LU2(A, C); }

static void
f_init_held(void)
{
	L(A);
	/* The re-initialised lock is free again and the validator forgot the hold. */
	if (cur_type == T_SPIN)
		sn_spin_lock_init_key(&sl[A][0], sname[A], &skey[A]);
	else
		sn_rwlock_init_key(&rw[A][0], rwname[A], &rwkey[A]);
}

struct family {
	const char *name;
	void (*fn)(void);
	bool expect[3]; /* spin, wlock, rlock: true = reported */
	int kind;
};

static const struct family plain_families[] = {
	{"A-A deadlock", f_AA, {true, true, false}, SN_LOCKDEP_RECURSIVE},
	{"A-B-B-A deadlock", f_ABBA, {true, true, false}, SN_LOCKDEP_CIRCULAR},
	{"A-B-B-C-C-A deadlock", f_ABBCCA, {true, true, false}, SN_LOCKDEP_CIRCULAR},
	{"A-B-C-A-B-C deadlock", f_ABCABC, {true, true, false}, SN_LOCKDEP_CIRCULAR},
	{"A-B-B-C-C-D-D-A deadlock", f_ABBCCDDA, {true, true, false}, SN_LOCKDEP_CIRCULAR},
	{"A-B-C-D-B-D-D-A deadlock", f_ABCDBDDA, {true, true, false}, SN_LOCKDEP_CIRCULAR},
	{"A-B-C-D-B-C-D-A deadlock", f_ABCDBCDA, {true, true, false}, SN_LOCKDEP_CIRCULAR},
	{"A-B B-C C-D A-D (no cycle)", f_ABBCCDDA_ok, {false, false, false}, ANY},
	{"A-B-C then A-C (no cycle)", f_three_chain_ok, {false, false, false}, ANY},
	{"double unlock", f_double_unlock, {true, true, true}, SN_LOCKDEP_BAD_UNLOCK},
	{"unlock of a lock not held", f_unlock_unheld, {true, true, true}, SN_LOCKDEP_BAD_UNLOCK},
	{"initialize held lock", f_init_held, {true, true, true}, SN_LOCKDEP_REINIT_HELD},
	{"bad unlock order", f_bad_unlock_order, {false, false, false}, ANY},
};

/* ---- read/write rules (fixed types) ---- */

#define RL(c, n) sn_read_lock(&rw[c][n])
#define RU(c, n) sn_read_unlock(&rw[c][n])
#define WL(c, n) sn_write_lock(&rw[c][n])
#define WU(c, n) sn_write_unlock(&rw[c][n])

static void rw_rr_same(void) { RL(A, 0); RL(A, 0); RU(A, 0); RU(A, 0); }
static void rw_rr_class(void) { RL(A, 0); RL(A, 1); RU(A, 1); RU(A, 0); }
static void rw_wr(void) { WL(A, 0); RL(A, 1); RU(A, 1); WU(A, 0); }
static void rw_rw(void) { RL(A, 0); WL(A, 1); WU(A, 1); RU(A, 0); }
static void rw_ww(void) { WL(A, 0); WL(A, 1); WU(A, 1); WU(A, 0); }
static void rw_abba_rr_ww(void) { RL(A, 0); WL(B, 0); WU(B, 0); RU(A, 0); WL(B, 0); RL(A, 0); RU(A, 0); WU(B, 0); }
static void rw_abba_r_w(void) { RL(A, 0); WL(B, 0); WU(B, 0); RU(A, 0); WL(B, 0); WL(A, 0); WU(A, 0); WU(B, 0); }
static void rw_abba_w_r(void) { WL(A, 0); WL(B, 0); WU(B, 0); WU(A, 0); WL(B, 0); RL(A, 0); RU(A, 0); WU(B, 0); }
static void rw_abba_all_read(void) { RL(A, 0); RL(B, 0); RU(B, 0); RU(A, 0); RL(B, 0); RL(A, 0); RU(A, 0); RU(B, 0); }
static void rw_abba_rw_rw(void) { RL(A, 0); WL(B, 0); WU(B, 0); RU(A, 0); RL(B, 0); WL(A, 0); WU(A, 0); RU(B, 0); }
static void rw_read_trylock_after_write(void)
{
	WL(A, 0);
	if (sn_read_trylock(&rw[A][1]))
		RU(A, 1);
	WU(A, 0);
}
/* Strong paths: A -R-> B -R-> C and C -> A through readers only is no deadlock... */
static void rw_chain_readers(void)
{
	RL(A, 0); RL(B, 0); RU(B, 0); RU(A, 0);
	RL(B, 0); RL(C, 0); RU(C, 0); RU(B, 0);
	RL(C, 0); RL(A, 0); RU(A, 0); RU(C, 0);
}
/* C entered and left as a reader: B's writer gets C anyway, no deadlock. */
static void rw_chain_reader_in_middle(void)
{
	RL(A, 0); WL(B, 0); WU(B, 0); RU(A, 0);
	WL(B, 0); RL(C, 0); RU(C, 0); WU(B, 0);
	RL(C, 0); WL(A, 0); WU(A, 0); RU(C, 0);
}
/* A reader at one end only: a deadlock (C's writer waits for A's reader). */
static void rw_chain_one_reader(void)
{
	RL(A, 0); WL(B, 0); WU(B, 0); RU(A, 0);
	WL(B, 0); WL(C, 0); WU(C, 0); WU(B, 0);
	WL(C, 0); WL(A, 0); WU(A, 0); WU(C, 0);
}

struct single {
	const char *name;
	void (*fn)(void);
	bool expect;
	int kind;
};

static const struct single rw_cases[] = {
	{"rlock: recursive read, same lock", rw_rr_same, false, ANY},
	{"rlock: recursive read, same class", rw_rr_class, false, ANY},
	{"rlock: read after write (AA)", rw_wr, true, SN_LOCKDEP_RECURSIVE},
	{"rlock: write after read (AA)", rw_rw, true, SN_LOCKDEP_RECURSIVE},
	{"rlock: write after write (AA)", rw_ww, true, SN_LOCKDEP_RECURSIVE},
	{"rlock: R(A)W(B) / W(B)R(A)", rw_abba_rr_ww, false, ANY},
	{"rlock: R(A)W(B) / W(B)W(A)", rw_abba_r_w, true, SN_LOCKDEP_CIRCULAR},
	{"rlock: W(A)W(B) / W(B)R(A)", rw_abba_w_r, true, SN_LOCKDEP_CIRCULAR},
	{"rlock: R(A)R(B) / R(B)R(A)", rw_abba_all_read, false, ANY},
	{"rlock: R(A)W(B) / R(B)W(A)", rw_abba_rw_rw, true, SN_LOCKDEP_CIRCULAR},
	{"rlock: read trylock after write", rw_read_trylock_after_write, false, ANY},
	{"rlock: A-B-C-A through readers", rw_chain_readers, false, ANY},
	{"rlock: R(A)W(B) W(B)R(C) R(C)W(A)", rw_chain_reader_in_middle, false, ANY},
	{"rlock: R(A)W(B) W(B)W(C) W(C)W(A)", rw_chain_one_reader, true, SN_LOCKDEP_CIRCULAR},
};

/* ---- other single cases ---- */

static void s_nested(void)
{
	sn_spin_lock(&sl[A][0]);
	sn_spin_lock_nested(&sl[A][1], 1);
	sn_spin_unlock(&sl[A][1]);
	sn_spin_unlock(&sl[A][0]);
}
static void s_nested_abba(void)
{
	/* subclass 1 is its own class: A/1 -> A then A -> A/1 is a cycle */
	sn_spin_lock_nested(&sl[A][1], 1);
	sn_spin_lock(&sl[A][0]);
	sn_spin_unlock(&sl[A][0]);
	sn_spin_unlock(&sl[A][1]);
	s_nested();
}
static void s_trylock_aa(void)
{
	sn_spin_lock(&sl[A][0]);
	if (sn_spin_trylock(&sl[A][1]))
		sn_spin_unlock(&sl[A][1]);
	sn_spin_unlock(&sl[A][0]);
}
static void s_trylock_abba(void)
{
	sn_spin_lock(&sl[A][0]); sn_spin_lock(&sl[B][0]);
	sn_spin_unlock(&sl[B][0]); sn_spin_unlock(&sl[A][0]);
	sn_spin_lock(&sl[B][0]);
	if (sn_spin_trylock(&sl[A][0]))
		sn_spin_unlock(&sl[A][0]);
	sn_spin_unlock(&sl[B][0]);
}
static void s_trylock_then_lock(void)
{
	/* A taken by trylock, then B under it; later B -> A blocks: a cycle. */
	if (sn_spin_trylock(&sl[A][0])) {
		sn_spin_lock(&sl[B][0]);
		sn_spin_unlock(&sl[B][0]);
		sn_spin_unlock(&sl[A][0]);
	}
	sn_spin_lock(&sl[B][0]);
	sn_spin_lock(&sl[A][0]);
	sn_spin_unlock(&sl[A][0]);
	sn_spin_unlock(&sl[B][0]);
}
static void s_held_at_poll(void)
{
	sn_spin_lock(&sl[A][0]);
	sn_softnet_poll(sd);
	sn_spin_unlock(&sl[A][0]);
}
static void s_poll_clean(void)
{
	sn_spin_lock(&sl[A][0]);
	sn_spin_unlock(&sl[A][0]);
	sn_softnet_poll(sd);
}
static struct sn_spinlock fake_xmit_lock;
static const struct sn_lock_class_key fake_xmit_key;
static struct sn_spinlock user_forbidden;
static const struct sn_lock_class_key user_forbidden_key;
static void s_hardirq_forbidden_builtin(void)
{
	sn_spin_lock_init_key(&fake_xmit_lock, "xmit_lock", &fake_xmit_key);
	sn_irq_enter(sd);
	if (sn_spin_trylock(&fake_xmit_lock))
		sn_spin_unlock(&fake_xmit_lock);
	sn_irq_exit(sd);
}
static void s_hardirq_forbidden_user(void)
{
	sn_spin_lock_init_key(&user_forbidden, "user_forbidden", &user_forbidden_key);
	sn_lockdep_forbid_in_hardirq(&user_forbidden_key);
	sn_irq_enter(sd);
	sn_spin_lock(&user_forbidden);
	sn_spin_unlock(&user_forbidden);
	sn_irq_exit(sd);
}
static void s_hardirq_allowed(void)
{
	uint32_t flags;

	sn_irq_enter(sd);
	sn_spin_lock(&sl[A][0]);
	sn_spin_unlock(&sl[A][0]);
	sn_irq_exit(sd);
	flags = sn_spin_lock_irqsave(sd, &sl[A][0]);
	sn_spin_unlock_irqrestore(sd, &sl[A][0], flags);
	sn_spin_lock_irq(sd, &sl[A][0]);
	sn_spin_unlock_irq(sd, &sl[A][0]);
}
static void s_irqsave_nesting(void)
{
	uint32_t f1, f2;

	f1 = sn_local_irq_save(sd);
	f2 = sn_local_irq_save(sd);
	sn_local_irq_restore(sd, f2);
	if (!sn_irqs_disabled(sd))
		npass = 1u << 30; /* poison: fails the summary */
	sn_local_irq_restore(sd, f1);
	if (sn_irqs_disabled(sd))
		npass = 1u << 30;
}
static void s_bh_then_softirq(void)
{
	sn_spin_lock_bh(sd, &sl[A][0]);
	sn_spin_unlock_bh(sd, &sl[A][0]);
}
static void s_soft_body(void) { sn_spin_lock(&sl[A][0]); sn_spin_unlock(&sl[A][0]); }
static void s_bh_consistent(void)
{
	s_bh_then_softirq();
	softirq_body = s_soft_body;
	sn_raise_softirq(sd, SN_SOFTIRQ_NET_RX);
	sn_do_softirq(sd);
	softirq_body = NULL;
}
static void s_softirq_trylock_only(void)
{
	/* A trylock in softirq never waits: not "used in softirq". */
	sn_spin_lock(&sl[A][0]);
	sn_spin_unlock(&sl[A][0]);
	sn_local_bh_disable(sd);
	sn_local_bh_enable(sd);
}
static void s_uninitialised(void)
{
	static struct sn_spinlock zeroed;

	sn_spin_lock(&zeroed);
	sn_spin_unlock(&zeroed);
}
static void s_softirq_over_held(void)
{
	/* Process holds A with softirqs on, a softirq takes A: IN vs ON. */
	sn_spin_lock(&sl[A][1]);
	softirq_body = s_soft_body;
	sn_spin_unlock(&sl[A][1]);
	sn_raise_softirq(sd, SN_SOFTIRQ_NET_RX);
	sn_do_softirq(sd);
	softirq_body = NULL;
}

static const struct single other_cases[] = {
	{"spin_lock_nested: same class, subclass 1", s_nested, false, ANY},
	{"spin_lock_nested: A/1 -> A -> A/1", s_nested_abba, true, SN_LOCKDEP_CIRCULAR},
	{"trylock of a held class (no AA)", s_trylock_aa, false, ANY},
	{"trylock closing an ABBA (never waits)", s_trylock_abba, false, ANY},
	{"lock under trylock, then reverse", s_trylock_then_lock, true, SN_LOCKDEP_CIRCULAR},
	{"lock held when returning to poll", s_held_at_poll, true, SN_LOCKDEP_HELD_AT_EXIT},
	{"nothing held at poll", s_poll_clean, false, ANY},
	{"xmit_lock class trylocked in hardirq", s_hardirq_forbidden_builtin, true,
	 SN_LOCKDEP_HARDIRQ_FORBIDDEN},
	{"user never-in-hardirq class in hardirq", s_hardirq_forbidden_user, true,
	 SN_LOCKDEP_HARDIRQ_FORBIDDEN},
	{"hardirq lock + irqsave/irq users", s_hardirq_allowed, false, ANY},
	{"irq save/restore nesting", s_irqsave_nesting, false, ANY},
	{"spin_lock_bh + softirq user", s_bh_consistent, false, ANY},
	{"bh disable/enable only", s_softirq_trylock_only, false, ANY},
	{"uninitialised lock", s_uninitialised, true, SN_LOCKDEP_UNINITIALISED},
	{"softirq after process use (ON -> IN)", s_softirq_over_held, true, SN_LOCKDEP_INCONSISTENT},
};

/* ---- interrupt families: events run in every order ---- */

struct event {
	enum emode mode;
	void (*body)(void);
};

struct irq_family {
	const char *name;
	unsigned int nev;
	struct event ev[3];
	bool expect[3];       /* spin, wlock, rlock */
	bool fixed_type;      /* bodies choose their lock types themselves */
};

static void b_A(void) { LU(A); }
static void b_B(void) { LU(B); }
static void b_AB(void) { LU2(A, B); }
static void b_BA(void) { LU2(B, A); }
static void b_AC(void) { LU2(A, C); }
static void b_CB(void) { LU2(C, B); }

/* Kernel-style read-recursion families: rwlock A, spinlock B (fixed types). */
static void rr_e1(void) { WL(A, 0); sn_spin_lock(&sl[B][0]); sn_spin_unlock(&sl[B][0]); WU(A, 0); }
static void rr_e2(void) { RL(A, 0); RU(A, 0); }
static void rr_e3(void) { RL(A, 0); sn_spin_lock(&sl[B][0]); sn_spin_unlock(&sl[B][0]); RU(A, 0); }
/* rwlock A read with irqs on, rwlock B read in irq, B -> A written with irqs off: a deadlock. */
static void rr2_e1(void) { WL(B, 0); WL(A, 0); WU(A, 0); WU(B, 0); }
static void rr2_e2(void) { RL(A, 0); RU(A, 0); }
static void rr2_e3(void) { RL(B, 0); RU(B, 0); }

static const struct irq_family irq_families[] = {
	{"irq-safe-A => irqs-on", 2, {{IN_IRQ, b_A}, {IRQS_ON, b_A}}, {true, true, false}, false},
	{"safe-A + unsafe-B #1 (A->B in irq)", 2, {{IN_IRQ, b_AB}, {IRQS_ON, b_B}},
	 {true, true, false}, false},
	{"safe-A + unsafe-B #2 (irq lock inversion)", 3,
	 {{IN_IRQ, b_A}, {IRQS_OFF, b_AB}, {IRQS_ON, b_B}}, {true, true, false}, false},
	{"safe-A -> C -> unsafe-B", 3, {{IN_IRQ, b_AC}, {IRQS_OFF, b_CB}, {IRQS_ON, b_B}},
	 {true, true, false}, false},
	{"unsafe-B -> safe-A (no deadlock)", 3, {{IN_IRQ, b_A}, {IRQS_ON, b_B}, {IRQS_OFF, b_BA}},
	 {false, false, false}, false},
	{"safe-A -> safe-B (no deadlock)", 3, {{IN_IRQ, b_AB}, {IRQS_OFF, b_AB}, {IN_IRQ, b_B}},
	 {false, false, false}, false},
	{"irq read-recursion", 3, {{IRQS_OFF, rr_e1}, {IRQS_ON, rr_e2}, {IN_IRQ, rr_e3}},
	 {false, false, false}, true},
	{"irq read-recursion #2", 3, {{IRQS_OFF, rr2_e1}, {IRQS_ON, rr2_e2}, {IN_IRQ, rr2_e3}},
	 {true, true, true}, true},
};

static const unsigned int perms3[6][3] = {
	{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0},
};
static const unsigned int perms2[2][3] = {{0, 1, 0}, {1, 0, 0}};

static void
run_irq_family(const struct irq_family *f)
{
	unsigned int nperm = f->nev == 3 ? 6 : 2;

	for (int irq = I_HARD; irq <= I_SOFT; irq++) {
		for (unsigned int p = 0; p < nperm; p++) {
			const unsigned int *order = f->nev == 3 ? perms3[p] : perms2[p];
			int ntypes = f->fixed_type ? 1 : 3;

			for (int ty = 0; ty < ntypes; ty++) {
				char name[128], ord[8];
				unsigned int k = 0;

				for (unsigned int e = 0; e < f->nev; e++)
					ord[k++] = (char)('1' + order[e]);
				ord[k] = '\0';
				cur_irq = (enum irqtype)irq;
				cur_type = (enum ltype)ty;
				for (unsigned int e = 0; e < f->nev; e++)
					run_in(f->ev[order[e]].mode, f->ev[order[e]].body);
				snprintf(name, sizeof(name), "%s-%s/%s%s%s", irq_name[irq], f->name, ord,
					 f->fixed_type ? "" : " ", f->fixed_type ? "" : ltype_name[ty]);
				check(name, f->expect[ty], ANY);
			}
		}
	}
}

static void
print_sample(enum sn_lockdep_report_kind kind, const char *text, void *arg)
{
	static bool shown[SN_LOCKDEP_KIND_MAX];

	RTE_SET_USED(arg);
	if (getenv("SN_LOCKDEP_SAMPLES") != NULL && !shown[kind]) {
		shown[kind] = true;
		printf("---- sample report: %s ----%s\n", sn_lockdep_kind_name(kind), text);
	}
}

int
main(void)
{
	sn_test_init("ld_selftest", "0", NULL);
	rte_log_set_level_pattern("softnet.lockdep", RTE_LOG_CRIT);
	verbose = getenv("SN_LOCKDEP_VERBOSE") != NULL;
	sd = sn_softnet_attach();
	if (sd == NULL) {
		fprintf(stderr, "attach failed\n");
		return SN_TEST_FAIL;
	}
	sn_softirq_set_handler(SN_SOFTIRQ_NET_RX, net_rx_trampoline);
	sn_lockdep_set_report_cb(print_sample, NULL);
	reset();

	for (unsigned int i = 0; i < RTE_DIM(plain_families); i++) {
		for (int ty = T_SPIN; ty <= T_RLOCK; ty++) {
			char name[96];

			cur_type = (enum ltype)ty;
			plain_families[i].fn();
			snprintf(name, sizeof(name), "%s/%s", plain_families[i].name, ltype_name[ty]);
			check(name, plain_families[i].expect[ty], plain_families[i].kind);
		}
	}
	for (unsigned int i = 0; i < RTE_DIM(rw_cases); i++) {
		rw_cases[i].fn();
		check(rw_cases[i].name, rw_cases[i].expect, rw_cases[i].kind);
	}
	for (unsigned int i = 0; i < RTE_DIM(other_cases); i++) {
		other_cases[i].fn();
		check(other_cases[i].name, other_cases[i].expect, other_cases[i].kind);
	}
	for (unsigned int i = 0; i < RTE_DIM(irq_families); i++)
		run_irq_family(&irq_families[i]);

	printf("lockdep selftest: %u passed, %u failed\n", npass, nfail);
	sn_lockdep_set_report_cb(NULL, NULL);
	sn_softirq_set_handler(SN_SOFTIRQ_NET_RX, NULL);
	sn_lockdep_reset();
	sn_softnet_detach(sd);
	sn_test_fini();
	return nfail == 0 && npass < (1u << 30) ? SN_TEST_PASS : SN_TEST_FAIL;
}
