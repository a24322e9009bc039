/*
 * vgw_esp: the ESP crypto contexts of one SA, on OpenSSL, as a Node-API addon.
 *
 * Why it exists: node:crypto costs about 1-1.5 us of call overhead per cipher or HMAC
 * object on top of the work itself (measured: HMAC-SHA1 of 1400 bytes 3.0 us through
 * createHmac against 0.8 us in OpenSSL), which caps a simulated gateway with real ESP far
 * below what the machine can encrypt. This addon keeps, per SA, a long-lived cipher
 * context and the HMAC key's inner and outer hash states, and does one packet's work in
 * one call, in place where the bytes allow it.
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

enum kind { K_CBC = 1, K_HMAC = 2, K_GCM = 3 };

typedef struct {
  int kind;
  EVP_CIPHER_CTX *cipher;     /* CBC (long-lived chain) or GCM (key set once) */
  int block;                  /* CBC block size */
  int decrypt;                /* CBC: direction */
  EVP_MD_CTX *inner, *outer;  /* HMAC: states after the ipad / opad block */
  EVP_MD_CTX *work;           /* HMAC: scratch state, copied into per packet */
  unsigned int md_len;
  unsigned char salt[4];      /* GCM: the salt of the nonce, salt ‖ 8-byte IV (RFC 4106 §4) */
} ctx_t;

