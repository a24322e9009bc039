/**
 * The C baseline of the classify bench: a first-match linear scan over struct-of-arrays
 * selectors in the native addon (native/lookup_scan.c), bound here with the same
 * selector columns the TypeScript scan uses (classifier-scan.ts).
 *
 * Owns only the binding: `NativeScan.compile` returns null when the addon is not loaded
 * (`nativeScanProblem` says why), so the bench can say C is unavailable. Answers exactly
 * what referenceClassify answers.
 */
import { nativeAddon, nativeProblem } from '../ipsec/crypto-native.js';
import { selectorColumns } from '../net/classifier.js';
import type { Selector } from '../net/classifier.js';
import { buildScan } from '../net/classifier-scan.js';
import type { ScanTables } from '../net/classifier-scan.js';

/** The addon's scan function (native/lookup_scan.c). */
interface ScanAddon {
  scanBatch(srcNet: Uint32Array, srcMask: Uint32Array, dstNet: Uint32Array, dstMask: Uint32Array, src: Uint32Array, dst: Uint32Array, out: Int32Array, n: number): void;
}

function scanAddon(): ScanAddon | null {
  const m = nativeAddon as unknown as Partial<ScanAddon> | null;
  return m !== null && typeof m.scanBatch === 'function' ? (m as ScanAddon) : null;
}

const addon = scanAddon();

/** Why the C scan is unavailable ('' when the addon is loaded). */
export const nativeScanProblem: string = addon ? '' : nativeProblem || 'the native addon has no scanBatch (rebuild it: npm run build:native)';

/** A selector list as the C scan reads it. */
export class NativeScan {
  readonly strategy = 'C scan';
  readonly memoryBytes: number;
  private constructor(private readonly addon: ScanAddon, private readonly t: ScanTables) {
    this.memoryBytes = t.srcNet.byteLength * 4;
  }

  /** The C scan over `sels`, or null when the addon is not loaded (see nativeScanProblem). */
  static compile(sels: readonly Selector[]): NativeScan | null {
    if (!addon) return null;
    const { sa, sl, da, dl } = selectorColumns(sels);
    return new NativeScan(addon, buildScan(sa, sl, da, dl));
  }

  /** `out[i]` = index of the first selector containing (src[i], dst[i]), or -1, for i < n (clamped to the arrays). */
  classifyBatch(src: Uint32Array, dst: Uint32Array, out: Int32Array, n: number): void {
    const m = Math.max(0, Math.min(n, src.length, dst.length, out.length));
    this.addon.scanBatch(this.t.srcNet, this.t.srcMask, this.t.dstNet, this.t.dstMask, src, dst, out, m);
  }
}
