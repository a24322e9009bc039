/**
 * The `openssl speed` baseline of the ESP suites: what the machine's libcrypto does with
 * the same algorithms at the same packet size, measured in the same run. It bounds what
 * any ESP code can reach: for AES-CBC + HMAC-SHA1 a packet costs at least the cipher's
 * time plus the hash's time over its bytes, so the limit in packets/s is
 * 1 / (size / cipherBytesPerSecond + size / sha1BytesPerSecond); for GCM, size / gcm.
 *
 * Owns running the `openssl` program (cached per algorithm, direction and size) and
 * parsing its last line; when openssl is missing or fails, the reason instead.
 */
import { execFileSync } from 'node:child_process';

const cache = new Map<string, number | string>();

/** Bytes per second of `openssl speed -evp ALG [-decrypt] -bytes SIZE -seconds 1`, or why not. */
export function opensslSpeed(alg: string, size: number, decrypt = false): number | string {
  const key = `${alg}/${size}/${decrypt}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let v: number | string;
  try {
    const args = ['speed', '-evp', alg, ...(decrypt ? ['-decrypt'] : []), '-bytes', String(size), '-seconds', '1'];
    const out = execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
    // Last line: "AES-256-CBC    1130700.75k" (1000s of bytes per second).
    const last = out.trim().split('\n').pop() ?? '';
    const m = /\s([\d.]+)k\s*$/.exec(last);
    v = m ? Number(m[1]) * 1000 : `could not read openssl's output: "${last}"`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    v = code === 'ENOENT' ? 'openssl is not installed (apt-get install openssl)' : `openssl speed failed: ${(e as Error).message.split('\n')[0]}`;
  }
  cache.set(key, v);
  return v;
}

/** Packets/s `openssl speed` allows for `proposal` at `size` bytes, or why it is unknown. */
export function opensslLimit(proposal: string, size: number, decrypt: boolean): { pps: number; detail: string } | string {
  if (proposal === 'aes256-sha1') {
    const c = opensslSpeed('aes-256-cbc', size, decrypt);
    const h = opensslSpeed('sha1', size);
    if (typeof c === 'string') return c;
    if (typeof h === 'string') return h;
    return { pps: 1 / (size / c + size / h), detail: `aes-256-cbc${decrypt ? ' -decrypt' : ''} ${(c / 1e6).toFixed(0)} MB/s + sha1 ${(h / 1e6).toFixed(0)} MB/s at ${size} bytes` };
  }
  if (proposal === 'aes256gcm16') {
    const g = opensslSpeed('aes-256-gcm', size, decrypt);
    if (typeof g === 'string') return g;
    return { pps: g / size, detail: `aes-256-gcm${decrypt ? ' -decrypt' : ''} ${(g / 1e6).toFixed(0)} MB/s at ${size} bytes` };
  }
  return `no openssl speed baseline for ${proposal}`;
}
