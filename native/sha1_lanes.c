/*
 * HMAC-SHA1 on SHA-NI, one message or two interleaved; see sha1_lanes.h for why. The
 * compression follows FIPS 180-4 §6.1.2 on the SHA extensions (Intel, "New Instructions
 * Supporting the Secure Hash Algorithm on Intel Architecture Processors", 2013); the tests
 * compare every ICV with OpenSSL's HMAC.
 */
#include "sha1_lanes.h"
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define SHANI __attribute__((target("sha,sse4.1,ssse3")))

int sha1_lanes_ok(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
}

/* A message's 64-byte blocks: its whole blocks in place, then up to two tail blocks (the
 * rest of the message, the 0x80 byte, zeros and the bit length). */
typedef struct {
  const unsigned char *body;
  size_t whole;
  unsigned char tail[128];
  size_t blocks;
} blocks_t;

/* `prefix` bytes (the pad block) were hashed before the message. */
static void blocks_of(blocks_t *b, const unsigned char *msg, size_t len, size_t prefix) {
  b->body = msg;
  b->whole = len / 64;
  const size_t rest = len % 64;
  const size_t tail = rest + 9 <= 64 ? 64 : 128;
  memset(b->tail, 0, tail);
  if (rest > 0) memcpy(b->tail, msg + b->whole * 64, rest);
  b->tail[rest] = 0x80;
  const uint64_t bits = (uint64_t)(prefix + len) * 8;
  for (int i = 0; i < 8; i++) b->tail[tail - 1 - i] = (unsigned char)(bits >> (8 * i));
  b->blocks = b->whole + tail / 64;
}

static const unsigned char *block_at(const blocks_t *b, size_t k) {
  return k < b->whole ? b->body + k * 64 : b->tail + (k - b->whole) * 64;
}

/*
 * Four rounds (group g of 20) of one message: its schedule M (W[4g..4g+3] in M[g % 4],
 * computed from the four groups before for g >= 4), E the fifth working word plus W, EP
 * the working state before the previous group. sha1rnds4 takes its function as an
 * immediate, hence macros unrolled by group.
 */
#define SCHEDULE(M, g) \
  M[(g) & 3] = _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(M[(g) & 3], M[((g) + 1) & 3]), M[((g) + 2) & 3]), M[((g) + 3) & 3])
#define ROUNDS4(ABCD, E, EP, M, g, f)                                              \
  do {                                                                             \
    if ((g) >= 4) SCHEDULE(M, g);                                                  \
    E = (g) == 0 ? _mm_add_epi32(E, M[0]) : _mm_sha1nexte_epu32(EP, M[(g) & 3]);   \
    EP = ABCD;                                                                     \
    ABCD = _mm_sha1rnds4_epu32(ABCD, E, f);                                        \
  } while (0)
#define ALL_GROUPS(X)                                                                         \
  X(0, 0); X(1, 0); X(2, 0); X(3, 0); X(4, 0); X(5, 1); X(6, 1); X(7, 1); X(8, 1); X(9, 1);   \
  X(10, 2); X(11, 2); X(12, 2); X(13, 2); X(14, 2); X(15, 3); X(16, 3); X(17, 3); X(18, 3); X(19, 3)

/* A message's chaining state: A..D (A in the top lane) and E (in the top lane). */
typedef struct {
  __m128i abcd, e0;
} lane_t;

#define INLINE static inline __attribute__((always_inline))

SHANI INLINE void lane_start(lane_t *s, const uint32_t st[5]) {
  s->abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)st), 0x1b);
  s->e0 = _mm_set_epi32((int)st[4], 0, 0, 0);
}

SHANI INLINE void load_block(__m128i m[4], const unsigned char *block) {
  const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
  for (int i = 0; i < 4; i++) m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * i)), bswap);
}

/* One block of one message. */
SHANI INLINE void block1(lane_t *s, const unsigned char *blk) {
  __m128i m[4], abcd = s->abcd, e = s->e0, ep = s->e0;
  load_block(m, blk);
#define X(g, f) ROUNDS4(abcd, e, ep, m, g, f)
  ALL_GROUPS(X);
#undef X
  s->e0 = _mm_sha1nexte_epu32(ep, s->e0);
  s->abcd = _mm_add_epi32(abcd, s->abcd);
}

