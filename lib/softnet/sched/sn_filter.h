/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SN_FILTER_H
#define SN_FILTER_H

/**
 * @file
 * Filters: which class of a classful qdisc (htb, prio) a packet goes to, as
 * tc's `filter add dev X parent 1: prio 1 match ip dst 10.0.0.0/8 ip dport
 * 5060 ip dscp 46 classid 1:10` (a flower-like matcher). Part of the
 * discipline SDK: a classful discipline keeps a chain of filters and asks it
 * "which class?" for every packet it enqueues.
 *
 * A filter is a priority, a set of match fields (all optional, AND-ed) and a
 * class id. A chain evaluates its filters in priority order (lower first;
 * equal priorities in the order they were added); the first that matches
 * gives the class; none gives 0, "unclassified" (the discipline then uses
 * its default class).
 *
 * Match fields, with the packet's headers read from the first segment of the
 * mbuf only (rte_pktmbuf_data_len() of the first segment bounds every read:
 * headers must be in the first segment; a field whose header is not there,
 * whole, does not match, and nothing past the data is ever read):
 * - `protocol P`: the network-layer Ethernet type, seen through one 802.1Q
 *   or 802.1ad tag (`protocol ip` matches IPv4 in VLAN 10 too);
 *   `protocol 802.1q` / `802.1ad` instead match the tag itself (its TPID).
 *   A tag the mbuf asks the NIC to insert (RTE_MBUF_F_TX_VLAN with
 *   m->vlan_tci) counts as an 802.1Q tag when the frame has none in line.
 * - `vlan_id N`, `vlan_prio N`: the tag's VID and PCP (the frame must be tagged).
 * - `ip src|dst A.B.C.D[/LEN]`: IPv4 prefixes (IPv4 packets only).
 * - `ip6 src|dst X:Y::Z[/LEN]`: IPv6 prefixes (IPv6 packets only).
 * - `ip dscp N`: the DSCP of IPv4's TOS or IPv6's traffic class (ECN ignored).
 * - `ip proto tcp|udp|sctp|icmp|icmpv6|N`: IPv4's protocol or IPv6's next
 *   header (after a hop-by-hop options header, the only extension header
 *   looked through).
 * - `ip sport N[-M]`, `ip dport N[-M]`: TCP, UDP or SCTP ports, or ranges
 *   (either IP version). Non-first IPv4 fragments have no ports: they do
 *   not match a port field. IPv4 options (IHL > 5) are skipped.
 *
 * Locking: a chain has no lock of its own. Every call on one chain
 * (add, del, classify, walk, stats reset) must be serialised by the caller:
 * a discipline keeps its chain under its root lock, where classify runs on
 * the data path and add/del run from the control path (sn_qdisc_tree_lock()).
 * That is why add and del never allocate, never sleep and cost O(capacity)
 * (a memmove in a preallocated array): they are cheap enough to run under
 * the root lock. create and free allocate and free: call them outside any
 * lock, and free only a chain no lcore can still classify with (e.g. from the
 * discipline's destroy op).
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Priority of a filter given none (tc's default preference, 0xC000). */
#define SN_FILTER_PRIO_DEFAULT 49152u

/** Filters in a chain made with a capacity of 0. */
#define SN_FILTER_CHAIN_DEFAULT 64u

/** @name Match fields: bits of struct sn_filter_spec::match. */
/**@{*/
#define SN_FILTER_M_PROTOCOL  (1u << 0)  /**< protocol (Ethernet type or tag TPID) */
#define SN_FILTER_M_VLAN_ID   (1u << 1)  /**< vlan_id */
#define SN_FILTER_M_VLAN_PRIO (1u << 2)  /**< vlan_prio */
#define SN_FILTER_M_SRC4      (1u << 3)  /**< ip src (src, src_len) */
#define SN_FILTER_M_DST4      (1u << 4)  /**< ip dst (dst, dst_len) */
#define SN_FILTER_M_SRC6      (1u << 5)  /**< ip6 src (src, src_len) */
#define SN_FILTER_M_DST6      (1u << 6)  /**< ip6 dst (dst, dst_len) */
#define SN_FILTER_M_DSCP      (1u << 7)  /**< ip dscp */
#define SN_FILTER_M_IP_PROTO  (1u << 8)  /**< ip proto */
#define SN_FILTER_M_SPORT     (1u << 9)  /**< ip sport (sport_min..sport_max) */
#define SN_FILTER_M_DPORT     (1u << 10) /**< ip dport (dport_min..dport_max) */
#define SN_FILTER_M_ALL       ((1u << 11) - 1) /**< every known field */
/**@}*/

