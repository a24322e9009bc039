/*
 * A classic DIR-24-8 longest-prefix-match table (Gupta, Lin, McKeown, "Routing lookups in
 * hardware at memory access speeds", 1998), the C reference `vgw bench lpm` times the
 * TypeScript structures against on the same routes and addresses.
 *
 * Layout: tbl24 has 2^24 int32 entries, one per /24 block; tbl8 has 256-entry chunks, one
 * per /24 block holding a route longer than /24. An entry >= -1 is the answer (a route
 * index, -1 for no route); an entry -2 - c names chunk c, indexed by the address's low
 * byte. Entries are 32 bits wide, as in the TypeScript 'dir-24-8' (sim/net/lpm-dir-24-8.ts),
 * because answers are route indices (hundreds of thousands), not a few next hops. Plain
 * malloc, no huge pages or madvise (the TypeScript side has none either).
 *
 * Built from the route list itself (not from the TypeScript intervals): routes are painted
 * shortest first, so a longer prefix overwrites the shorter ones it lies in; within one
 * length, higher indices first, so among duplicates of one prefix the lowest index wins,
 * the same answer as sim/net/lpm-reference.ts.
 */
#include "lookup.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int32_t *tbl24;
  int32_t *tbl8;
  size_t chunks;
  size_t cap;
} dir24_t;

static void dir24_release(dir24_t *d) {
  if (!d) return;
  free(d->tbl24);
  free(d->tbl8);
  free(d);
}

/* Bytes the table holds, which the engine is told of so its GC sees them. */
static int64_t dir24_held(const dir24_t *d) {
  return (int64_t)((((size_t)1 << 24) + d->cap * 256) * sizeof(int32_t));
}

/* Finalizer of a table handed to JS. */
static void dir24_free(napi_env env, void *data, void *hint) {
  (void)hint;
  dir24_t *d = (dir24_t *)data;
  if (!d) return;
  int64_t change = 0;
  (void)napi_adjust_external_memory(env, -dir24_held(d), &change);
  dir24_release(d);
}

static napi_value fail(napi_env env, const char *msg) {
  napi_throw_type_error(env, "VGW_NATIVE_ARG", msg);
  return NULL;
}

/* A typed array argument of the given type: pointer and element count. */
static int typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *len) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
  napi_typedarray_type type;
  if (napi_get_typedarray_info(env, v, &type, len, data, NULL, NULL) != napi_ok) return 0;
  return type == want;
}

/* The chunk of /24 block b, made on first use from the block's current answer. */
static int32_t *chunk_of(dir24_t *d, uint32_t b) {
  int32_t e = d->tbl24[b];
  if (e < -1) return d->tbl8 + (size_t)(-2 - e) * 256;
  if (d->chunks == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 64;
    int32_t *t = (int32_t *)realloc(d->tbl8, cap * 256 * sizeof(int32_t));
    if (!t) return NULL;
    d->tbl8 = t;
    d->cap = cap;
  }
  int32_t *c = d->tbl8 + d->chunks * 256;
  for (int j = 0; j < 256; j++) c[j] = e;
  d->tbl24[b] = -2 - (int32_t)d->chunks;
  d->chunks++;
  return c;
}

