/*
 * vgw_esp: the ESP crypto contexts of one SA, on OpenSSL, as a Node-API addon.
 *
 * Why it exists: node:crypto costs about 1-1.5 us of call overhead per cipher or HMAC
 * object on top of the work itself (measured: HMAC-SHA1 of 1400 bytes 3.0 us through
 * createHmac against 0.8 us in OpenSSL), which caps a simulated gateway with real ESP far
 * below what the machine can encrypt. This addon keeps, per SA, a long-lived cipher
 * context and the HMAC key's inner and outer hash states, and does one packet's work in
 * one call, in place where the bytes allow it. A batch's seals may queue and run together
 * (AES-CBC chains of several SAs at once on AES-NI, native/aes_lanes.c, and their ICVs
 * two at a time on SHA-NI, native/sha1_lanes.c, which also serves every HMAC-SHA1 here).
 *
 * One file of about 800 lines because its parts share one private type, the context
 * (ctx_t), and the argument checks: the per-step primitives (the benchmark's floors), the
 * ESP framing built on them, and the seal queue over the framing.
 *
 * It owns no packet layout: the TypeScript side (sim/ipsec/crypto-native.ts) passes byte
 * ranges and gets the same bytes as the node:crypto and node-forge backends (the shared
 * conformance tests and the tshark capture test check that).
 *
 * OpenSSL: the symbols come from the running node binary, which exports its own
 * libcrypto (the addon does not link one), so it uses whatever OpenSSL 3 that Node was
 * built with. Only stable EVP calls are used. Node-API keeps the binary valid across Node
 * versions (20, 22, 24). Every context belongs to one JS thread (a worker loads its own
 * copy of the module state); nothing here is shared, so nothing takes a lock per packet.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include "lookup.h"
#include "aes_lanes.h"
#include "sha1_lanes.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>
#include <stdlib.h>

#define ICV96 12
#define GCM_TAG 16
#define MAX_MD 64

/* ---- error handling: every misuse is a JS TypeError, never a crash ---- */

#define CHECK(env, call)                                                   \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      napi_throw_error((env), "VGW_NATIVE", "Node-API call failed: " #call); \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, "VGW_NATIVE_ARG", msg);
  return NULL;
}

static napi_value throw_crypto(napi_env env, const char *msg) {
  napi_throw_error(env, "VGW_NATIVE_CRYPTO", msg);
  return NULL;
}

/* A Uint8Array argument as pointer and length. */
static int get_bytes(napi_env env, napi_value v, unsigned char **data, size_t *len) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
  napi_typedarray_type type;
  void *p = NULL;
  size_t n = 0;
  if (napi_get_typedarray_info(env, v, &type, &n, &p, NULL, NULL) != napi_ok) return 0;
  if (type != napi_uint8_array) return 0;
  *data = (unsigned char *)p;
  *len = n;
  return 1;
}

static int get_u32(napi_env env, napi_value v, uint32_t *out) {
  return napi_get_value_uint32(env, v, out) == napi_ok;
}

/* A short string argument (algorithm names). */
static int get_name(napi_env env, napi_value v, char *buf, size_t cap) {
  size_t n = 0;
  return napi_get_value_string_utf8(env, v, buf, cap, &n) == napi_ok && n > 0 && n < cap - 1;
}

/* The (name, key) arguments of hmacContext and gcmContext. */
static int name_key_args(napi_env env, napi_callback_info info, char *name, size_t cap, unsigned char **key, size_t *klen) {
  size_t argc = 2;
  napi_value argv[2];
  return napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= 2 && get_name(env, argv[0], name, cap) &&
         get_bytes(env, argv[1], key, klen);
}

/* ---- contexts ---- */

enum kind { K_CBC = 1, K_HMAC = 2, K_GCM = 3, K_ESP = 4 };

typedef struct ctx ctx_t;
struct ctx {
  int kind;
  EVP_CIPHER_CTX *cipher;     /* CBC (long-lived chain) or GCM (key set once) */
  int block;                  /* CBC block size */
  EVP_MD_CTX *inner, *outer;  /* HMAC: states after the ipad / opad block */
  EVP_MD_CTX *work;           /* HMAC: scratch state, copied into per packet */
  hmac_sha1_key_t *sha;       /* HMAC-SHA1 on a CPU with SHA-NI: the pad states for sha1_lanes.c (NULL: OpenSSL) */
  unsigned int md_len;
  unsigned char salt[4];      /* GCM: the salt of the nonce, salt ‖ 8-byte IV (RFC 4106 §4) */
  /* ESP: one SA's framing and its contexts (owned). */
  ctx_t *enc, *dec, *mac, *gcm;
  uint32_t spi, src, dst;
  int iv_len, icv_len, pad_align;
  /* ESP with AES-CBC on a CPU with AES-NI: the outbound chain runs on aes_lanes.c instead
   * of `enc` (so that queued packets of several SAs encrypt together), from this key and
   * this chain block. NULL otherwise. */
  aes_lane_key_t *lane_key;
  unsigned char chain[16];
};

static void flush_seals(void);

static void ctx_free(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  ctx_t *c = (ctx_t *)data;
  if (!c) return;
  /* A queued seal may name this context: finish the queue first. */
  if (c->lane_key) flush_seals();
  free(c->lane_key);
  free(c->sha);
  if (c->cipher) EVP_CIPHER_CTX_free(c->cipher);
  if (c->inner) EVP_MD_CTX_free(c->inner);
  if (c->outer) EVP_MD_CTX_free(c->outer);
  if (c->work) EVP_MD_CTX_free(c->work);
  ctx_free(env, c->enc, NULL);
  ctx_free(env, c->dec, NULL);
  ctx_free(env, c->mac, NULL);
  ctx_free(env, c->gcm, NULL);
  free(c);
}

