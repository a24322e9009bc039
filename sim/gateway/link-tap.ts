/**
 * Captures as a tap on the links: every packet that crosses a link (a VNet, a site LAN, a
 * P2S client's own link, the Internet between tunnel ends) goes to a CaptureSink
 * (sim/engine/capture.ts), one batch at a time in time order (`flush`). The nodes that put
 * a packet on a link tell the tap (send and deliver on the LANs; the Internet link as the
 * ESP packets reach their receiver); the tap owns no packet and decides nothing.
 */
import { CaptureBuffer } from '../engine/capture.js';
import type { CaptureSink } from '../engine/capture.js';
import type { PacketBatch } from '../engine/batch.js';
import { PacketBytes } from './packet-bytes.js';
import { NetKind } from './world.js';
import type { World } from './world.js';

/** The capture link of the ESP packets between tunnel ends. */
export const INTERNET_LINK = 'internet';

/** The capture link of a host network: `vnet-NAME`, `site-NAME`, `p2s-NAME` (a P2S client's own link). */
export function captureLinkName(kind: 'vnet' | 'site' | 'p2s', name: string): string {
  return `${kind}-${name}`;
}

export class LinkTap {
  private readonly buffer: CaptureBuffer;
  private readonly bytes = new PacketBytes();

  constructor(sink: CaptureSink) {
    this.buffer = new CaptureBuffer(sink);
  }

  /** Batch packet i crosses the link of host network `net` of kind `netKind` (NetKind). */
  lan(b: PacketBatch, i: number, world: World, netKind: number, net: number): void {
    const name = netKind === NetKind.VNET ? captureLinkName('vnet', world.vnets[net]!.name)
      : netKind === NetKind.SITE ? captureLinkName('site', world.sites[net]!.name) : captureLinkName('p2s', world.p2sClients[net]!.name);
    this.buffer.add(name, b.time[i]!, this.bytes.inner(b, i).slice());
  }

  /** An ESP packet leaves the Internet link at its receiver at time `t` (copied: the sender's buffers are reused). */
  internet(t: number, esp: Uint8Array): void {
    this.buffer.add(INTERNET_LINK, t, esp.slice());
  }

  /**
   * Hand the captured packets of the batch that just ended to the capture sink, in time
   * order (see sim/engine/capture.ts for why a batch at a time is exact).
   */
  flush(): void {
    this.buffer.flush();
  }
}
