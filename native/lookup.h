/*
 * Reference lookups in C beside the ESP addon, for `vgw bench` to time the TypeScript
 * structures against on the same data in the same run (sim/bench/native-lpm.ts).
 */
#ifndef VGW_LOOKUP_H
#define VGW_LOOKUP_H
#include <node_api.h>

/* Adds the lookup functions (lpmDir24Build, lpmDir24Lookup, lpmDir24Bytes) to `exports`; 0 on failure. */
int vgw_lookup_register(napi_env env, napi_value exports);

#endif