static napi_value wrap(napi_env env, ctx_t *c) {
  napi_value ext;
  if (napi_create_external(env, c, ctx_free, NULL, &ext) != napi_ok) {
    ctx_free(env, c, NULL);
    napi_throw_error(env, "VGW_NATIVE", "cannot create the context object");
    return NULL;
  }
  return ext;
}

static ctx_t *unwrap(napi_env env, napi_value v, int kind) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_external) return NULL;
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok || !p) return NULL;
  ctx_t *c = (ctx_t *)p;
  return c->kind == kind ? c : NULL;
}

/* The n arguments of a call whose first is a context of `kind`: that context, or NULL
 * (fewer arguments, another kind, not a context). */
static ctx_t *ctx_args(napi_env env, napi_callback_info info, napi_value *argv, size_t n, int kind) {
  size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < n) return NULL;
  return unwrap(env, argv[0], kind);
}

static const EVP_CIPHER *cipher_by_name(const char *name) {
  if (!strcmp(name, "aes-256-cbc")) return EVP_aes_256_cbc();
  if (!strcmp(name, "aes-128-cbc")) return EVP_aes_128_cbc();
  if (!strcmp(name, "aes-192-cbc")) return EVP_aes_192_cbc();
  if (!strcmp(name, "des-ede3-cbc")) return EVP_des_ede3_cbc();
  if (!strcmp(name, "aes-256-gcm")) return EVP_aes_256_gcm();
  if (!strcmp(name, "aes-128-gcm")) return EVP_aes_128_gcm();
  return NULL;
}

/* Why a context could not be made: an argument (TypeError) or OpenSSL (Error). */
typedef struct {
  const char *msg;
  int type;
} err_t;

static ctx_t *fail(err_t *e, ctx_t *c, const char *msg, int type) {
  ctx_free(NULL, c, NULL);
  e->msg = msg;
  e->type = type;
  return NULL;
}

static napi_value throw_err(napi_env env, const err_t *e) {
  return e->type ? throw_type(env, e->msg) : throw_crypto(env, e->msg);
}

/* A made context as a JS value, or the exception for why it was not made. */
static napi_value made(napi_env env, ctx_t *c, const err_t *e) {
  return c ? wrap(env, c) : throw_err(env, e);
}

/* A CBC context whose chain starts at iv. */
static ctx_t *new_cbc(const EVP_CIPHER *cipher, const unsigned char *key, size_t klen, const unsigned char *iv, size_t ivlen, int decrypt, err_t *e) {
  if (!cipher || EVP_CIPHER_get_mode(cipher) != EVP_CIPH_CBC_MODE) return fail(e, NULL, "not a CBC cipher", 1);
  if ((int)klen != EVP_CIPHER_get_key_length(cipher) || (int)ivlen != EVP_CIPHER_get_iv_length(cipher))
    return fail(e, NULL, "wrong key or IV length", 1);
  ctx_t *c = (ctx_t *)calloc(1, sizeof *c);
  if (!c) return fail(e, NULL, "out of memory", 0);
  c->kind = K_CBC;
  c->block = EVP_CIPHER_get_block_size(cipher);
  c->cipher = EVP_CIPHER_CTX_new();
  if (!c->cipher || EVP_CipherInit_ex(c->cipher, cipher, NULL, key, iv, decrypt ? 0 : 1) != 1 ||
      EVP_CIPHER_CTX_set_padding(c->cipher, 0) != 1)
    return fail(e, c, "cannot start the CBC context", 0);
  return c;
}

/* cbcContext(cipher, key, iv, decrypt): a CBC context whose chain starts at iv. */
static napi_value cbc_context(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char name[32];
  unsigned char *key, *iv;
  size_t klen, ivlen;
  bool decrypt = false;
  if (argc < 4 || !get_name(env, argv[0], name, sizeof name) || !get_bytes(env, argv[1], &key, &klen) ||
      !get_bytes(env, argv[2], &iv, &ivlen) || napi_get_value_bool(env, argv[3], &decrypt) != napi_ok)
    return throw_type(env, "cbcContext(cipher, key, iv, decrypt)");
  err_t e;
  return made(env, new_cbc(cipher_by_name(name), key, klen, iv, ivlen, decrypt, &e), &e);
}

/* A byte range [start, end) of a Uint8Array argument, checked. */
static int get_range(napi_env env, napi_value buf, napi_value vs, napi_value ve, unsigned char **p, size_t *len) {
  unsigned char *data;
  size_t n;
  uint32_t a, b;
  if (!get_bytes(env, buf, &data, &n) || !get_u32(env, vs, &a) || !get_u32(env, ve, &b) || a > b || b > n) return 0;
  *p = data + a;
  *len = b - a;
  return 1;
}

/* Room for `need` bytes at out[offset..] of a Uint8Array argument. */
static int get_room(napi_env env, napi_value buf, napi_value voff, size_t need, unsigned char **p) {
  unsigned char *data;
  size_t n;
  uint32_t off;
  if (!get_bytes(env, buf, &data, &n) || !get_u32(env, voff, &off) || off > n || n - off < need) return 0;
  *p = data + off;
  return 1;
}

static int overlaps(const unsigned char *a, const unsigned char *b, size_t n) {
  return a != b && a < b + n && b < a + n;
}

/* cbcUpdate(ctx, buf, start, end, out, offset): continue the chain over buf[start, end),
 * writing to out[offset..] (out may be buf at offset start: in place). The length is a
 * multiple of the block size. */
