/**
 * Which SAs can carry a packet that comes back to `esp-encrypt` after it is decrypted
 * (transit: a gateway forwards what it decrypted into a tunnel again, or into anything
 * that can lead to one). The encrypt node is ordered (sim/engine/graph.ts): it must not
 * take a later packet while an earlier one may still come back to it, so after a packet
 * on such an SA it leaves the rest of its list for a later round. Every other SA's packets
 * end at the receiver's LAN, VNet or client, and the node takes its whole list at once.
 *
 * Read from the world's routes and selectors only, per SA: the destinations its sender
 * can put into it (every route into the tunnel, every selector naming the SA), then what
 * the receiving gateway does with them. Over-approximated where that is simpler: a
 * destination any route or selector could send on counts, and a gateway that hands into
 * its VNet through the GatewaySubnet's own routes counts as a transit.
 */
import type { Prefix } from '../net/ipv4.js';
import { NodeId } from './nodes/ids.js';
import { EndKind, Next } from './world.js';
import type { PolicySelectors, RouteTable, World } from './world.js';

/** Do two prefixes share an address? */
function overlap(a: Prefix, b: Prefix): boolean {
  const len = Math.min(a.len, b.len);
  return len === 0 || ((a.addr ^ b.addr) >>> (32 - len)) === 0;
}

/** Is `inner` inside `outer`? */
function within(inner: Prefix, outer: Prefix): boolean {
  return outer.len <= inner.len && overlap(inner, outer);
}

/** Per SA: the destination prefixes some route or selector of the world sends into it. */
function destinationsInto(w: World): Prefix[][] {
  const into: Prefix[][] = w.sas.map(() => []);
  const table = (t: RouteTable | undefined): void => {
    if (!t) return;
    t.entries.forEach((e) => {
      if (e.next === Next.TUNNEL && e.target >= 0 && e.target < into.length) into[e.target]!.push(e.prefix);
    });
  };
  const policy = (p: PolicySelectors | undefined): void => {
    if (!p) return;
    for (let k = 0; k < p.sa.length; k++) {
      const s = p.sa[k]!;
      if (s >= 0 && s < into.length) into[s]!.push(p.dst[k]!);
    }
  };
  for (const x of w.subnets) table(x.table);
  for (const x of w.sites) {
    table(x.edge);
    table(x.device.table);
    policy(x.device.policy);
  }
  for (const g of w.gateways) {
    table(g.table);
    policy(g.policy);
  }
  for (const c of w.p2sClients) table(c.table);
  return into;
}

/** May gateway g forward a decrypted packet to destination prefix `dst` anywhere but into its VNet, the Internet or a drop? */
function gatewayPassesOn(w: World, g: number, dst: Prefix): boolean {
  const gw = w.gateways[g]!;
  if (gw.deliverNode !== NodeId.VNET_DELIVER) return true;
  if (gw.policy) {
    // Policy-based: its VNet's traffic is delivered; anything else meets the selectors.
    return !w.vnets[gw.vnet]!.space.some((p) => within(dst, p));
  }
  if (!gw.table) return true;
  // Any route that overlaps `dst` may be the longest match for one of its addresses.
  return gw.table.entries.some((e) => overlap(e.prefix, dst) && e.next !== Next.LOCAL && e.next !== Next.INTERNET && e.next !== Next.DROP && e.next !== Next.NO_HOST);
}

function compute(w: World): Uint8Array {
  const into = destinationsInto(w);
  return Uint8Array.from(w.sas.map((sa, s) => {
    // A device routes what it decrypts onto its LAN or out; a client takes it: neither encrypts it again.
    if (sa.toKind !== EndKind.GATEWAY) return 0;
    return into[s]!.some((dst) => gatewayPassesOn(w, sa.to, dst)) ? 1 : 0;
  }));
}

const cache = new WeakMap<World, Uint8Array>();

/** Per SA index of `w`: 1 when a packet it carries may reach `esp-encrypt` again after its receiver decrypts it. */
export function transitSas(w: World): Uint8Array {
  let t = cache.get(w);
  if (t === undefined) {
    t = compute(w);
    cache.set(w, t);
  }
  return t;
}
