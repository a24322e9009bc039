/*
 * AES-CBC over several chains at once on AES-NI; see aes_lanes.h for why. The key
 * expansion is the one in Intel's AES-NI white paper (Gueron, "Intel Advanced Encryption
 * Standard (AES) New Instructions Set", 2010, figures 24 and 28); the tests compare every
 * result with OpenSSL's aes-128-cbc and aes-256-cbc.
 */
#include "aes_lanes.h"
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define AESNI __attribute__((target("aes,sse2")))

int aes_lanes_ok(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("aes") != 0;
}

/* One AES-128 round key from the previous one and aeskeygenassist's word. */
AESNI static __m128i next128(__m128i key, __m128i assist) {
  assist = _mm_shuffle_epi32(assist, 0xff);
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  return _mm_xor_si128(key, assist);
}

/* AES-256's second round key of a pair: the SubWord of the previous key's last word, no rotation or rcon. */
AESNI static __m128i next256b(__m128i prev, __m128i key) {
  __m128i assist = _mm_shuffle_epi32(_mm_aeskeygenassist_si128(prev, 0), 0xaa);
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  return _mm_xor_si128(key, assist);
}

AESNI static void expand128(__m128i *rk, const unsigned char *key) {
  rk[0] = _mm_loadu_si128((const __m128i *)key);
  /* aeskeygenassist takes its round constant as an immediate: one line per round. */
  rk[1] = next128(rk[0], _mm_aeskeygenassist_si128(rk[0], 0x01));
  rk[2] = next128(rk[1], _mm_aeskeygenassist_si128(rk[1], 0x02));
  rk[3] = next128(rk[2], _mm_aeskeygenassist_si128(rk[2], 0x04));
  rk[4] = next128(rk[3], _mm_aeskeygenassist_si128(rk[3], 0x08));
  rk[5] = next128(rk[4], _mm_aeskeygenassist_si128(rk[4], 0x10));
  rk[6] = next128(rk[5], _mm_aeskeygenassist_si128(rk[5], 0x20));
  rk[7] = next128(rk[6], _mm_aeskeygenassist_si128(rk[6], 0x40));
  rk[8] = next128(rk[7], _mm_aeskeygenassist_si128(rk[7], 0x80));
  rk[9] = next128(rk[8], _mm_aeskeygenassist_si128(rk[8], 0x1b));
  rk[10] = next128(rk[9], _mm_aeskeygenassist_si128(rk[9], 0x36));
}

AESNI static void expand256(__m128i *rk, const unsigned char *key) {
  rk[0] = _mm_loadu_si128((const __m128i *)key);
  rk[1] = _mm_loadu_si128((const __m128i *)(key + 16));
  rk[2] = next128(rk[0], _mm_aeskeygenassist_si128(rk[1], 0x01));
  rk[3] = next256b(rk[2], rk[1]);
  rk[4] = next128(rk[2], _mm_aeskeygenassist_si128(rk[3], 0x02));
  rk[5] = next256b(rk[4], rk[3]);
  rk[6] = next128(rk[4], _mm_aeskeygenassist_si128(rk[5], 0x04));
  rk[7] = next256b(rk[6], rk[5]);
  rk[8] = next128(rk[6], _mm_aeskeygenassist_si128(rk[7], 0x08));
  rk[9] = next256b(rk[8], rk[7]);
  rk[10] = next128(rk[8], _mm_aeskeygenassist_si128(rk[9], 0x10));
  rk[11] = next256b(rk[10], rk[9]);
  rk[12] = next128(rk[10], _mm_aeskeygenassist_si128(rk[11], 0x20));
  rk[13] = next256b(rk[12], rk[11]);
  rk[14] = next128(rk[12], _mm_aeskeygenassist_si128(rk[13], 0x40));
}

int aes_lane_key(aes_lane_key_t *k, const unsigned char *key, size_t len) {
  if (!aes_lanes_ok() || (len != 16 && len != 32)) return 0;
  if (len == 16) expand128((__m128i *)k->rk, key);
  else expand256((__m128i *)k->rk, key);
  k->rounds = len == 16 ? 10 : 14;
  return 1;
}

/*
 * `blocks` blocks of N chains, starting `done` blocks into each: the N chains' rounds
 * interleave, so the AES unit works on N blocks while one block's rounds would keep it
 * waiting. N is a constant at each call (the lane loops unroll).
 */