static napi_value cbc_update(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  unsigned char *in, *dst;
  size_t inlen;
  ctx_t *c = ctx_args(env, info, argv, 6, K_CBC);
  if (!c || !get_range(env, argv[1], argv[2], argv[3], &in, &inlen))
    return throw_type(env, "cbcUpdate(ctx, buf, start, end, out, offset)");
  if (inlen % (size_t)c->block != 0 || inlen > 0x7fffffff) return throw_type(env, "CBC data not a multiple of the block size");
  if (!get_room(env, argv[4], argv[5], inlen, &dst)) return throw_type(env, "cbcUpdate: out too small");
  /* EVP allows in == out exactly; a partial overlap would corrupt the chain. */
  if (overlaps(dst, in, inlen)) return throw_type(env, "cbcUpdate: out overlaps data");
  int n = 0;
  if (inlen > 0 && (EVP_CipherUpdate(c->cipher, dst, &n, in, (int)inlen) != 1 || (size_t)n != inlen))
    return throw_crypto(env, "CBC update failed");
  return NULL;
}

/* The inner and outer states of HMAC under key (RFC 2104); hash "sha1" or "md5". */
static ctx_t *new_hmac(const char *name, const unsigned char *key, size_t klen, err_t *e) {
  const EVP_MD *md = !strcmp(name, "sha1") ? EVP_sha1() : !strcmp(name, "md5") ? EVP_md5() : NULL;
  if (!md) return fail(e, NULL, "hash must be sha1 or md5", 1);
  const int bs = EVP_MD_get_block_size(md);
  unsigned char k0[128], pad[128];
  memset(k0, 0, sizeof k0);
  if (bs <= 0 || bs > (int)sizeof k0) return fail(e, NULL, "unexpected hash block size", 0);
  if (klen > (size_t)bs) {
    unsigned int n = 0;
    if (EVP_Digest(key, klen, k0, &n, md, NULL) != 1) return fail(e, NULL, "cannot hash the HMAC key", 0);
  } else if (klen > 0) {
    memcpy(k0, key, klen);
  }
  ctx_t *c = (ctx_t *)calloc(1, sizeof *c);
  if (!c) return fail(e, NULL, "out of memory", 0);
  c->kind = K_HMAC;
  c->md_len = (unsigned int)EVP_MD_get_size(md);
  c->inner = EVP_MD_CTX_new();
  c->outer = EVP_MD_CTX_new();
  c->work = EVP_MD_CTX_new();
  int ok = c->inner && c->outer && c->work && c->md_len >= ICV96 && c->md_len <= MAX_MD;
  for (int i = 0; ok && i < bs; i++) pad[i] = k0[i] ^ 0x36;
  ok = ok && EVP_DigestInit_ex(c->inner, md, NULL) == 1 && EVP_DigestUpdate(c->inner, pad, (size_t)bs) == 1;
  for (int i = 0; ok && i < bs; i++) pad[i] = k0[i] ^ 0x5c;
  ok = ok && EVP_DigestInit_ex(c->outer, md, NULL) == 1 && EVP_DigestUpdate(c->outer, pad, (size_t)bs) == 1;
  ok = ok && EVP_MD_CTX_copy_ex(c->work, c->inner) == 1;
  if (ok && md == EVP_sha1() && sha1_lanes_ok()) {
    c->sha = (hmac_sha1_key_t *)calloc(1, sizeof *c->sha);
    if (c->sha) hmac_sha1_key(c->sha, k0);
  }
  memset(k0, 0, sizeof k0);
  memset(pad, 0, sizeof pad);
  return ok ? c : fail(e, c, "cannot start the HMAC context", 0);
}

/* hmacContext(hash, key): the inner and outer states of HMAC under key (RFC 2104). */
static napi_value hmac_context(napi_env env, napi_callback_info info) {
  char name[16];
  unsigned char *key;
  size_t klen;
  if (!name_key_args(env, info, name, sizeof name, &key, &klen)) return throw_type(env, "hmacContext(hash, key)");
  err_t e;
  return made(env, new_hmac(name, key, klen, &e), &e);
}

/* HMAC of data into md (c->md_len bytes): inner state + data, then outer state + inner digest. */
static int hmac_full(ctx_t *c, const unsigned char *data, size_t len, unsigned char *md) {
  if (c->sha) {
    const hmac_sha1_key_t *k = c->sha;
    hmac_sha1_lanes(&k, &data, &len, &md, 1);
    return 1;
  }
  unsigned int n = 0;
  return EVP_MD_CTX_copy_ex(c->work, c->inner) == 1 && EVP_DigestUpdate(c->work, data, len) == 1 &&
         EVP_DigestFinal_ex(c->work, md, &n) == 1 && EVP_MD_CTX_copy_ex(c->work, c->outer) == 1 &&
         EVP_DigestUpdate(c->work, md, n) == 1 && EVP_DigestFinal_ex(c->work, md, &n) == 1;
}

/* Whether two 12-byte ICVs are equal, without early exit (timing is moot in a simulator, but it costs nothing). */
static int icv96_equal(const unsigned char *a, const unsigned char *b) {
  unsigned char d = 0;
  for (size_t i = 0; i < ICV96; i++) d |= a[i] ^ b[i];
  return d == 0;
}

/* The shared part of hmac96 and hmac96Verify: arguments (ctx, buf, start, end, other,
 * otherOffset) with 12 bytes of room at other[otherOffset..], and HMAC(buf[start, end))
 * in md. 0 when an exception was thrown. */
