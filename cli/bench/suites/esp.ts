/**
 * The `esp-encrypt` and `esp-decrypt` suites: ESP tunnel mode on each crypto backend, each
 * next to the bare crypto calls it makes (its floor), and the share of what `openssl speed`
 * allows for the same algorithms and size. The subject is the native addon's path, or
 * node:crypto's when the addon is not built; what cannot run here is listed as not run.
 * One file: the two suites differ only in the direction.
 */
import { CRYPTO_BACKENDS, ESP_BENCH_TRANSFORMS, EspWorkload, nativeProblem } from '../../../sim/bench/index.js';
import type { CryptoBackend } from '../../../sim/index.js';
import { opensslLimit } from '../openssl.js';
import { defineSuite } from './case.js';
import type { CaseThunk, NotRun, SuiteOptions } from './case.js';

type EspSuite = 'esp-encrypt' | 'esp-decrypt';

const NATIVE_PATH = 'esp path, native addon';
const NATIVE_FLOOR = 'bare native addon calls (its floor)';

function espCase(o: SuiteOptions, suite: EspSuite, proposal: string, size: number): CaseThunk {
  const label = `${suite} ${proposal} ${size} bytes`;
  return {
    suite, label,
    build() {
      const workload = new EspWorkload(proposal, size, 256, o.seed);
      const dir = suite === 'esp-encrypt' ? 'encrypt' : 'decrypt';
      const limit = opensslLimit(proposal, size, dir === 'decrypt');
      const run = (be: CryptoBackend) => (c: number) => void (dir === 'encrypt' ? workload.encrypt(be, c) : workload.decrypt(be, c));
      const native = CRYPTO_BACKENDS.native;
      const gcm = proposal.includes('gcm');
      const notRun: NotRun[] = [
        ...(native ? [] : [NATIVE_PATH, NATIVE_FLOOR].map((variant) => ({ variant, reason: nativeProblem }))),
        ...(typeof limit === 'string' ? [{ variant: 'openssl speed (the share of it)', reason: limit }] : []),
      ];
      return {
        suite, name: label, unit: 'packets',
        params: { transform: proposal, innerBytes: size, wireBytes: workload.outer[0]!.length },
        // The subject is the default backend's ESP path; each backend's path is next to the
        // bare calls it makes (its floor), so "costs N x the floor" reads per backend.
        variants: [
          ...(native ? [
            { name: NATIVE_PATH, role: 'subject' as const, run: run(native) },
            { name: NATIVE_FLOOR, role: 'baseline' as const, floorOf: NATIVE_PATH, run: (c: number) => void workload.bareNative(dir, c) },
          ] : []),
          { name: 'esp path, node:crypto', role: native ? 'baseline' as const : 'subject' as const, run: run(CRYPTO_BACKENDS.node) },
          { name: 'bare node:crypto calls (its floor)', role: 'baseline', floorOf: 'esp path, node:crypto', run: (c) => void workload.bareCrypto(dir, c) },
          { name: 'esp path, node-forge', role: 'baseline', run: run(CRYPTO_BACKENDS.forge) },
        ],
        info: {
          contexts: native
            ? `native: one addon call per packet frames it and runs ${gcm ? 'GCM on the SA\'s key schedule' : 'the SA\'s long-lived CBC context and HMAC from the key\'s precomputed hash states'}, in place (its floor: the bare ${gcm ? 'GCM call' : 'CBC and HMAC calls'} through the addon); node:crypto: ${gcm ? 'a GCM context per packet' : 'one long-lived CBC context per SA, an HMAC object per packet'}`
            : `${gcm ? 'a GCM context per packet (a nonce per packet)' : 'one long-lived CBC context per SA, an HMAC object per packet'}; native backend unavailable: ${nativeProblem}`,
          openssl: typeof limit === 'string' ? limit : limit.detail,
        },
        // Share of what `openssl speed` allows for the same algorithms and size, measured in this run.
        ...(typeof limit === 'string' ? {} : { derive: (pps: number) => ({ opensslLimitPacketsPerSecond: limit.pps, opensslShare: pps / limit.pps }) }),
        ...(notRun.length > 0 ? { notRun } : {}),
      };
    },
  };
}

/** Every transform (the first only with --quick) at every size (1400 bytes only with --quick), clamped to 28-65000. */
function plan(suite: EspSuite, o: SuiteOptions): CaseThunk[] {
  const sizes = o.sizes && o.sizes.length > 0 ? o.sizes : o.quick ? [1400] : [64, 512, 1400];
  const cases: CaseThunk[] = [];
  for (const t of o.quick ? ESP_BENCH_TRANSFORMS.slice(0, 1) : ESP_BENCH_TRANSFORMS) {
    for (const n of sizes) cases.push(espCase(o, suite, t, Math.max(28, Math.min(n, 65000))));
  }
  return cases;
}

export const espEncryptSuite = defineSuite({
  name: 'esp-encrypt',
  help: [
    'ESP tunnel mode on each backend (native addon, node:crypto, node-forge), each',
    'against the bare crypto calls it makes (its floor)',
  ],
  plan: (o) => plan('esp-encrypt', o),
});

export const espDecryptSuite = defineSuite({
  name: 'esp-decrypt',
  help: ['the same, inbound'],
  plan: (o) => plan('esp-decrypt', o),
});
