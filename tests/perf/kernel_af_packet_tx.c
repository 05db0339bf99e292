/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel's own transmit path, for comparison with softnet: an AF_PACKET
 * raw socket (no PACKET_QDISC_BYPASS, so every frame goes through
 * dev_queue_xmit and the device's qdisc) sending 64-byte UDP/IPv4 frames in
 * sendmmsg() batches of 32 for a given time. Prints what it sent.
 *
 * The frame is the softnet app's default one (app/softnet/frame.c: 02:00:00:
 * 00:00:01, 198.18.0.1 -> 198.18.0.2, DF, TTL 64, UDP 9 -> 9, byte i of the
 * payload holds i) with a valid IPv4 header checksum, so that the receiving
 * end does the same work for every sender. (It once went out with a zero
 * checksum: the peer dropped it in ip_rcv_core, InHdrErrors, before the
 * route lookup every softnet frame pays for, on the same CPU as the sender.)
 *
 *   kernel_af_packet_tx IFNAME DST_MAC SECONDS
 *
 * Used by veth_vs_kernel.sh on a veth pair in a namespace it creates; send
 * it nowhere else.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32
#define FRAME 64

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static const uint8_t hdr[] = {
		/* src MAC, ethertype IPv4 */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
		/* IPv4: 198.18.0.1 -> 198.18.0.2, DF, TTL 64, UDP, total length 50;
		 * the checksum (bytes 10-11) is filled in below */
		0x45, 0x00, 0x00, 0x32, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
		198, 18, 0, 1, 198, 18, 0, 2,
		/* UDP 9 -> 9, length 30 */
		0x00, 0x09, 0x00, 0x09, 0x00, 0x1e, 0x00, 0x00,
	};
	uint8_t frame[FRAME] = { 0 };
	struct sockaddr_ll sll = { 0 };
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	unsigned int mac[6];
	unsigned long long sent = 0;
	double t0, t1, secs;
	int fd;

	if (argc != 4 || sscanf(argv[2], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2], &mac[3],
				&mac[4], &mac[5]) != 6 || (secs = atof(argv[3])) <= 0) {
		fprintf(stderr, "usage: %s IFNAME DST_MAC SECONDS\n", argv[0]);
		return 2;
	}
	for (int i = 0; i < 6; i++)
		frame[i] = (uint8_t)mac[i];
	memcpy(frame + 6, hdr, sizeof(hdr));
	for (size_t i = 6 + sizeof(hdr); i < FRAME; i++)
		frame[i] = (uint8_t)(i - 6 - sizeof(hdr));
	{ /* IPv4 header checksum over the 20 bytes from offset 14 */
		uint32_t sum = 0;

		for (int i = 14; i < 34; i += 2)
			sum += (uint32_t)frame[i] << 8 | frame[i + 1];
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		frame[24] = (uint8_t)(~sum >> 8);
		frame[25] = (uint8_t)~sum;
	}

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("kernel_af_packet_tx: socket");
		return 77;
	}
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (sll.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		fprintf(stderr, "kernel_af_packet_tx: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	iov.iov_base = frame;
	iov.iov_len = FRAME;
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = now();
	do {
		int n = sendmmsg(fd, msgs, BATCH, 0);

		if (n > 0)
			sent += (unsigned long long)n;
		else if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
			perror("kernel_af_packet_tx: sendmmsg");
			return 1;
		}
		t1 = now();
	} while (t1 - t0 < secs);
	printf("sent %llu in %.3f s: %.0f pps\n", sent, t1 - t0, (double)sent / (t1 - t0));
	close(fd);
	return 0;
}