static int hmac_args(napi_env env, napi_callback_info info, const char *usage, unsigned char *md, unsigned char **other) {
  napi_value argv[6];
  unsigned char *data;
  size_t len;
  ctx_t *c = ctx_args(env, info, argv, 6, K_HMAC);
  if (!c || !get_range(env, argv[1], argv[2], argv[3], &data, &len) || !get_room(env, argv[4], argv[5], ICV96, other)) {
    throw_type(env, usage);
    return 0;
  }
  if (!hmac_full(c, data, len, md)) {
    throw_crypto(env, "HMAC failed");
    return 0;
  }
  return 1;
}

/* hmac96(ctx, buf, start, end, out, offset): the first 12 bytes of HMAC(buf[start, end)) into out[offset..]. */
static napi_value hmac96(napi_env env, napi_callback_info info) {
  unsigned char md[MAX_MD], *dst;
  if (hmac_args(env, info, "hmac96(ctx, buf, start, end, out, offset)", md, &dst)) memcpy(dst, md, ICV96);
  return NULL;
}

/* hmac96Verify(ctx, buf, start, end, icv, icvOffset): whether the first 12 bytes of
 * HMAC(buf[start, end)) equal icv[icvOffset, icvOffset + 12). */
static napi_value hmac96_verify(napi_env env, napi_callback_info info) {
  unsigned char md[MAX_MD], *icv;
  if (!hmac_args(env, info, "hmac96Verify(ctx, buf, start, end, icv, icvOffset)", md, &icv)) return NULL;
  napi_value r;
  CHECK(env, napi_get_boolean(env, icv96_equal(md, icv), &r));
  return r;
}

/* A GCM context for ESP's key material (RFC 4106 §8.1: the key then a 4-byte salt), the
 * key schedule done once. */
static ctx_t *new_gcm(const EVP_CIPHER *cipher, const unsigned char *key, size_t klen, err_t *e) {
  if (!cipher || EVP_CIPHER_get_mode(cipher) != EVP_CIPH_GCM_MODE) return fail(e, NULL, "not a GCM cipher", 1);
  if ((int)klen != EVP_CIPHER_get_key_length(cipher) + 4) return fail(e, NULL, "wrong GCM key length (the key and a 4-byte salt)", 1);
  ctx_t *c = (ctx_t *)calloc(1, sizeof *c);
  if (!c) return fail(e, NULL, "out of memory", 0);
  c->kind = K_GCM;
  memcpy(c->salt, key + klen - 4, 4);
  c->cipher = EVP_CIPHER_CTX_new();
  /* Encrypt direction for the key schedule; each packet sets its direction and nonce. */
  if (!c->cipher || EVP_CipherInit_ex(c->cipher, cipher, NULL, key, NULL, 1) != 1) return fail(e, c, "cannot start the GCM context", 0);
  return c;
}

/* gcmContext(cipher, keyAndSalt): a GCM context for ESP's key material. */
static napi_value gcm_context(napi_env env, napi_callback_info info) {
  char name[32];
  unsigned char *key;
  size_t klen;
  if (!name_key_args(env, info, name, sizeof name, &key, &klen)) return throw_type(env, "gcmContext(cipher, keyAndSalt)");
  err_t e;
  return made(env, new_gcm(cipher_by_name(name), key, klen, &e), &e);
}

/* One GCM operation on c's key: nonce salt ‖ iv[0, 8) (RFC 4106 §4), AAD aad[0, alen), the
 * text in[0, len) to dst (in place allowed). Sealing writes the 16-byte tag to tag; opening
 * checks the tag read from tag (copied by the caller before dst can overwrite it).
 * 1: done (open: verified); 0: the tag did not verify; -1: OpenSSL failed. */
static int gcm_do(ctx_t *c, int seal, const unsigned char *iv, const unsigned char *aad, size_t alen, const unsigned char *in,
                  size_t len, unsigned char *dst, unsigned char *tag) {
  unsigned char nonce[12];
  memcpy(nonce, c->salt, 4);
  memcpy(nonce + 4, iv, 8);
  int n = 0;
  if (EVP_CipherInit_ex(c->cipher, NULL, NULL, NULL, nonce, seal) != 1 ||
      (alen > 0 && EVP_CipherUpdate(c->cipher, NULL, &n, aad, (int)alen) != 1) ||
      (len > 0 && EVP_CipherUpdate(c->cipher, dst, &n, in, (int)len) != 1) ||
      (!seal && EVP_CIPHER_CTX_ctrl(c->cipher, EVP_CTRL_GCM_SET_TAG, GCM_TAG, tag) != 1))
    return -1;
  /* GCM's final step writes no bytes: it makes (seal) or checks (open) the tag. */
  unsigned char none[GCM_TAG];
  int ok = EVP_CipherFinal_ex(c->cipher, none, &n) == 1;
  if (!seal) return ok;
  return ok && EVP_CIPHER_CTX_ctrl(c->cipher, EVP_CTRL_GCM_GET_TAG, GCM_TAG, tag) == 1 ? 1 : -1;
}

/* The one GCM call behind gcmSeal and gcmOpen, which take the same arguments (ctx, buf,
 * aadStart, aadEnd, ivStart, start, end, out, offset): the nonce is salt ‖ buf[ivStart, +8),
 * the AAD buf[aadStart, aadEnd), the text buf[start, end) and its result goes to
 * out[offset..] (in place allowed). Sealing writes the 16-byte tag after the ciphertext;
 * opening checks the tag at buf[end..] and answers whether it verified (out then holds
 * nothing of use when it did not). */