/**
 * A filter as written: what sn_filter_parse() reads and sn_filter_print()
 * writes, and what sn_filter_chain_add() compiles. A library user may fill
 * one by hand: zero it, set the fields used and their bits in @c match
 * (fields whose bit is clear are ignored; sn_filter_chain_add() checks the
 * rest as sn_filter_parse() does).
 */
struct sn_filter_spec {
	uint32_t prio;      /**< priority, lower first; 0 means SN_FILTER_PRIO_DEFAULT */
	uint32_t classid;   /**< class given on a match (major << 16 | minor), not 0 */
	uint32_t match;     /**< SN_FILTER_M_* of the fields below that are set */
	uint16_t protocol;  /**< Ethernet type, host order (0x0800, 0x8100, ...) */
	uint16_t vlan_id;   /**< 0..4095 */
	uint8_t vlan_prio;  /**< 0..7 */
	uint8_t dscp;       /**< 0..63 */
	uint8_t ip_proto;   /**< IP protocol number */
	uint8_t src_len;    /**< prefix length of src: 0..32 (IPv4), 0..128 (IPv6) */
	uint8_t dst_len;    /**< prefix length of dst */
	uint8_t reserved[3]; /**< zero */
	uint8_t src[16];    /**< source address, network order (IPv4: the first 4 bytes); bits past src_len zero */
	uint8_t dst[16];    /**< destination address, as src */
	uint16_t sport_min; /**< source ports sport_min..sport_max (equal: one port) */
	uint16_t sport_max; /**< see sport_min */
	uint16_t dport_min; /**< destination ports dport_min..dport_max */
	uint16_t dport_max; /**< see dport_min */
};

/** One filter of a chain with its counters, as sn_filter_chain_walk() reports it. */
struct sn_filter_info {
	struct sn_filter_spec spec; /**< the filter (prio as in force: never 0) */
	uint64_t packets;           /**< packets it classified (it was the first to match) */
	uint64_t bytes;             /**< their bytes (rte_pktmbuf_pkt_len()) */
};

/** A qdisc's filters, in priority order, compiled (opaque). */
struct sn_filter_chain;

/**
 * Parse tc's words for a filter, those after `filter add dev X parent 1:`:
 * `[prio N] [protocol P] [match FIELD VALUE [FIELD VALUE ...]] classid X:Y`.
 *
 * - `prio N` (also `pref`): 1..4294967295; 0 or none: SN_FILTER_PRIO_DEFAULT.
 * - `protocol ip|ipv6|arp|802.1q|802.1ad|all|0xNNNN|N` (`all`: no match).
 * - `match` is followed by field/value pairs: `vlan_id N`, `vlan_prio N`,
 *   `ip src|dst PREFIX`, `ip6 src|dst PREFIX`, `ip dscp N`,
 *   `ip proto tcp|udp|sctp|icmp|icmpv6|N`, `ip sport N[-M]`,
 *   `ip dport N[-M]`; `match` may be repeated (`match ip dst X match ip
 *   dport Y`, as u32). A prefix without `/LEN` is a host; address bits past
 *   the prefix are cleared (10.1.2.3/8 is 10.0.0.0/8).
 * - `classid X:Y` (also `flowid`), required, minor not 0.
 * Refused: a field given twice, an IPv4 and an IPv6 address in one filter,
 * a field of another protocol than `protocol` names, ports with an
 * `ip proto` other than tcp, udp or sctp.
 * No DPDK call and no allocation: usable before rte_eal_init().
 *
 * @param argc  number of words.
 * @param argv  the words.
 * @param f     receives the filter (zeroed first).
 * @param err   receives one line naming the offending word, on failure; may be NULL.
 * @param errlen size of @p err.
 * @return 0, or -EINVAL (@p err says which word and why).
 */
int sn_filter_parse(int argc, const char *const argv[], struct sn_filter_spec *f, char *err,
		    size_t errlen);

