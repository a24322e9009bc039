/**
 * Values Azure assigns only when it deploys: a public IP's address (dynamic or static, Azure
 * picks it), a gateway's BGP peering address (from its GatewaySubnet). An imported scenario
 * needs a value, so each gets a placeholder from a documentation range, the same one every
 * time for one resource, and a warning naming where the template used it:
 *   public IP addresses: 203.0.113.10 upwards (TEST-NET-3, RFC 5737);
 *   BGP peering addresses: 192.0.2.10 upwards (TEST-NET-1, RFC 5737);
 *   a connection's pre-shared key (Azure generates one when the template gives none):
 *   `vgwsim` and the uniqueString of the connection's two ends.
 */
import { severityOf } from '../../diagnostics.js';
import type { Diagnostic } from '../../diagnostics.js';
import type { JsoncDocument } from './jsonc.js';
import { uniqueString } from './unique-string.js';
import { isObject, keyOf, makeObject } from './values.js';
import type { ArmObject, ArmValue } from './values.js';

/** What a placeholder is for: the resource that would get the value. */
export interface PlaceholderOwner {
  readonly type: string;
  readonly name: string;
  readonly id: string;
}

export const PUBLIC_IP_RANGE = { base: '203.0.113.', first: 10, last: 254, name: '203.0.113.0/24, TEST-NET-3' } as const;
export const BGP_PEER_RANGE = { base: '192.0.2.', first: 10, last: 254, name: '192.0.2.0/24, TEST-NET-1' } as const;

export class Placeholders {
  readonly warnings: Diagnostic[] = [];
  private readonly publicIps = new Map<string, string>();
  private readonly bgpPeers = new Map<string, string>();
  private readonly warned = new Set<string>();

  private next(map: Map<string, string>, id: string, range: typeof PUBLIC_IP_RANGE | typeof BGP_PEER_RANGE): string {
    const have = map.get(id.toLowerCase());
    if (have) return have;
    const k = range.first + map.size;
    // Past the range's end the addresses wrap round: two resources may then share one (a template with over 240 of them).
    const a = `${range.base}${range.first + ((k - range.first) % (range.last - range.first + 1))}`;
    map.set(id.toLowerCase(), a);
    return a;
  }

  /** The placeholder address of public IP resource `r`. */
  publicIp(r: PlaceholderOwner): string {
    return this.next(this.publicIps, r.id, PUBLIC_IP_RANGE);
  }

  /** The placeholder BGP peering address of gateway `r`. */
  bgpPeer(r: PlaceholderOwner): string {
    return this.next(this.bgpPeers, r.id, BGP_PEER_RANGE);
  }

  /**
   * The placeholder pre-shared key of a connection between `ends` (resource IDs, in any
   * order, so both directions of a VNet-to-VNet link get the same): letters and digits, as
   * Azure's keys are.
   */
  sharedKey(ends: readonly string[]): string {
    return `vgwsim${uniqueString([...ends].map((e) => e.toLowerCase()).sort())}`;
  }

  /** A warning at `offset` of `doc` that `what` got a placeholder (once per place and value). */
  warn(doc: JsoncDocument, offset: number, element: string, what: string, value: string, range: string, kind = 'address'): void {
    const pos = doc.lines.posAt(offset);
    const key = `${doc.file}:${pos.line}:${pos.column}:${value}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warnings.push({
      code: 'IMPORT_PLACEHOLDER',
      severity: severityOf('IMPORT_PLACEHOLDER'),
      file: doc.file,
      line: pos.line,
      column: pos.column,
      message: `${what} is known only after Azure deploys it; the import uses the placeholder ${value} (from ${range}) at ${element}: put the real ${kind} in the emitted YAML once it is known`,
    });
  }

  /** What `reference()` sees of resource `r`: its properties plus the values Azure would have assigned. */
  runtimeProperties(r: PlaceholderOwner, props: ArmObject, doc: JsoncDocument, offset: number, element = 'this reference() expression'): ArmObject {
    const type = r.type.toLowerCase();
    if (type === 'microsoft.network/publicipaddresses' && keyOf(props, 'ipAddress') === undefined) {
      const ip = this.publicIp(r);
      this.warn(doc, offset, element, `the address of public IP '${r.name}'`, ip, PUBLIC_IP_RANGE.name);
      return makeObject([...Object.entries(props), ['ipAddress', ip]]);
    }
    if (type === 'microsoft.network/virtualnetworkgateways') {
      const k = keyOf(props, 'bgpSettings');
      const bgp = k === undefined ? undefined : props[k];
      if (isObject(bgp) && keyOf(bgp, 'bgpPeeringAddress') === undefined) {
        const peer = this.bgpPeer(r);
        this.warn(doc, offset, element, `the BGP peering address of gateway '${r.name}'`, peer, BGP_PEER_RANGE.name);
        const withPeer: ArmValue = makeObject([...Object.entries(bgp), ['bgpPeeringAddress', peer]]);
        return makeObject([...Object.entries(props).filter(([x]) => x !== k), [k as string, withPeer]]);
      }
    }
    return props;
  }
}