AESNI static inline __attribute__((always_inline)) void run_lanes(aes_lane_t *const *L, const int N, size_t done, size_t blocks, int rounds) {
  __m128i c[AES_LANES_MAX], x[AES_LANES_MAX];
  const __m128i *k[AES_LANES_MAX];
  unsigned char *p[AES_LANES_MAX];
#pragma GCC unroll 4
  for (int l = 0; l < N; l++) {
    c[l] = _mm_loadu_si128((const __m128i *)L[l]->chain);
    k[l] = (const __m128i *)L[l]->key->rk;
    p[l] = L[l]->buf + done * 16;
  }
  for (size_t b = 0; b < blocks; b++) {
#pragma GCC unroll 4
    for (int l = 0; l < N; l++) x[l] = _mm_xor_si128(_mm_xor_si128(_mm_loadu_si128((const __m128i *)(p[l] + b * 16)), c[l]), k[l][0]);
    for (int r = 1; r < rounds; r++) {
#pragma GCC unroll 4
      for (int l = 0; l < N; l++) x[l] = _mm_aesenc_si128(x[l], k[l][r]);
    }
#pragma GCC unroll 4
    for (int l = 0; l < N; l++) {
      c[l] = _mm_aesenclast_si128(x[l], k[l][rounds]);
      _mm_storeu_si128((__m128i *)(p[l] + b * 16), c[l]);
    }
  }
#pragma GCC unroll 4
  for (int l = 0; l < N; l++) _mm_storeu_si128((__m128i *)L[l]->chain, c[l]);
}

AESNI void aes_cbc_lanes(aes_lane_t *lanes, int n) {
  if (n <= 0) return;
  if (n > AES_LANES_MAX) n = AES_LANES_MAX;
  /* Shortest chain first: all n run together up to its end, then the rest, and so on. */
  aes_lane_t *L[AES_LANES_MAX];
  for (int i = 0; i < n; i++) {
    int j = i;
    while (j > 0 && L[j - 1]->blocks > lanes[i].blocks) {
      L[j] = L[j - 1];
      j--;
    }
    L[j] = &lanes[i];
  }
  const int rounds = L[0]->key->rounds;
  size_t done = 0;
  for (int i = 0; i < n; i++) {
    const size_t blocks = L[i]->blocks - done;
    if (blocks > 0) {
      switch (n - i) {
        case 4: run_lanes(L + i, 4, done, blocks, rounds); break;
        case 3: run_lanes(L + i, 3, done, blocks, rounds); break;
        case 2: run_lanes(L + i, 2, done, blocks, rounds); break;
        default: run_lanes(L + i, 1, done, blocks, rounds); break;
      }
    }
    done = L[i]->blocks;
  }
}

#else

int aes_lanes_ok(void) {
  return 0;
}

int aes_lane_key(aes_lane_key_t *k, const unsigned char *key, size_t len) {
  (void)k;
  (void)key;
  (void)len;
  return 0;
}

void aes_cbc_lanes(aes_lane_t *lanes, int n) {
  (void)lanes;
  (void)n;
}

#endif

void aes_cbc_queue(aes_lane_t *work, int n, void (*done)(void *arg, const int *jobs, int m), void *arg) {
  if (n <= 0) return;
  if (n > AES_QUEUE_MAX) n = AES_QUEUE_MAX;
  /* One FIFO per chain, linked through next[]; queues[] lists the chains with work left. */
  int next[AES_QUEUE_MAX], head[AES_QUEUE_MAX], tail[AES_QUEUE_MAX], queues[AES_QUEUE_MAX];
  int nq = 0;
  for (int j = 0; j < n; j++) {
    next[j] = -1;
    int q = 0;
    while (q < nq && work[head[q]].chain != work[j].chain) q++;
    if (q == nq) {
      head[q] = j;
      nq++;
    } else {
      next[tail[q]] = j;
    }
    tail[q] = j;
    queues[q] = q;
  }
  int active = nq;
  while (active > 0) {
    /* The first queue's head, and the heads of up to AES_LANES_MAX - 1 more queues with the same key length. */
    aes_lane_t lanes[AES_LANES_MAX];
    int picked[AES_LANES_MAX], m = 0;
    const int rounds = work[head[queues[0]]].key->rounds;
    for (int a = 0; a < active && m < AES_LANES_MAX; a++) {
      const int q = queues[a];
      if (work[head[q]].key->rounds != rounds) continue;
      picked[m] = a;
      lanes[m++] = work[head[q]];
    }
    aes_cbc_lanes(lanes, m);
    int jobs[AES_LANES_MAX];
    for (int l = 0; l < m; l++) jobs[l] = head[queues[picked[l]]];
    done(arg, jobs, m);
    for (int l = 0; l < m; l++) head[queues[picked[l]]] = next[jobs[l]];
    /* Drop the queues that ran dry, keeping the others in order. */
    int kept = 0;
    for (int a = 0; a < active; a++)
      if (head[queues[a]] >= 0) queues[kept++] = queues[a];
    active = kept;
  }
}