static napi_value gcm_run(napi_env env, napi_callback_info info, int seal) {
  napi_value argv[9];
  unsigned char tag[GCM_TAG], *aad, *in, *dst, *buf;
  size_t alen, len, blen;
  uint32_t end, iv;
  ctx_t *c = ctx_args(env, info, argv, 9, K_GCM);
  if (!c || !get_range(env, argv[1], argv[2], argv[3], &aad, &alen) || !get_bytes(env, argv[1], &buf, &blen) ||
      !get_u32(env, argv[4], &iv) || iv > blen || blen - iv < 8 ||
      !get_range(env, argv[1], argv[5], argv[6], &in, &len) || !get_u32(env, argv[6], &end) ||
      (!seal && blen - end < GCM_TAG) || len > 0x7fffffff || alen > 0x7fffffff ||
      !get_room(env, argv[7], argv[8], len + (seal ? GCM_TAG : 0), &dst))
    return throw_type(env, seal ? "gcmSeal(ctx, buf, aadStart, aadEnd, ivStart, start, end, out, offset)"
                                : "gcmOpen(ctx, buf, aadStart, aadEnd, ivStart, start, end, out, offset) with a 16-byte tag at buf[end..]");
  if (overlaps(dst, in, len)) return throw_type(env, seal ? "gcmSeal: out overlaps the plaintext" : "gcmOpen: out overlaps the ciphertext");
  if (!seal) memcpy(tag, buf + end, GCM_TAG); /* before the output can overwrite it */
  int r = gcm_do(c, seal, buf + iv, aad, alen, in, len, dst, tag);
  if (r < 0) return throw_crypto(env, seal ? "GCM seal failed" : "GCM open failed");
  if (seal) {
    memcpy(dst + len, tag, GCM_TAG);
    return NULL;
  }
  napi_value res;
  CHECK(env, napi_get_boolean(env, r == 1, &res));
  return res;
}

static napi_value gcm_seal(napi_env env, napi_callback_info info) {
  return gcm_run(env, info, 1);
}

static napi_value gcm_open(napi_env env, napi_callback_info info) {
  return gcm_run(env, info, 0);
}

/* ---- ESP framing: one SA's whole transform, one call per packet ----
 *
 * The same layout and checks as sim/ipsec/esp.ts (which documents them and drives these
 * calls; the tests hold the two to the same bytes and the same verdicts):
 *
 *   outer IPv4 (proto 50) | SPI | seq | IV | E( inner | pad 1,2,3.. | pad len | 4 ) | ICV
 *
 * The caller keeps the SA's state (sequence numbers, the IV source, the replay window,
 * counters) and writes each packet's IV; the addon writes everything else. */

#define IP_HDR 20
#define ESP_HDR 8
#define NEXT_HEADER_IPV4 4
#define IPPROTO_ESP_ 50

static void put16(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 8);
  p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

/* espContext(cipher, hash, encKey, authKey, chain, spi, src, dst): cipher is a CBC or GCM
 * name or "" for NULL encryption, hash "sha1" | "md5" | "" (GCM). encKey is key ‖ salt for
 * GCM; the outbound CBC chain continues from the block `chain` (esp.ts: the IV method). */
static napi_value esp_context(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char cname[32] = "", hname[16] = "";
  size_t n = 0, klen, alen, clen;
  unsigned char *key, *akey, *chain;
  uint32_t spi, src, dst;
  if (argc < 8 || napi_get_value_string_utf8(env, argv[0], cname, sizeof cname, &n) != napi_ok || n >= sizeof cname - 1 ||
      napi_get_value_string_utf8(env, argv[1], hname, sizeof hname, &n) != napi_ok || n >= sizeof hname - 1 ||
      !get_bytes(env, argv[2], &key, &klen) || !get_bytes(env, argv[3], &akey, &alen) || !get_bytes(env, argv[4], &chain, &clen) ||
      !get_u32(env, argv[5], &spi) || !get_u32(env, argv[6], &src) || !get_u32(env, argv[7], &dst))
    return throw_type(env, "espContext(cipher, hash, encKey, authKey, chain, spi, src, dst)");
  const EVP_CIPHER *cipher = cname[0] ? cipher_by_name(cname) : NULL;
  if (cname[0] && !cipher) return throw_type(env, "unknown cipher");
  const int gcm = cipher && EVP_CIPHER_get_mode(cipher) == EVP_CIPH_GCM_MODE;
  if (gcm == (hname[0] != 0) || (!cipher && !hname[0])) return throw_type(env, "espContext: GCM takes no hash; CBC and NULL need one");
  ctx_t *c = (ctx_t *)calloc(1, sizeof *c);
  if (!c) return throw_crypto(env, "out of memory");
  c->kind = K_ESP;
  c->spi = spi;
  c->src = src;
  c->dst = dst;
  err_t e = {NULL, 0};
  if (gcm) {
    c->gcm = new_gcm(cipher, key, klen, &e);
    c->iv_len = 8;
    c->icv_len = GCM_TAG;
    c->pad_align = 4;
  } else {
    if (cipher) {
      c->enc = new_cbc(cipher, key, klen, chain, clen, 0, &e);
      if (c->enc) c->dec = new_cbc(cipher, key, klen, chain, clen, 1, &e);
      if (c->enc && c->enc->block == 16 && (cipher == EVP_aes_128_cbc() || cipher == EVP_aes_256_cbc())) {
        aes_lane_key_t *k = (aes_lane_key_t *)calloc(1, sizeof *k);
        if (k && aes_lane_key(k, key, klen)) {
          c->lane_key = k;
          memcpy(c->chain, chain, 16);
        } else {
          free(k);
        }
      }
      c->iv_len = c->enc ? c->enc->block : 0;
      c->pad_align = c->iv_len > 4 ? c->iv_len : 4;
    } else {
      if (klen != 0) e = (err_t){"NULL encryption takes no key", 1};
      c->pad_align = 4;
    }
    if (!e.msg) c->mac = new_hmac(hname, akey, alen, &e);
    c->icv_len = ICV96;
  }
  if (e.msg) {
    ctx_free(env, c, NULL);
    return throw_err(env, &e);
  }
  return wrap(env, c);
}

