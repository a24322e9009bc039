/**
 * The C DIR-24-8 route table of the native addon (native/lookup_dir24.c): the reference
 * `vgw bench lpm` times the TypeScript structures against, on the same routes and
 * addresses in the same run. Not used by the simulator.
 *
 * Owns the binding only: building the C table from a route list and answering a batch of
 * addresses into an Int32Array of route indices, the same answers as LpmTable.lookupBatch
 * (longest prefix wins, the lowest index among duplicates, -1 for no route). When the
 * addon is not loaded, `nativeLpmProblem` says why and `NativeDir24.build` returns null.
 */
import { nativeAddon, nativeProblem } from '../ipsec/crypto-native.js';
import { checkLen } from '../net/intervals.js';
import type { LpmRoute } from '../net/lpm.js';

/** An opaque C table. */
type Dir24Handle = { readonly __vgwDir24: unique symbol };

interface LookupAddon {
  lpmDir24Build(addrs: Uint32Array, lens: Uint8Array): Dir24Handle;
  lpmDir24Lookup(table: Dir24Handle, addrs: Uint32Array, out: Int32Array, n: number): void;
  lpmDir24Bytes(table: Dir24Handle): number;
}

function lookupAddon(): LookupAddon | null {
  const m = nativeAddon as unknown as Partial<Record<keyof LookupAddon, unknown>> | null;
  if (m === null) return null;
  return typeof m.lpmDir24Build === 'function' && typeof m.lpmDir24Lookup === 'function' && typeof m.lpmDir24Bytes === 'function'
    ? (m as unknown as LookupAddon)
    : null;
}

const addon = lookupAddon();

/** Why the C lookups are unavailable ('' when the addon loaded). */
export const nativeLpmProblem: string = addon !== null ? '' : nativeProblem !== '' ? nativeProblem : 'the native addon lacks the lookup functions (rebuild it: npm run build:native)';

/** A C DIR-24-8 table over a route list (32-bit entries, like the TypeScript 'dir-24-8'). */
export class NativeDir24 {
  private constructor(
    private readonly api: LookupAddon,
    private readonly table: Dir24Handle,
    /** Bytes of the C table (2^24 entries + the chunks in use, 4 bytes each). */
    readonly memoryBytes: number,
  ) {}

  /** The C table for `routes`, or null when the addon is not loaded (`nativeLpmProblem`). Throws a RangeError on a length outside 0-32. */
  static build(routes: readonly LpmRoute[]): NativeDir24 | null {
    if (addon === null) return null;
    const addrs = new Uint32Array(routes.length);
    const lens = new Uint8Array(routes.length);
    routes.forEach((r, i) => {
      checkLen(r.len, 'route', i);
      addrs[i] = r.addr >>> 0;
      lens[i] = r.len;
    });
    const table = addon.lpmDir24Build(addrs, lens);
    return new NativeDir24(addon, table, addon.lpmDir24Bytes(table));
  }

  /** `out[i]` = the route of `addrs[i]` for i < n (n clamped to both lengths). */
  lookupBatch(addrs: Uint32Array, out: Int32Array, n: number): void {
    this.api.lpmDir24Lookup(this.table, addrs, out, Math.max(0, Math.min(n, addrs.length, out.length)));
  }
}