/* lpmDir24Build(addrs: Uint32Array, lens: Uint8Array): a table answering route indices. */
static napi_value build(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  uint32_t *addrs = NULL;
  uint8_t *lens = NULL;
  size_t n = 0, nl = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      !typed(env, argv[0], napi_uint32_array, (void **)&addrs, &n) ||
      !typed(env, argv[1], napi_uint8_array, (void **)&lens, &nl) || n != nl || n > INT32_MAX)
    return fail(env, "lpmDir24Build(addrs: Uint32Array, lens: Uint8Array) with equal lengths");
  for (size_t i = 0; i < n; i++)
    if (lens[i] > 32) return fail(env, "lpmDir24Build: a prefix length is above 32");
  dir24_t *d = (dir24_t *)calloc(1, sizeof *d);
  if (!d) return fail(env, "lpmDir24Build: out of memory");
  d->tbl24 = (int32_t *)malloc(((size_t)1 << 24) * sizeof(int32_t));
  /* Routes by length (counting sort), then painted shortest first, higher index first. */
  size_t *start = (size_t *)calloc(34, sizeof(size_t));
  uint32_t *order = (uint32_t *)malloc((n ? n : 1) * sizeof(uint32_t));
  if (!d->tbl24 || !start || !order) {
    free(start);
    free(order);
    dir24_release(d);
    return fail(env, "lpmDir24Build: out of memory");
  }
  for (size_t b = 0; b < ((size_t)1 << 24); b++) d->tbl24[b] = -1;
  for (size_t i = 0; i < n; i++) start[lens[i] + 1]++;
  for (int l = 1; l < 34; l++) start[l] += start[l - 1];
  for (size_t i = n; i-- > 0;) order[start[lens[i]]++] = (uint32_t)i;
  for (size_t k = 0; k < n; k++) {
    uint32_t i = order[k];
    unsigned len = lens[i];
    uint32_t mask = len == 0 ? 0 : 0xffffffffu << (32 - len);
    uint32_t a = addrs[i] & mask;
    if (len <= 24) {
      uint32_t b0 = a >> 8;
      size_t count = (size_t)1 << (24 - len);
      for (size_t b = b0; b < b0 + count; b++) d->tbl24[b] = (int32_t)i;
    } else {
      int32_t *c = chunk_of(d, a >> 8);
      if (!c) {
        free(start);
        free(order);
        dir24_release(d);
        return fail(env, "lpmDir24Build: out of memory");
      }
      unsigned lo = a & 255, count = 1u << (32 - len);
      for (unsigned j = lo; j < lo + count; j++) c[j] = (int32_t)i;
    }
  }
  free(start);
  free(order);
  napi_value ext;
  if (napi_create_external(env, d, dir24_free, NULL, &ext) != napi_ok) {
    dir24_release(d);
    return fail(env, "lpmDir24Build: cannot create the table object");
  }
  int64_t change = 0;
  (void)napi_adjust_external_memory(env, dir24_held(d), &change);
  return ext;
}

static dir24_t *table_arg(napi_env env, napi_value v) {
  napi_valuetype t;
  void *p = NULL;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_external || napi_get_value_external(env, v, &p) != napi_ok) return NULL;
  return (dir24_t *)p;
}

/* The lookup loop: one tbl24 load per address, a tbl8 load for addresses in a chunked block. */
static void lookup_batch(const dir24_t *d, const uint32_t *addrs, int32_t *out, size_t n) {
  const int32_t *tbl24 = d->tbl24;
  const int32_t *tbl8 = d->tbl8;
  for (size_t i = 0; i < n; i++) {
    uint32_t a = addrs[i];
    int32_t v = tbl24[a >> 8];
    if (v < -1) v = tbl8[(size_t)(-2 - v) * 256 + (a & 255)];
    out[i] = v;
  }
}

/* lpmDir24Lookup(table, addrs: Uint32Array, out: Int32Array, n): out[i] = the route of addrs[i], i < n. */
static napi_value lookup(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  uint32_t *addrs = NULL;
  int32_t *out = NULL;
  size_t na = 0, no = 0;
  uint32_t n = 0;
  dir24_t *d;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4 || !(d = table_arg(env, argv[0])) ||
      !typed(env, argv[1], napi_uint32_array, (void **)&addrs, &na) || !typed(env, argv[2], napi_int32_array, (void **)&out, &no) ||
      napi_get_value_uint32(env, argv[3], &n) != napi_ok || n > na || n > no)
    return fail(env, "lpmDir24Lookup(table, addrs: Uint32Array, out: Int32Array, n <= both lengths)");
  lookup_batch(d, addrs, out, n);
  return NULL;
}

/* lpmDir24Bytes(table): bytes of tbl24 and the chunks in use. */
static napi_value bytes(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  dir24_t *d;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || !(d = table_arg(env, argv[0])))
    return fail(env, "lpmDir24Bytes(table)");
  napi_value r;
  if (napi_create_double(env, (double)((((size_t)1 << 24) + d->chunks * 256) * sizeof(int32_t)), &r) != napi_ok) return NULL;
  return r;
}

int vgw_lookup_register(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"lpmDir24Build", NULL, build, NULL, NULL, NULL, napi_enumerable, NULL},
    {"lpmDir24Lookup", NULL, lookup, NULL, NULL, NULL, napi_enumerable, NULL},
    {"lpmDir24Bytes", NULL, bytes, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props) == napi_ok;
}