/* ---- sealing: framing now, the CBC encryption and ICV now or queued ----
 *
 * espSeal seals one packet. espSealQueued frames the packet at once and, for an SA whose
 * chain runs on AES-NI, queues its encryption and ICV: espFlush (or any call that needs the
 * chains: espSeal, espChain, freeing a context) runs the queue, encrypting packets of
 * different SAs together (aes_lanes.c) and each SA's packets in the order queued, so the
 * bytes are the ones one espSeal per packet writes. Until the flush, the queued packets'
 * ESP part (from the SPI on) holds plaintext; the caller keeps their arrays alive until then.
 * The queue belongs to the JS thread that filled it (a worker has its own). */

typedef struct {
  ctx_t *c;
  unsigned char *esp, *icv;
} seal_job_t;

static _Thread_local seal_job_t seal_jobs[AES_QUEUE_MAX];
static _Thread_local aes_lane_t seal_lanes[AES_QUEUE_MAX];
static _Thread_local int seal_queued;
/* Whether an ICV of a queued packet could not be computed (OpenSSL failed): espFlush throws. */
static _Thread_local int seal_failed;

/* The ICV of a packet whose encryption is done: HMAC(SPI .. ciphertext), 96 bits. */
static int seal_icv(ctx_t *c, unsigned char *esp, unsigned char *icv) {
  unsigned char md[MAX_MD];
  if (!hmac_full(c->mac, esp, (size_t)(icv - esp), md)) return 0;
  memcpy(icv, md, ICV96);
  return 1;
}

/* The ICVs of a group of queued packets just encrypted: HMAC-SHA1 two at a time on SHA-NI. */
static void seal_group_done(void *arg, const int *jobs, int m) {
  (void)arg;
  int l = 0;
  for (; l + 1 < m; l += 2) {
    const seal_job_t *a = &seal_jobs[jobs[l]], *b = &seal_jobs[jobs[l + 1]];
    if (!a->c->mac->sha || !b->c->mac->sha) break;
    const hmac_sha1_key_t *keys[2] = {a->c->mac->sha, b->c->mac->sha};
    const unsigned char *msg[2] = {a->esp, b->esp};
    const size_t len[2] = {(size_t)(a->icv - a->esp), (size_t)(b->icv - b->esp)};
    unsigned char md[2][20], *mds[2] = {md[0], md[1]};
    hmac_sha1_lanes(keys, msg, len, mds, 2);
    memcpy(a->icv, md[0], ICV96);
    memcpy(b->icv, md[1], ICV96);
  }
  for (; l < m; l++)
    if (!seal_icv(seal_jobs[jobs[l]].c, seal_jobs[jobs[l]].esp, seal_jobs[jobs[l]].icv)) seal_failed = 1;
}

static void flush_seals(void) {
  const int n = seal_queued;
  seal_queued = 0;
  aes_cbc_queue(seal_lanes, n, seal_group_done, NULL);
}

/* The framing of espSeal and espSealQueued (their arguments: ctx, inner, out, offset, seq,
 * hdr): everything but the encryption and the ICV. The context, or NULL after throwing;
 * `esp`, `iv` (where IV ‖ plaintext starts: CBC encrypts it whole), `plain` (the padded
 * plaintext's length) and `icv` locate the parts. */