/* One block each of two messages, their rounds interleaved. */
SHANI INLINE void block2(lane_t *s, const unsigned char *blk, lane_t *t, const unsigned char *blk2) {
  __m128i m[4], abcd = s->abcd, e = s->e0, ep = s->e0;
  __m128i n[4], abcd2 = t->abcd, e2 = t->e0, ep2 = t->e0;
  load_block(m, blk);
  load_block(n, blk2);
#define X(g, f) ROUNDS4(abcd, e, ep, m, g, f); ROUNDS4(abcd2, e2, ep2, n, g, f)
  ALL_GROUPS(X);
#undef X
  s->e0 = _mm_sha1nexte_epu32(ep, s->e0);
  s->abcd = _mm_add_epi32(abcd, s->abcd);
  t->e0 = _mm_sha1nexte_epu32(ep2, t->e0);
  t->abcd = _mm_add_epi32(abcd2, t->abcd);
}

SHANI static void lane_state(const lane_t *s, uint32_t st[5]) {
  _mm_storeu_si128((__m128i *)st, _mm_shuffle_epi32(s->abcd, 0x1b));
  st[4] = (uint32_t)_mm_extract_epi32(s->e0, 3);
}

SHANI static void lane_digest(const lane_t *s, unsigned char md[20]) {
  uint32_t st[5];
  lane_state(s, st);
  for (int i = 0; i < 5; i++) {
    md[4 * i] = (unsigned char)(st[i] >> 24);
    md[4 * i + 1] = (unsigned char)(st[i] >> 16);
    md[4 * i + 2] = (unsigned char)(st[i] >> 8);
    md[4 * i + 3] = (unsigned char)st[i];
  }
}

/* Hash the block lists of n <= 2 lanes from their states: blocks both lanes have run
 * interleaved, the longer list's rest alone. */
SHANI static void run_blocks(lane_t *s, const blocks_t *const *b, int n) {
  const size_t both = n == 2 ? (b[0]->blocks < b[1]->blocks ? b[0]->blocks : b[1]->blocks) : 0;
  lane_t x = s[0], y = n == 2 ? s[1] : s[0];
  size_t k = 0;
  for (; k < both; k++) block2(&x, block_at(b[0], k), &y, block_at(b[1], k));
  for (size_t j = k; j < b[0]->blocks; j++) block1(&x, block_at(b[0], j));
  if (n == 2)
    for (size_t j = k; j < b[1]->blocks; j++) block1(&y, block_at(b[1], j));
  s[0] = x;
  if (n == 2) s[1] = y;
}

static const uint32_t SHA1_IV[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};

SHANI void hmac_sha1_key(hmac_sha1_key_t *k, const unsigned char k0[64]) {
  unsigned char pad[64];
  for (int w = 0; w < 2; w++) {
    const unsigned char x = w == 0 ? 0x36 : 0x5c;
    for (int i = 0; i < 64; i++) pad[i] = k0[i] ^ x;
    lane_t s;
    lane_start(&s, SHA1_IV);
    blocks_t b = {pad, 1, {0}, 1};
    const blocks_t *bp = &b;
    run_blocks(&s, &bp, 1);
    lane_state(&s, w == 0 ? k->inner : k->outer);
  }
  memset(pad, 0, sizeof pad);
}

SHANI void hmac_sha1_lanes(const hmac_sha1_key_t *const *keys, const unsigned char *const *msg, const size_t *len, unsigned char *const *md, int n) {
  if (n < 1) return;
  if (n > 2) n = 2;
  lane_t s[2];
  blocks_t b[2];
  const blocks_t *bp[2] = {&b[0], &b[1]};
  unsigned char inner[2][20];
  for (int l = 0; l < n; l++) {
    lane_start(&s[l], keys[l]->inner);
    blocks_of(&b[l], msg[l], len[l], 64);
  }
  run_blocks(s, bp, n);
  for (int l = 0; l < n; l++) {
    lane_digest(&s[l], inner[l]);
    lane_start(&s[l], keys[l]->outer);
    blocks_of(&b[l], inner[l], 20, 64);
  }
  run_blocks(s, bp, n);
  for (int l = 0; l < n; l++) lane_digest(&s[l], md[l]);
}

#else

int sha1_lanes_ok(void) {
  return 0;
}

void hmac_sha1_key(hmac_sha1_key_t *k, const unsigned char k0[64]) {
  (void)k;
  (void)k0;
}

void hmac_sha1_lanes(const hmac_sha1_key_t *const *keys, const unsigned char *const *msg, const size_t *len, unsigned char *const *md, int n) {
  (void)keys;
  (void)msg;
  (void)len;
  (void)md;
  (void)n;
}

#endif
