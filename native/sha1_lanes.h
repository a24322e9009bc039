/*
 * HMAC-SHA1 of one or two messages at once on the CPU's SHA instructions (x86-64 SHA-NI),
 * for ESP's ICVs.
 *
 * SHA-1 is serial within a message: each 4-round step waits for the previous one, so one
 * message leaves the SHA unit idle part of the time. Two messages' steps interleave: here
 * a pair costs about 1.15x one message (HMAC of 1436 bytes: 775 ns alone, 443 ns each in a
 * pair). The ICVs of a batch's packets are independent, so the seal queue computes them in
 * pairs. A single message also skips OpenSSL's per-call context copies.
 *
 * Without SHA-NI (another architecture, an older x86), `sha1_lanes_ok` is 0 and the
 * caller keeps OpenSSL.
 */
#ifndef VGW_SHA1_LANES_H
#define VGW_SHA1_LANES_H
#include <stddef.h>
#include <stdint.h>

/* An HMAC-SHA1 key as the SHA-1 states after its inner and outer pad blocks (RFC 2104). */
typedef struct {
  uint32_t inner[5], outer[5];
} hmac_sha1_key_t;

/* 1 when this build and this CPU have SHA-NI. */
int sha1_lanes_ok(void);

/* The key's pad states from K0 (the key zero-padded to 64 bytes, or its hash when longer). */
void hmac_sha1_key(hmac_sha1_key_t *k, const unsigned char k0[64]);

/* md[i] = HMAC-SHA1(keys[i], msg[i][0, len[i])) (20 bytes) for i < n, n = 1 or 2. */
void hmac_sha1_lanes(const hmac_sha1_key_t *const *keys, const unsigned char *const *msg, const size_t *len, unsigned char *const *md, int n);

#endif
