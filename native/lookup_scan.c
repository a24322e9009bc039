/*
 * lookup_scan: the benchmark's C baseline for selector classification, a first-match
 * linear scan over struct-of-arrays selectors (source network, source mask, destination
 * network, destination mask: four uint32 arrays in list order). The answer for a pair is
 * the first index whose both sides contain it, or -1: what sim/net/classifier-reference.ts
 * answers. Plain C, compiled with the addon's flags; nothing is kept between calls.
 *
 * scanBatch(srcNet, srcMask, dstNet, dstMask, src, dst, out, n): out[k] = the first match
 * of (src[k], dst[k]) for k < n. The selector arrays are Uint32Arrays of one length, src
 * and dst Uint32Arrays, out an Int32Array, n at most their lengths. Misuse is a TypeError.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stddef.h>
#include "lookup.h"

static napi_value scan_fail(napi_env env, const char *msg) {
  napi_throw_type_error(env, "VGW_NATIVE_ARG", msg);
  return NULL;
}

/* A typed array argument of the given type as pointer and element count. */
static int typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *len) {
  bool is_ta = false;
  napi_typedarray_type type;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
  if (napi_get_typedarray_info(env, v, &type, len, data, NULL, NULL) != napi_ok) return 0;
  return type == want;
}

/* The first i < n with ((s ^ sn[i]) & sm[i]) == 0 and ((d ^ dn[i]) & dm[i]) == 0, or -1. */
static int32_t first_match(const uint32_t *sn, const uint32_t *sm, const uint32_t *dn, const uint32_t *dm, size_t n, uint32_t s, uint32_t d) {
  for (size_t i = 0; i < n; i++) {
    if (((s ^ sn[i]) & sm[i]) == 0 && ((d ^ dn[i]) & dm[i]) == 0) return (int32_t)i;
  }
  return -1;
}

static napi_value scan_batch(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 8) {
    return scan_fail(env, "scanBatch(srcNet, srcMask, dstNet, dstMask, src, dst, out, n): 8 arguments");
  }
  void *p[7];
  size_t len[7];
  for (int k = 0; k < 7; k++) {
    if (!typed(env, argv[k], k == 6 ? napi_int32_array : napi_uint32_array, &p[k], &len[k])) {
      return scan_fail(env, k == 6 ? "scanBatch: out must be an Int32Array" : "scanBatch: selector and address arguments must be Uint32Arrays");
    }
  }
  uint32_t n = 0;
  if (napi_get_value_uint32(env, argv[7], &n) != napi_ok) return scan_fail(env, "scanBatch: n must be a count");
  if (len[1] != len[0] || len[2] != len[0] || len[3] != len[0]) return scan_fail(env, "scanBatch: the four selector arrays must have one length");
  if (n > len[4] || n > len[5] || n > len[6]) return scan_fail(env, "scanBatch: n is larger than src, dst or out");
  const uint32_t *sn = p[0], *sm = p[1], *dn = p[2], *dm = p[3], *src = p[4], *dst = p[5];
  int32_t *out = p[6];
  size_t rules = len[0];
  for (uint32_t k = 0; k < n; k++) out[k] = first_match(sn, sm, dn, dm, rules, src[k], dst[k]);
  return NULL;
}

int vgw_register_lookup_scan(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"scanBatch", NULL, scan_batch, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props) == napi_ok;
}
