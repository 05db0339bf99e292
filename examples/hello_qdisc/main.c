/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hello_qdisc: the smallest program that embeds libsoftnet. It opens the first
 * DPDK port, puts pfifo_fast on its transmit queue, sends 1000 frames through
 * it from its own loop, and prints the qdisc's and the port's counters.
 *
 *   hello_qdisc --no-pci --no-huge -m 256 --no-shconf --file-prefix hq$$ --vdev net_null0
 *
 * Exit status: 0 when the qdisc and the port both counted 1000 frames sent.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <sn_ethdev.h>
#include <softnet.h>

#define N_PKTS 1000
#define BURST  32
#define LEN    64

int
main(int argc, char **argv)
{
	struct sn_qdisc_info qi = { 0 };
	struct rte_eth_stats es = { 0 };
	struct rte_mbuf *pkts[BURST];
	struct rte_mempool *mp;
	struct sn_softnet *sd;
	struct sn_netdev *dev;
	unsigned int accepted = 0, done = 0;
	uint16_t port = 0;

	if (rte_eal_init(argc, argv) < 0 || sn_init(NULL) != 0)
		rte_exit(EXIT_FAILURE, "cannot set up EAL and softnet\n");
	if (rte_eth_dev_count_avail() == 0)
		rte_exit(EXIT_FAILURE, "no port: pass --vdev net_null0\n");
	mp = rte_pktmbuf_pool_create("hello_pool", 1023, 32, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     (int)rte_socket_id());
	sd = sn_softnet_attach();                       /* this lcore transmits */
	dev = sn_ethdev_open(port, NULL, NULL);         /* starts the port: "port0" */
	if (mp == NULL || sd == NULL || dev == NULL)
		rte_exit(EXIT_FAILURE, "set-up: %s\n", rte_strerror(rte_errno));
	if (sn_qdisc_replace(dev, 0, "pfifo_fast", NULL, sd) != 0)
		rte_exit(EXIT_FAILURE, "cannot attach pfifo_fast\n");

	while (done < N_PKTS) {
		uint16_t n = (uint16_t)RTE_MIN((unsigned int)BURST, N_PKTS - done);

		if (rte_pktmbuf_alloc_bulk(mp, pkts, n) != 0) {
			sn_softnet_poll(sd);            /* frees what was sent */
			continue;
		}
		for (uint16_t i = 0; i < n; i++)
			memset(rte_pktmbuf_append(pkts[i], LEN), 0xab, LEN);
		accepted += sn_xmit_burst(sd, dev, 0, pkts, n); /* owns them now */
		done += n;
		sn_softnet_poll(sd);                    /* NET_TX: queued qdiscs, frees */
	}
	while (sn_softnet_has_work(sd))
		sn_softnet_poll(sd);

	sn_qdisc_info(dev, 0, &qi);
	rte_eth_stats_get(port, &es);
	printf("qdisc %s: sent %" PRIu64 " pkt %" PRIu64 " bytes, dropped %" PRIu64
	       ", requeues %" PRIu64 ", backlog %" PRIu64 "p\n", qi.kind, qi.stats.bstats.packets,
	       qi.stats.bstats.bytes, qi.stats.qstats.drops, qi.stats.qstats.requeues,
	       qi.stats.qstats.qlen);
	printf("port %u: opackets %" PRIu64 " obytes %" PRIu64 " oerrors %" PRIu64 "\n", port,
	       es.opackets, es.obytes, es.oerrors);
	printf("accepted %u of %u\n", accepted, N_PKTS);

	sn_ethdev_close(dev, sd);       /* stops and closes the port */
	sn_softnet_detach(sd);          /* runs the last frees */
	rte_mempool_free(mp);
	sn_fini();
	rte_eal_cleanup();
	return qi.stats.bstats.packets == N_PKTS && es.opackets == N_PKTS ? EXIT_SUCCESS
									   : EXIT_FAILURE;
}
