/**
 * The files of a run's captures as `vgw run --pcap DIR` names them: LINK.pcap per link
 * (sim's captureFileName), `esp_sa`, and Wireshark's IKE tables when the run had IKE SAs of
 * that version.
 */
import { IKEV1_DECRYPTION_TABLE, IKEV2_DECRYPTION_TABLE, captureFileName } from '../sim/web/index.js';
import type { Captures } from '../sim/web/index.js';

export interface CaptureFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly type: string;
}

export function captureFiles(c: Captures): CaptureFile[] {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const files: CaptureFile[] = Object.entries(c.pcaps).map(([link, bytes]) => ({ name: captureFileName(link), bytes, type: 'application/vnd.tcpdump.pcap' }));
  files.push({ name: 'esp_sa', bytes: text(c.espSa), type: 'text/plain' });
  if (c.ikev2Table) files.push({ name: IKEV2_DECRYPTION_TABLE, bytes: text(c.ikev2Table), type: 'text/plain' });
  if (c.ikev1Table) files.push({ name: IKEV1_DECRYPTION_TABLE, bytes: text(c.ikev1Table), type: 'text/plain' });
  return files;
}
