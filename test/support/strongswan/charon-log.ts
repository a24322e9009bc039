/**
 * Test support: the labelled hex dumps in a charon log, as bytes. At level 4 (`ike = 4`,
 * `chd = 4`) charon prints every key it derives as
 *
 *   14:05:44 14[IKE] SKEYSEED => 20 bytes @ 0x7f8350000b70
 *   14:05:44 14[IKE]    0: 6E 4D ... (16 bytes a line, then the same bytes as ASCII)
 *
 * Owns reading those dumps back: label → every dump with that label, in log order (labels
 * repeat across SAs and exchanges). The lines of one dump carry the thread number of its
 * label line, and other threads' lines may come between them: each thread's open dump is
 * followed separately. The expected count of a line's bytes (16, or what remains) decides
 * where the hex ends and the ASCII column starts, so an ASCII column that looks like hex is
 * never read as bytes.
 * Refuses a log it cannot read whole: a dump line whose offset or bytes do not fit, or a
 * dump that never got all its bytes, throws (test code: a wrong log is a failed test).
 */

/** The labels charon 5.9 prints for IKEv2 and IKEv1 keys (strongswan-interop.md §4.1). */
export const CHARON_KEY_LABELS = {
  dhSecret: 'shared Diffie Hellman secret',
  skeyseed: 'SKEYSEED',
  skD: 'Sk_d secret',
  skAi: 'Sk_ai secret',
  skAr: 'Sk_ar secret',
  skEi: 'Sk_ei secret',
  skEr: 'Sk_er secret',
  skPi: 'Sk_pi secret',
  skPr: 'Sk_pr secret',
  skeyid: 'SKEYID',
  skeyidD: 'SKEYID_d',
  skeyidA: 'SKEYID_a',
  skeyidE: 'SKEYID_e',
  ka: 'encryption key Ka',
  encrI: 'encryption initiator key',
  encrR: 'encryption responder key',
  integI: 'integrity initiator key',
  integR: 'integrity responder key',
} as const;

/** `<anything> NN[GRP] <label> => N bytes @ <address>` */
const LABEL_LINE = /(?:^|\s)(\d+)\[([A-Z]{3})\] (.+) => (\d+) bytes @ \S+\s*$/;
/** `<anything> NN[GRP]   <offset>: <rest>` */
const DUMP_LINE = /(?:^|\s)(\d+)\[([A-Z]{3})\]\s+(\d+): (.*)$/;

interface OpenDump {
  readonly label: string;
  readonly bytes: Uint8Array;
  filled: number;
  readonly line: number;
}

/** Every labelled hex dump of a charon log: label → dumps in log order. */
export function parseCharonKeys(log: string): Map<string, Uint8Array[]> {
  const out = new Map<string, Uint8Array[]>();
  const open = new Map<string, OpenDump>();
  const lines = log.split('\n');
  const finish = (thread: string, d: OpenDump): void => {
    open.delete(thread);
    const list = out.get(d.label) ?? [];
    list.push(d.bytes);
    out.set(d.label, list);
  };
  lines.forEach((text, i) => {
    const dumpLine = DUMP_LINE.exec(text);
    if (dumpLine) {
      const [, thread, , offsetText, rest] = dumpLine;
      const d = open.get(thread!);
      if (!d) return; // an indented line of some other message
      const offset = Number(offsetText);
      if (offset !== d.filled) throw new Error(`charon log line ${i + 1}: dump "${d.label}" (line ${d.line + 1}) expected offset ${d.filled}, got ${offset}`);
      const want = Math.min(16, d.bytes.length - d.filled);
      const tokens = rest!.split(' ').slice(0, want);
      if (tokens.length !== want || !tokens.every((t) => /^[0-9A-Fa-f]{2}$/.test(t))) {
        throw new Error(`charon log line ${i + 1}: dump "${d.label}" expected ${want} hex bytes at offset ${offset}: ${JSON.stringify(rest)}`);
      }
      tokens.forEach((t, k) => {
        d.bytes[d.filled + k] = parseInt(t, 16);
      });
      d.filled += want;
      if (d.filled === d.bytes.length) finish(thread!, d);
      return;
    }
    const labelLine = LABEL_LINE.exec(text);
    if (!labelLine) return;
    const [, thread, , label, countText] = labelLine;
    const pending = open.get(thread!);
    if (pending) throw new Error(`charon log line ${i + 1}: dump "${pending.label}" (line ${pending.line + 1}) has ${pending.filled} of ${pending.bytes.length} bytes when "${label}" starts`);
    const d: OpenDump = { label: label!, bytes: new Uint8Array(Number(countText)), filled: 0, line: i };
    if (d.bytes.length === 0) finish(thread!, d);
    else open.set(thread!, d);
  });
  for (const d of open.values()) {
    throw new Error(`charon log: dump "${d.label}" (line ${d.line + 1}) ends after ${d.filled} of ${d.bytes.length} bytes`);
  }
  return out;
}
