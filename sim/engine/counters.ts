/**
 * Drop counters per counter node, stage and reason, addressable by name
 * (`gw1/classify/no-selector`, `hq/device/decrypt/replay`), as VPP counts
 * `/err/<node>/<reason>`. A counter node is a place of the topology named as the trace
 * names it (a subnet `vnet1/frontend`, a site LAN `hq/lan`, a device `hq/device`, a
 * gateway `gw1`, a VNet `vnet1`, a P2S client `laptop1`, a circuit `er-hq`), and the stage
 * is the trace's stage (sim/engine/stages.ts), so a counter's name is the node, stage and
 * reason of the drop events it counts. Storage is one flat Uint32Array indexed
 * [(node * STAGES + stage) * REASONS + reason]; names are made only when read.
 */
import { DROP_REASON_NAMES } from './drop-reasons.js';
import { STAGE_NAMES } from './stages.js';

const R = DROP_REASON_NAMES.length;
const S = STAGE_NAMES.length;

export class DropCounters {
  private declare readonly counts: Uint32Array;
  /** Label of each counter node (`gw1`, `hq/device`). */
  declare readonly nodes: readonly string[];

  constructor(nodes: readonly string[]) {
    this.nodes = nodes;
    this.counts = new Uint32Array(Math.max(1, nodes.length) * S * R);
  }

  add(node: number, stage: number, reason: number): void {
    this.counts[(node * S + stage) * R + reason]!++;
  }

  /**
   * Every non-zero counter, `node/stage/reason` → count (`gw1/route/no-route`), in node,
   * stage, then reason order. Two counter nodes of one place (a gateway's forwarding and its
   * ESP ends) count at different stages; a name they shared would add up.
   */
  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let n = 0; n < this.nodes.length; n++) {
      for (let st = 0; st < S; st++) {
        for (let r = 0; r < R; r++) {
          const c = this.counts[(n * S + st) * R + r]!;
          if (c === 0) continue;
          const name = `${this.nodes[n]}/${STAGE_NAMES[st]}/${DROP_REASON_NAMES[r]}`;
          out[name] = (out[name] ?? 0) + c;
        }
      }
    }
    return out;
  }
}