static ctx_t *seal_frame(napi_env env, napi_callback_info info, const char *usage, unsigned char **esp_out, unsigned char **iv_out,
                         size_t *plain_out, unsigned char **icv_out) {
  napi_value argv[6];
  unsigned char *in, *out;
  size_t inlen, outlen;
  uint32_t off, seq, hdr;
  ctx_t *c = ctx_args(env, info, argv, 6, K_ESP);
  if (!c || !get_bytes(env, argv[1], &in, &inlen) || !get_bytes(env, argv[2], &out, &outlen) || !get_u32(env, argv[3], &off) ||
      !get_u32(env, argv[4], &seq) || !get_u32(env, argv[5], &hdr) || (hdr & 3) == 3) {
    throw_type(env, usage);
    return NULL;
  }
  const size_t a = (size_t)c->pad_align;
  const size_t plain = (inlen + 2 + a - 1) / a * a;
  const size_t total = IP_HDR + ESP_HDR + (size_t)c->iv_len + plain + (size_t)c->icv_len;
  if (total > 65535 || off > outlen || outlen - off < total) {
    throw_type(env, "espSeal: out too small, or the packet over 65535 bytes");
    return NULL;
  }
  unsigned char *p = out + off;
  if (p < in + inlen && in < p + total) {
    throw_type(env, "espSeal: out overlaps the inner packet");
    return NULL;
  }

  const int dfmode = (int)(hdr & 3);
  const int df = dfmode == 1 || (dfmode == 0 && inlen >= 7 && (in[6] & 0x40));
  p[0] = 0x45;
  p[1] = inlen >= 2 ? in[1] : 0;
  put16(p + 2, (uint32_t)total);
  put16(p + 4, hdr >> 16);
  p[6] = df ? 0x40 : 0;
  p[7] = 0;
  p[8] = (unsigned char)(hdr >> 8);
  p[9] = IPPROTO_ESP_;
  p[10] = p[11] = 0;
  put32(p + 12, c->src);
  put32(p + 16, c->dst);
  uint32_t sum = 0;
  for (int i = 0; i < IP_HDR; i += 2) sum += (uint32_t)p[i] << 8 | p[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  put16(p + 10, ~sum & 0xffff);

  unsigned char *esp = p + IP_HDR, *iv = esp + ESP_HDR, *ct = iv + c->iv_len, *icv = ct + plain;
  put32(esp, c->spi);
  put32(esp + 4, seq);
  if (inlen > 0) memcpy(ct, in, inlen); /* an empty array may have no data pointer */
  const size_t pad = plain - inlen - 2;
  for (size_t i = 0; i < pad; i++) ct[inlen + i] = (unsigned char)(i + 1);
  ct[plain - 2] = (unsigned char)pad;
  ct[plain - 1] = NEXT_HEADER_IPV4;
  *esp_out = esp;
  *iv_out = iv;
  *plain_out = plain;
  *icv_out = icv;
  return c;
}

/* The encryption and ICV of a framed packet, now. */
static napi_value seal_now(napi_env env, ctx_t *c, unsigned char *esp, unsigned char *iv, size_t plain, unsigned char *icv) {
  if (c->gcm) {
    if (gcm_do(c->gcm, 1, iv, esp, ESP_HDR, iv + c->iv_len, plain, iv + c->iv_len, icv) != 1) return throw_crypto(env, "GCM seal failed");
    return NULL;
  }
  /* CBC: R ‖ plaintext through the SA's chain gives IV ‖ ciphertext (esp.ts). */
  const int clen = c->iv_len + (int)plain;
  if (c->lane_key) {
    if (seal_queued > 0) flush_seals(); /* packets queued earlier come first in their chains */
    aes_lane_t lane = {c->lane_key, iv, (size_t)clen / 16, c->chain};
    aes_cbc_lanes(&lane, 1);
  } else {
    int n = 0;
    if (c->enc && (EVP_CipherUpdate(c->enc->cipher, iv, &n, iv, clen) != 1 || n != clen)) return throw_crypto(env, "CBC update failed");
  }
  if (!seal_icv(c, esp, icv)) return throw_crypto(env, "HMAC failed");
  return NULL;
}

/* espSeal(ctx, inner, out, offset, seq, hdr): the ESP packet of `inner` (an IPv4 packet)
 * at out[offset..], whose IV the caller wrote at out[offset + 28..]. hdr packs the outer
 * header's identification (bits 31-16), TTL (15-8) and DF (bits 1-0: 0 copy the inner DF,
 * 1 set, 2 clear); the TOS is copied from the inner packet (RFC 4301 §5.1.2.1). */
static napi_value esp_seal(napi_env env, napi_callback_info info) {
  unsigned char *esp, *iv, *icv;
  size_t plain;
  ctx_t *c = seal_frame(env, info, "espSeal(ctx, inner, out, offset, seq, hdr)", &esp, &iv, &plain, &icv);
  return c ? seal_now(env, c, esp, iv, plain, icv) : NULL;
}

/* espSealQueued(ctx, inner, out, offset, seq, hdr): espSeal, with the encryption and ICV
 * queued until espFlush when the SA's chain runs on AES-NI (done at once otherwise). */
static napi_value esp_seal_queued(napi_env env, napi_callback_info info) {
  unsigned char *esp, *iv, *icv;
  size_t plain;
  ctx_t *c = seal_frame(env, info, "espSealQueued(ctx, inner, out, offset, seq, hdr)", &esp, &iv, &plain, &icv);
  if (!c) return NULL;
  if (!c->lane_key) return seal_now(env, c, esp, iv, plain, icv);
  if (seal_queued == AES_QUEUE_MAX) flush_seals();
  seal_jobs[seal_queued] = (seal_job_t){c, esp, icv};
  seal_lanes[seal_queued] = (aes_lane_t){c->lane_key, iv, ((size_t)c->iv_len + plain) / 16, c->chain};
  seal_queued++;
  return NULL;
}

/* espFlush(): finish every queued seal. */
static napi_value esp_flush(napi_env env, napi_callback_info info) {
  (void)info;
  flush_seals();
  if (seal_failed) {
    seal_failed = 0;
    return throw_crypto(env, "HMAC failed");
  }
  return NULL;
}

/* espOpen(ctx, buf, start, end, out, offset): the ESP part buf[start, end) (SPI to ICV),
 * already checked by the caller for its SA and lengths. Verifies the ICV, decrypts to
 * out[offset..] and checks the trailer. The inner packet's length, its first byte at
 * out[offset + IV length] for CBC (the chain's first block decrypts the IV) and at
 * out[offset] otherwise; -1 when the ICV does not verify; -2 when it does but the padding
 * or next header is wrong (the caller says which from the plaintext in out). */
static napi_value esp_open(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  unsigned char *esp, *dst;
  size_t len;
  ctx_t *c = ctx_args(env, info, argv, 6, K_ESP);
  const size_t fixed = ESP_HDR + (size_t)(c ? c->iv_len + c->icv_len : 0);
  const size_t a = c ? (size_t)c->pad_align : 1;
  /* Room: CBC decrypts IV ‖ ciphertext, the others the ciphertext alone. */
  if (!c || !get_range(env, argv[1], argv[2], argv[3], &esp, &len) || len < fixed + a || len > 65535 || (len - fixed) % a != 0 ||
      !get_room(env, argv[4], argv[5], len - fixed + (size_t)(c->dec ? c->iv_len : 0), &dst))
    return throw_type(env, "espOpen(ctx, buf, start, end, out, offset) on an ESP payload of whole blocks, at most 65535 bytes");
  const size_t ctlen = len - fixed;
  unsigned char *iv = esp + ESP_HDR, *ct = iv + c->iv_len, *icv = ct + ctlen;
  if (dst < esp + len && esp < dst + ctlen + (size_t)c->iv_len) return throw_type(env, "espOpen: out overlaps the packet");
  unsigned char *plain = dst;
  int32_t r;
  if (c->gcm) {
    /* The tag is read in place: out cannot overlap the packet (checked above). */
    const int ok = gcm_do(c->gcm, 0, iv, esp, ESP_HDR, ct, ctlen, dst, icv);
    if (ok < 0) return throw_crypto(env, "GCM open failed");
    r = ok ? 0 : -1;
  } else {
    unsigned char md[MAX_MD];
    if (!hmac_full(c->mac, esp, (size_t)(icv - esp), md)) return throw_crypto(env, "HMAC failed");
    r = icv96_equal(md, icv) ? 0 : -1;
    int n = 0;
    const int clen = c->iv_len + (int)ctlen;
    if (r == 0 && c->dec) {
      if (EVP_CipherUpdate(c->dec->cipher, dst, &n, iv, clen) != 1 || n != clen) return throw_crypto(env, "CBC update failed");
      plain = dst + c->iv_len;
    } else if (r == 0) {
      memcpy(dst, ct, ctlen);
    }
  }
  if (r == 0) {
    /* RFC 4303 §2.4: default padding is 1, 2, 3, ...; the receiver may check it. */
    const size_t pad = plain[ctlen - 2];
    r = pad + 2 <= ctlen && plain[ctlen - 1] == NEXT_HEADER_IPV4 ? (int32_t)(ctlen - 2 - pad) : -2;
    for (size_t i = 0; r >= 0 && i < pad; i++)
      if (plain[ctlen - 2 - pad + i] != (unsigned char)(i + 1)) r = -2;
  }
  napi_value res;
  CHECK(env, napi_create_int32(env, r, &res));
  return res;
}

/* espChain(ctx, out): the last ciphertext block of the SA's outbound CBC chain into out
 * (its length the block size), so another backend can continue the chain. */
static napi_value esp_chain(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  unsigned char *out;
  size_t n;
  ctx_t *c = ctx_args(env, info, argv, 2, K_ESP);
  if (!c || !c->enc || !get_bytes(env, argv[1], &out, &n) || n != (size_t)c->iv_len)
    return throw_type(env, "espChain(ctx, out) of a CBC SA, out one block long");
  if (c->lane_key) {
    if (seal_queued > 0) flush_seals();
    memcpy(out, c->chain, 16);
    return NULL;
  }
  if (EVP_CIPHER_CTX_get_updated_iv(c->enc->cipher, out, n) != 1) return throw_crypto(env, "cannot read the CBC chain");
  return NULL;
}

/* openssl(): the version of the OpenSSL the addon runs on (the node binary's). */
static napi_value openssl_version(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value r;
  CHECK(env, napi_create_string_utf8(env, OpenSSL_version(OPENSSL_VERSION), NAPI_AUTO_LENGTH, &r));
  return r;
}

/* The interface version: sim/ipsec/crypto-native.ts refuses a build whose number differs
 * (an addon built from older sources, after a pull without npm run build:native). */
#define VGW_ESP_ABI 6

NAPI_MODULE_INIT() {
  napi_value abi;
  if (napi_create_uint32(env, VGW_ESP_ABI, &abi) != napi_ok) return NULL;
  napi_property_descriptor props[] = {
    {"abi", NULL, NULL, NULL, NULL, abi, napi_enumerable, NULL},
    {"cbcContext", NULL, cbc_context, NULL, NULL, NULL, napi_enumerable, NULL},
    {"cbcUpdate", NULL, cbc_update, NULL, NULL, NULL, napi_enumerable, NULL},
    {"hmacContext", NULL, hmac_context, NULL, NULL, NULL, napi_enumerable, NULL},
    {"hmac96", NULL, hmac96, NULL, NULL, NULL, napi_enumerable, NULL},
    {"hmac96Verify", NULL, hmac96_verify, NULL, NULL, NULL, napi_enumerable, NULL},
    {"gcmContext", NULL, gcm_context, NULL, NULL, NULL, napi_enumerable, NULL},
    {"gcmSeal", NULL, gcm_seal, NULL, NULL, NULL, napi_enumerable, NULL},
    {"gcmOpen", NULL, gcm_open, NULL, NULL, NULL, napi_enumerable, NULL},
    {"espContext", NULL, esp_context, NULL, NULL, NULL, napi_enumerable, NULL},
    {"espSeal", NULL, esp_seal, NULL, NULL, NULL, napi_enumerable, NULL},
    {"espSealQueued", NULL, esp_seal_queued, NULL, NULL, NULL, napi_enumerable, NULL},
    {"espFlush", NULL, esp_flush, NULL, NULL, NULL, napi_enumerable, NULL},
    {"espOpen", NULL, esp_open, NULL, NULL, NULL, napi_enumerable, NULL},
    {"espChain", NULL, esp_chain, NULL, NULL, NULL, napi_enumerable, NULL},
    {"openssl", NULL, openssl_version, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  if (!vgw_lookup_register(env, exports)) return NULL;
  if (!vgw_register_lookup_scan(env, exports)) return NULL;
  return exports;
}
