/**
 * Drop counters per node, stage and reason, addressable by name
 * (`gw1/classify/no-selector`), as VPP counts `/err/<node>/<reason>`. Storage is one flat
 * Uint32Array indexed [node * REASONS + reason]; names are made only when read.
 */
import { DROP_REASON_NAMES } from './drop-reasons.js';

const R = DROP_REASON_NAMES.length;

export class DropCounters {
  private declare readonly counts: Uint32Array;
  /** `node/stage` label of each counter node. */
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

  /** Every non-zero counter, `node/stage/reason` → count, in node then reason order. */
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