static void ctx_free(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  ctx_t *c = (ctx_t *)data;
  if (!c) return;
  if (c->cipher) EVP_CIPHER_CTX_free(c->cipher);
  if (c->inner) EVP_MD_CTX_free(c->inner);
  if (c->outer) EVP_MD_CTX_free(c->outer);
  if (c->work) EVP_MD_CTX_free(c->work);
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

static const EVP_CIPHER *cipher_by_name(const char *name) {
  if (!strcmp(name, "aes-256-cbc")) return EVP_aes_256_cbc();
  if (!strcmp(name, "aes-128-cbc")) return EVP_aes_128_cbc();
  if (!strcmp(name, "des-ede3-cbc")) return EVP_des_ede3_cbc();
  if (!strcmp(name, "aes-256-gcm")) return EVP_aes_256_gcm();
  if (!strcmp(name, "aes-128-gcm")) return EVP_aes_128_gcm();
  return NULL;
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
  const EVP_CIPHER *cipher = cipher_by_name(name);
  if (!cipher || EVP_CIPHER_get_mode(cipher) != EVP_CIPH_CBC_MODE) return throw_type(env, "not a CBC cipher");
  if ((int)klen != EVP_CIPHER_get_key_length(cipher) || (int)ivlen != EVP_CIPHER_get_iv_length(cipher))
    return throw_type(env, "wrong key or IV length");
  ctx_t *c = (ctx_t *)calloc(1, sizeof *c);
  if (!c) return throw_crypto(env, "out of memory");
  c->kind = K_CBC;
  c->decrypt = decrypt;
  c->block = EVP_CIPHER_get_block_size(cipher);
  c->cipher = EVP_CIPHER_CTX_new();
  if (!c->cipher || EVP_CipherInit_ex(c->cipher, cipher, NULL, key, iv, decrypt ? 0 : 1) != 1 ||
      EVP_CIPHER_CTX_set_padding(c->cipher, 0) != 1) {
    ctx_free(env, c, NULL);
    return throw_crypto(env, "cannot start the CBC context");
  }
  return wrap(env, c);
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
  size_t argc = 6;
  napi_value argv[6];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  unsigned char *in, *dst;
  size_t inlen;
  ctx_t *c = argc >= 6 ? unwrap(env, argv[0], K_CBC) : NULL;
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

/* hmacContext(hash, key): the inner and outer states of HMAC under key (RFC 2104). */
static napi_value hmac_context(napi_env env, napi_callback_info info) {
  char name[16];
  unsigned char *key;
  size_t klen;
  if (!name_key_args(env, info, name, sizeof name, &key, &klen)) return throw_type(env, "hmacContext(hash, key)");
  const EVP_MD *md = !strcmp(name, "sha1") ? EVP_sha1() : !strcmp(name, "md5") ? EVP_md5() : NULL;
  if (!md) return throw_type(env, "hash must be sha1 or md5");
  const int bs = EVP_MD_get_block_size(md);
  unsigned char k0[128], pad[128];
  memset(k0, 0, sizeof k0);
  if (bs <= 0 || bs > (int)sizeof k0) return throw_crypto(env, "unexpected hash block size");
  if (klen > (size_t)bs) {
    unsigned int n = 0;
    if (EVP_Digest(key, klen, k0, &n, md, NULL) != 1) return throw_crypto(env, "cannot hash the HMAC key");
  } else if (klen > 0) {
    memcpy(k0, key, klen);
  }
  ctx_t *c = (ctx_t *)calloc(1, sizeof *c);
  if (!c) return throw_crypto(env, "out of memory");
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
  memset(k0, 0, sizeof k0);
  memset(pad, 0, sizeof pad);
  if (!ok) {
    ctx_free(env, c, NULL);
    return throw_crypto(env, "cannot start the HMAC context");
  }
  return wrap(env, c);
}

/* HMAC of data into md (c->md_len bytes): inner state + data, then outer state + inner digest. */
static int hmac_full(ctx_t *c, const unsigned char *data, size_t len, unsigned char *md) {
  unsigned int n = 0;
  return EVP_MD_CTX_copy_ex(c->work, c->inner) == 1 && EVP_DigestUpdate(c->work, data, len) == 1 &&
         EVP_DigestFinal_ex(c->work, md, &n) == 1 && EVP_MD_CTX_copy_ex(c->work, c->outer) == 1 &&
         EVP_DigestUpdate(c->work, md, n) == 1 && EVP_DigestFinal_ex(c->work, md, &n) == 1;
}

/* The shared part of hmac96 and hmac96Verify: arguments (ctx, buf, start, end, other,
 * otherOffset) with 12 bytes of room at other[otherOffset..], and HMAC(buf[start, end))
 * in md. 0 when an exception was thrown. */
static int hmac_args(napi_env env, napi_callback_info info, const char *usage, unsigned char *md, unsigned char **other) {
  size_t argc = 6;
  napi_value argv[6];
  unsigned char *data;
  size_t len;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {
    napi_throw_error(env, "VGW_NATIVE", "Node-API call failed: napi_get_cb_info");
    return 0;
  }
  ctx_t *c = argc >= 6 ? unwrap(env, argv[0], K_HMAC) : NULL;
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
  unsigned char d = 0;
  for (size_t i = 0; i < ICV96; i++) d |= md[i] ^ icv[i];
  napi_value r;
  CHECK(env, napi_get_boolean(env, d == 0, &r));
  return r;
}

/* gcmContext(cipher, keyAndSalt): a GCM context for ESP's key material (RFC 4106 §8.1: the
 * key then a 4-byte salt), the key schedule done once. */
static napi_value gcm_context(napi_env env, napi_callback_info info) {
  char name[32];
  unsigned char *key;
  size_t klen;
  if (!name_key_args(env, info, name, sizeof name, &key, &klen)) return throw_type(env, "gcmContext(cipher, keyAndSalt)");
  const EVP_CIPHER *cipher = cipher_by_name(name);
  if (!cipher || EVP_CIPHER_get_mode(cipher) != EVP_CIPH_GCM_MODE) return throw_type(env, "not a GCM cipher");
  if ((int)klen != EVP_CIPHER_get_key_length(cipher) + 4) return throw_type(env, "wrong GCM key length (the key and a 4-byte salt)");
  ctx_t *c = (ctx_t *)calloc(1, sizeof *c);
  if (!c) return throw_crypto(env, "out of memory");
  c->kind = K_GCM;
  memcpy(c->salt, key + klen - 4, 4);
  c->cipher = EVP_CIPHER_CTX_new();
  /* Encrypt direction for the key schedule; each packet sets its direction and nonce. */
  if (!c->cipher || EVP_CipherInit_ex(c->cipher, cipher, NULL, key, NULL, 1) != 1) {
    ctx_free(env, c, NULL);
    return throw_crypto(env, "cannot start the GCM context");
  }
  return wrap(env, c);
}

/* salt ‖ buf[ivStart, ivStart + 8): the packet's nonce (RFC 4106 §4). 0 when the IV is out of range. */
static int gcm_nonce(napi_env env, ctx_t *c, napi_value vbuf, napi_value vstart, unsigned char *nonce) {
  unsigned char *buf;
  size_t n;
  uint32_t iv;
  if (!get_bytes(env, vbuf, &buf, &n) || !get_u32(env, vstart, &iv) || iv > n || n - iv < 8) return 0;
  memcpy(nonce, c->salt, 4);
  memcpy(nonce + 4, buf + iv, 8);
  return 1;
}

/* The one GCM operation behind gcmSeal and gcmOpen, which take the same arguments (ctx,
 * buf, aadStart, aadEnd, ivStart, start, end, out, offset): the nonce is salt ‖
 * buf[ivStart, +8), the AAD buf[aadStart, aadEnd), the text buf[start, end) and its result
 * goes to out[offset..] (in place allowed). Sealing writes the 16-byte tag after the
 * ciphertext; opening checks the tag at buf[end..] and answers whether it verified (out
 * then holds nothing of use when it did not). */
static napi_value gcm_run(napi_env env, napi_callback_info info, int seal) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  unsigned char nonce[12], tag[GCM_TAG], *aad, *in, *dst, *buf;
  size_t alen, len, blen;
  uint32_t end;
  ctx_t *c = argc >= 9 ? unwrap(env, argv[0], K_GCM) : NULL;
  if (!c || !get_range(env, argv[1], argv[2], argv[3], &aad, &alen) || !gcm_nonce(env, c, argv[1], argv[4], nonce) ||
      !get_range(env, argv[1], argv[5], argv[6], &in, &len) || !get_bytes(env, argv[1], &buf, &blen) || !get_u32(env, argv[6], &end) ||
      (!seal && blen - end < GCM_TAG) || len > 0x7fffffff || alen > 0x7fffffff ||
      !get_room(env, argv[7], argv[8], len + (seal ? GCM_TAG : 0), &dst))
    return throw_type(env, seal ? "gcmSeal(ctx, buf, aadStart, aadEnd, ivStart, start, end, out, offset)"
                                : "gcmOpen(ctx, buf, aadStart, aadEnd, ivStart, start, end, out, offset) with a 16-byte tag at buf[end..]");
  if (overlaps(dst, in, len)) return throw_type(env, seal ? "gcmSeal: out overlaps the plaintext" : "gcmOpen: out overlaps the ciphertext");
  if (!seal) memcpy(tag, buf + end, GCM_TAG); /* before the output can overwrite it */
  int n = 0;
  if (EVP_CipherInit_ex(c->cipher, NULL, NULL, NULL, nonce, seal) != 1 ||
      (alen > 0 && EVP_CipherUpdate(c->cipher, NULL, &n, aad, (int)alen) != 1) ||
      (len > 0 && EVP_CipherUpdate(c->cipher, dst, &n, in, (int)len) != 1) ||
      (!seal && EVP_CIPHER_CTX_ctrl(c->cipher, EVP_CTRL_GCM_SET_TAG, GCM_TAG, tag) != 1))
    return throw_crypto(env, seal ? "GCM seal failed" : "GCM open failed");
  /* GCM's final step writes no bytes: it makes (seal) or checks (open) the tag. */
  int ok = EVP_CipherFinal_ex(c->cipher, tag, &n) == 1;
  if (seal) {
    if (!ok || EVP_CIPHER_CTX_ctrl(c->cipher, EVP_CTRL_GCM_GET_TAG, GCM_TAG, dst + len) != 1) return throw_crypto(env, "GCM seal failed");
    return NULL;
  }
  napi_value r;
  CHECK(env, napi_get_boolean(env, ok, &r));
  return r;
}

static napi_value gcm_seal(napi_env env, napi_callback_info info) {
  return gcm_run(env, info, 1);
}

static napi_value gcm_open(napi_env env, napi_callback_info info) {
  return gcm_run(env, info, 0);
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
#define VGW_ESP_ABI 2

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
    {"openssl", NULL, openssl_version, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
