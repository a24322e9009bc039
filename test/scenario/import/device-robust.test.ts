/**
 * Any text, for any vendor, gives findings and never a throw: random lines made of the
 * words the readers look for (and of noise), each finding at a line and column of the text.
 */
import { describe, expect, it } from 'vitest';
import { DEVICE_VENDORS } from '../../../sim/index.js';
import { imported, scenario } from './device-support.js';

const WORDS = [
  'crypto', 'map', 'isakmp', 'ikev1', 'ikev2', 'policy', 'proposal', 'keyring', 'profile', 'ipsec', 'transform-set', 'set', 'peer', 'match', 'address',
  'access-list', 'extended', 'permit', 'deny', 'ip', 'tcp', 'host', 'any', 'object-group', 'object', 'network', 'network-object', 'interface', 'tunnel',
  'Tunnel1', 'destination', 'source', 'protection', 'mode', 'route', 'tunnel-group', 'ipsec-attributes', 'pre-shared-key', 'key', 'group', '2', '19',
  'encryption', 'aes', '256', 'esp-aes', 'esp-sha-hmac', 'lifetime', 'seconds', '3600', '203.0.113.10', '10.1.0.0', '0.0.255.255', '255.255.0.0',
  'connections', '{', '}', '=', 'children', 'local_ts', 'remote_ts', 'remote_addrs', 'proposals', 'esp_proposals', 'secrets', 'secret', 'conn', 'left',
  'right', 'leftsubnet', 'rightsubnet', 'ike', 'esp', 'auto', 'keyexchange', '"', '#', '!', '<x>', '10.1.0.0/16', '%any', '\u0000', 'é',
];

describe('vgw import device on arbitrary text', () => {
  it('never throws, and every finding is at a line of the text', () => {
    let seed = 11;
    const next = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    for (let round = 0; round < 300; round++) {
      const lines: string[] = [];
      const count = 1 + next(30);
      for (let l = 0; l < count; l++) {
        const indent = ' '.repeat(next(4));
        const words = Array.from({ length: next(9) }, () => WORDS[next(WORDS.length)]!);
        lines.push(indent + words.join(next(5) === 0 ? '' : ' '));
      }
      const text = lines.join(next(3) === 0 ? '\r\n' : '\n');
      for (const vendor of DEVICE_VENDORS) {
        const r = imported(text, vendor, round % 5 === 0 ? { scenario: scenario('s2s-policy-based.yaml') } : {});
        for (const f of r.findings) {
          if (f.file !== 'inline.cfg') continue;
          expect(f.line, `${vendor}: ${f.message}`).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(lines.length);
          expect(f.column).toBeGreaterThanOrEqual(1);
        }
        if (r.output !== undefined) expect(r.findings.every((f) => f.severity === 'warning')).toBe(true);
      }
    }
  });
});
