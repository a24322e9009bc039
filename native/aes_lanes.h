/*
 * AES-CBC encryption of several independent chains at once, on the CPU's AES instructions
 * (x86-64 AES-NI), for sealing a batch of ESP packets from different SAs.
 *
 * CBC encryption is serial within a chain: each block waits for the previous block's 10-14
 * AES rounds, so one chain leaves the AES unit idle most of the time (OpenSSL's
 * aes-256-cbc runs at about 1 GB/s here, its decryption at 7 GB/s). Chains of different
 * SAs do not depend on each other: their rounds interleave, and two to four chains cost
 * about what one does. This is the multi-buffer technique of Intel's ipsec-mb library,
 * which VPP and DPDK use for the same reason.
 *
 * Where the CPU or compiler lacks AES-NI (another architecture, an old x86), `aes_lanes_ok`
 * is 0 and the caller keeps OpenSSL's one-chain path.
 */
#ifndef VGW_AES_LANES_H
#define VGW_AES_LANES_H
#include <stddef.h>

/* An expanded AES-128 or AES-256 encryption key (round keys, 16-byte aligned). */
typedef struct {
  unsigned char rk[15 * 16] __attribute__((aligned(16)));
  int rounds; /* 10 (AES-128) or 14 (AES-256) */
} aes_lane_key_t;

/* One chain of a batch: `blocks` 16-byte blocks at buf, encrypted in place; `chain` is the
 * previous ciphertext block on entry and the last one on return. */
typedef struct {
  const aes_lane_key_t *key;
  unsigned char *buf;
  size_t blocks;
  unsigned char *chain;
} aes_lane_t;

/* Most chains encrypted together (more add register pressure and no speed here). */
#define AES_LANES_MAX 4

/* 1 when this build and this CPU have AES-NI. */
int aes_lanes_ok(void);

/* Expand a 16- or 32-byte key; 0 for another length or without AES-NI. */
int aes_lane_key(aes_lane_key_t *k, const unsigned char *key, size_t len);

/* CBC-encrypt n <= AES_LANES_MAX chains of one key length (same `rounds`) together. */
void aes_cbc_lanes(aes_lane_t *lanes, int n);

/*
 * Encrypt n queued pieces of work (n <= AES_QUEUE_MAX), each a lane: pieces that share a
 * `chain` (one SA's) run one after another in queue order, pieces of different chains and
 * the same key length together, up to AES_LANES_MAX at a time. `done(arg, jobs, m)` is
 * called with the m pieces of each such group once they are encrypted (in queue order
 * within a chain), so the caller can finish them together too.
 */
#define AES_QUEUE_MAX 256
void aes_cbc_queue(aes_lane_t *work, int n, void (*done)(void *arg, const int *jobs, int m), void *arg);

#endif