/**
 * Write @p f in sn_filter_parse()'s words, canonical order:
 * `prio 1 protocol ip match ip dst 10.0.0.0/8 ip dport 5060 classid 1:10`,
 * which parses back to the same spec. No newline.
 *
 * @return the length of the text (as snprintf: cut, NUL terminated, if
 *         @p len is too small); -EINVAL for NULL @p f, or NULL @p buf with
 *         a non-zero @p len.
 */
int sn_filter_print(const struct sn_filter_spec *f, char *buf, size_t len);

/**
 * Write @p f as the members of a JSON object (no braces, so that the caller
 * can add its own): `"prio": 1, "protocol": "ip", "match": {"dst_ip":
 * "10.0.0.0/8", "dst_port": 5060, "dscp": 46}, "classid": "1:10"`. Match
 * keys: vlan_id, vlan_prio, src_ip, dst_ip (either family), dscp, ip_proto
 * (a name or a number), src_port, dst_port (a number, or "N-M" for a range).
 *
 * @return as sn_filter_print().
 */
int sn_filter_print_json(const struct sn_filter_spec *f, char *buf, size_t len);

/**
 * Create an empty chain that holds up to @p capacity filters, allocated
 * once here (add and del never allocate). Control path; not under a lock.
 *
 * @param capacity most filters (0: SN_FILTER_CHAIN_DEFAULT), at most 65535.
 * @param socket   NUMA socket for the memory (SOCKET_ID_ANY: any).
 * @return the chain, or NULL with rte_errno set: EINVAL (capacity), ENOMEM.
 */
struct sn_filter_chain *sn_filter_chain_create(unsigned int capacity, int socket);

/**
 * Free a chain. Nobody may use it any more (see the file's locking note).
 * NULL is a no-op.
 */
void sn_filter_chain_free(struct sn_filter_chain *c);

/**
 * Add a filter (`tc filter add`): checked, compiled once into masks and
 * values, placed after every filter of a lower or equal priority. Counters
 * start at 0. Caller serialises with classify (the root lock); no
 * allocation, O(capacity).
 *
 * @return 0; -EINVAL (NULL argument, or @p f is not a valid filter: unknown
 *         match bits, values out of range, bits past a prefix, a field of
 *         another protocol, classid 0); -EEXIST (a filter of the same
 *         priority and the same match fields is there: delete it first);
 *         -ENOSPC (the chain is full).
 */
int sn_filter_chain_add(struct sn_filter_chain *c, const struct sn_filter_spec *f);

/**
 * Delete the filters of priority @p prio (`tc filter del ... prio N`), or
 * every filter for a @p prio of 0 (`tc filter del dev X parent 1:`). Caller
 * serialises with classify (the root lock); no allocation, O(capacity).
 *
 * @return the number deleted (> 0); 0 for @p prio 0 on an empty chain;
 *         -ENOENT (no filter of that priority); -EINVAL (NULL @p c).
 */
int sn_filter_chain_del(struct sn_filter_chain *c, uint32_t prio);

/**
 * Classify @p m: the class id of the first filter that matches, in priority
 * order, whose counters it bumps; 0 if none does (or @p c is NULL or
 * empty). Data path, called with the root lock held (the counters are plain
 * adds under it). Cost: the headers are read once, lazily, only as deep as
 * the filters tried need (an L2-only chain never reads the IP header); each
 * filter is then a masked compare of a few 64-bit words. @p m must not be
 * NULL unless the chain is empty.
 */
uint32_t sn_filter_classify(struct sn_filter_chain *c, const struct rte_mbuf *m);

/**
 * List the filters of @p c in evaluation order, with their counters, for
 * `show filter`. Caller serialises with add/del (the root lock); copy out
 * under it, print after.
 *
 * @param info receives up to @p n filters; may be NULL if @p n is 0.
 * @return the number of filters in the chain (may exceed @p n: as
 *         snprintf, call with @p n 0 to size the array); 0 for NULL @p c.
 */
unsigned int sn_filter_chain_walk(const struct sn_filter_chain *c, struct sn_filter_info *info,
				  unsigned int n);

/** Zero the counters of every filter of @p c (caller serialises, as walk). NULL: no-op. */
void sn_filter_chain_stats_reset(struct sn_filter_chain *c);

#ifdef __cplusplus
}
#endif

#endif /* SN_FILTER_H */
