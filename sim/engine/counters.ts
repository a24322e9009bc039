/**
 * Drop counters per counter node and reason, addressable by name (`gw1/forward/no-selector`,
 * `hq/device/replay`), as VPP counts `/err/<node>/<reason>`. A counter node is a place of
 * the topology and its part that drops: a subnet's routes (`vnet1/frontend/route`), a site
 * LAN (`hq/lan`), a device (`hq/device`), a gateway's forwarding (`gw1/forward`) and its
 * ESP ends (`gw1/crypto`: the esp-encrypt and esp-decrypt graph nodes at that gateway), a
 * VNet's delivery (`vnet1/deliver`), a P2S client (`laptop1/client`), a circuit
 * (`er-hq/expressroute`). Storage is one flat Uint32Array indexed [node * REASONS + reason];
 * names are made only when read.
 */
import { DROP_REASON_NAMES } from './drop-reasons.js';

const R = DROP_REASON_NAMES.length;

export class DropCounters {
  private declare readonly counts: Uint32Array;
  /** Label of each counter node (`gw1/forward`). */
  declare readonly nodes: readonly string[];

  constructor(nodes: readonly string[]) {
    this.nodes = nodes;
    this.counts = new Uint32Array(Math.max(1, nodes.length) * R);
  }

  add(node: number, reason: number): void {
    this.counts[node * R + reason]!++;
  }

  get(name: string): number {
    const cut = name.lastIndexOf('/');
    const node = this.nodes.indexOf(name.slice(0, cut));
    const reason = (DROP_REASON_NAMES as readonly string[]).indexOf(name.slice(cut + 1));
    if (node < 0 || reason < 0) return 0;
    return this.counts[node * R + reason]!;
  }

  /** Every non-zero counter, `counter-node/reason` → count (`gw1/forward/no-route`), in node then reason order. */
  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let n = 0; n < this.nodes.length; n++) {
      for (let r = 0; r < R; r++) {
        const c = this.counts[n * R + r]!;
        if (c > 0) out[`${this.nodes[n]}/${DROP_REASON_NAMES[r]}`] = c;
      }
    }
    return out;
  }
}
