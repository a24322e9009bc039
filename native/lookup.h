/*
 * The C reference lookups the benchmarks compare the TypeScript structures with, hosted by
 * the vgw_esp addon: each file registers its functions on the addon's exports from the
 * addon's init (one call per file, declared here). They are baselines, not the simulator's
 * data path.
 */
#ifndef VGW_LOOKUP_H
#define VGW_LOOKUP_H
#include <node_api.h>

/* Adds the lookup functions (lpmDir24Build, lpmDir24Lookup, lpmDir24Bytes) to `exports`; 0 on failure. */
int vgw_lookup_register(napi_env env, napi_value exports);
/* native/lookup_scan.c: scanBatch, a struct-of-arrays first-match selector scan. 1 when registered, 0 on failure. */
int vgw_register_lookup_scan(napi_env env, napi_value exports);

#endif
