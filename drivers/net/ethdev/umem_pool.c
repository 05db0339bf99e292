/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mbuf pools that net_af_xdp (DPDK 22.11) can register whole as its UMEM,
 * and the check that a given pool can be.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_memzone.h>

#include "ethdev_private.h"
#include "sn_ethdev.h"

/*
 * net_af_xdp (DPDK 22.11, built with XDP_UMEM_UNALIGNED_CHUNK_FLAG) registers
 * an rx queue's mempool as the socket's UMEM and also copies every frame it
 * transmits into an mbuf of that pool. It sizes the UMEM as if the objects
 * lay back to back from the pool's first memory chunk: populated_size times
 * the object size (xdp_umem_configure(); upstream fixed it in 24.07, commit
 * 97039941b2 "net/af_xdp: parse UMEM map info from mempool", not in 22.11).
 * rte_pktmbuf_pool_create() keeps each object within one page, so a pool
 * usually spans more: with 4 KiB pages (--no-huge) each 2368-byte mbuf takes
 * a page of its own and 4096 mbufs span 16 MiB against a 9.25 MiB UMEM; with
 * hugepages, a few hundred bytes are lost at each page end. The kernel
 * rejects every descriptor beyond the UMEM (XDP_STATISTICS tx_invalid_descs):
 * the frame is lost without an error and its mbuf never comes back.
 *
 * Objects of exactly SN_ETHDEV_POOL_OBJ bytes tile any page size from 4 KiB
 * up with no gap and never cross a page, so the PMD's arithmetic holds.
 */
#define SN_ETHDEV_POOL_OBJ 4096u

struct pool_span {
	uintptr_t lo, hi;
};

static void
pool_span_obj(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct pool_span *sp = arg;
	uintptr_t lo = (uintptr_t)obj - mp->header_size;
	uintptr_t hi = (uintptr_t)obj + mp->elt_size + mp->trailer_size;

	RTE_SET_USED(idx);
	if (lo < sp->lo)
		sp->lo = lo;
	if (hi > sp->hi)
		sp->hi = hi;
}

int
sn_ethdev_pool_fits_af_xdp_umem(struct rte_mempool *mp)
{
	struct rte_mempool_memhdr *first = STAILQ_FIRST(&mp->mem_list);
	struct pool_span sp = { .lo = UINTPTR_MAX, .hi = 0 };
	uintptr_t page = (uintptr_t)getpagesize();
	uintptr_t base, end;

	if (first == NULL)
		return -EINVAL;
	base = (uintptr_t)first->addr & ~(page - 1);
	end = base + ((uintptr_t)first->addr - base) +
	      (uintptr_t)mp->populated_size *
	      (mp->header_size + mp->elt_size + mp->trailer_size);
	rte_mempool_obj_iter(mp, pool_span_obj, &sp);
	if (sp.lo < base || sp.hi > end) {
		ETH_LOG(DEBUG, "pool %s: objects span %#zx bytes from the UMEM base, "
			"net_af_xdp's UMEM %#zx\n", mp->name, (size_t)(sp.hi - base),
			(size_t)(end - base));
		return -EINVAL;
	}
	return 0;
}

static void
pool_mz_free(struct rte_mempool_memhdr *memhdr, void *opaque)
{
	RTE_SET_USED(memhdr);
	rte_memzone_free(opaque);
}

struct rte_mempool *
sn_ethdev_pool_create(const char *name, unsigned int n, unsigned int cache_size,
		      int socket_id)
{
	struct rte_pktmbuf_pool_private priv;
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct rte_mempool_objsz sz;
	struct rte_mempool *mp;
	uint32_t elt;
	int rc;

	if (name == NULL || n == 0 ||
	    snprintf(mz_name, sizeof(mz_name), "sn_umem_%s", name) >= (int)sizeof(mz_name)) {
		rte_errno = EINVAL;
		return NULL;
	}
	/* Size the data room so that header + mbuf + data + trailer is one
	 * SN_ETHDEV_POOL_OBJ; no padding to spread objects over channels. */
	rte_mempool_calc_obj_size(sizeof(struct rte_mbuf), RTE_MEMPOOL_F_NO_SPREAD, &sz);
	elt = SN_ETHDEV_POOL_OBJ - sz.header_size - sz.trailer_size;
	if (rte_mempool_calc_obj_size(elt, RTE_MEMPOOL_F_NO_SPREAD, &sz) !=
	    SN_ETHDEV_POOL_OBJ) {
		rte_errno = ENOTSUP; /* a debug mempool's trailer breaks the tiling */
		return NULL;
	}
	memset(&priv, 0, sizeof(priv));
	priv.mbuf_data_room_size = (uint16_t)(elt - sizeof(struct rte_mbuf));
	mp = rte_mempool_create_empty(name, n, elt, cache_size, sizeof(priv), socket_id,
				      RTE_MEMPOOL_F_NO_SPREAD);
	if (mp == NULL)
		return NULL;
	rc = rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(), NULL);
	if (rc != 0)
		goto fail;
	rte_pktmbuf_pool_init(mp, &priv);
	/*
	 * One page-aligned piece, so the first object starts the first chunk
	 * (rte_mempool_populate_default() starts a chunk anywhere and moves the
	 * first object to the next page boundary, past the PMD's arithmetic).
	 */
	mz = rte_memzone_reserve_aligned(mz_name, (size_t)n * SN_ETHDEV_POOL_OBJ, socket_id, 0,
					 SN_ETHDEV_POOL_OBJ);
	if (mz == NULL) {
		rc = -rte_errno;
		goto fail;
	}
	rc = rte_mempool_populate_virt(mp, mz->addr, mz->len,
				       RTE_MAX((size_t)mz->hugepage_sz, (size_t)SN_ETHDEV_POOL_OBJ),
				       pool_mz_free, (void *)(uintptr_t)mz);
	if (rc < 0 || mp->populated_size != n) {
		if (mp->nb_mem_chunks == 0)
			rte_memzone_free(mz); /* not owned by the pool yet */
		rc = rc < 0 ? rc : -ENOMEM;
		goto fail;
	}
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
	if (sn_ethdev_pool_fits_af_xdp_umem(mp) != 0) {
		rc = -ENOMEM; /* cannot happen with the layout above; checked all the same */
		goto fail;
	}
	return mp;
fail:
	rte_mempool_free(mp);
	rte_errno = -rc;
	return NULL;
}

