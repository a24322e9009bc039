/**
 * Explanations for learners: one paragraph for every drop reason and every diagnostic
 * code, as data. Each entry says what the code means, which configuration object is
 * responsible, and how to fix it. Shown by `vgw explain CODE` and in the TUI's detail
 * pane; a test fails when a reason or code of the stable tables has no entry here.
 *
 * Owns the lookup (case-insensitive, with a "did you mean"); rejects nothing else.
 */
import { DROP_REASON_NAMES, DROP_REASONS } from './engine/drop-reasons.js';
import type { DropReason } from './engine/drop-reasons.js';
import { DIAGNOSTIC_CODES, DIAGNOSTIC_INFO } from './scenario/diagnostics.js';
import type { DiagnosticCode } from './scenario/diagnostics.js';
import { suggest } from './scenario/suggest.js';
import { IKE_NOTIFY_EXPLANATIONS, IKE_STATUS_EXPLANATIONS, IKE_STATUS_NAMES } from './explain-ike.js';
import type { Explanation } from './explanation.js';

export type { Explanation } from './explanation.js';

/** Drop reasons, keyed by their stable name. */
export const DROP_EXPLANATIONS: Readonly<Record<DropReason, Explanation>> = {
  'no-route': {
    meaning: 'The node looked up the destination in its route table (longest prefix match) and found nothing that leads anywhere: either no route covers the address, or the best route has next hop None, which is a deliberate black hole.',
    responsible: 'the subnet\'s effective routes: `vnets[].subnets[].routes` (user-defined routes), the gateway\'s propagated prefixes (`sites[].addressPrefixes`, the P2S pool, BGP) and, on a route-based gateway, its connections.',
    fix: 'Add the destination prefix where it belongs (a site\'s addressPrefixes, a VNet\'s addressSpace), or remove or narrow the user-defined route with nextHop None that swallows it.',
  },
  'no-selector': {
    meaning: 'A policy-based gateway only forwards what one of its traffic selectors (prefix pairs) covers; the packet\'s source and destination match none of them, so there is no IPsec SA to put it in. Policy-based gateways have no route table to fall back on.',
    responsible: 'the gateway\'s selectors, built from every VNet `addressSpace` prefix × every `sites[].addressPrefixes` prefix of its connections (and, on the device side, `sites[].device.accessList`).',
    fix: 'Add the missing prefix to the VNet address space or to the site\'s addressPrefixes (and mirror it in the device access list), or use a route-based gateway if you need routing rather than fixed prefix pairs.',
  },
  'tunnel-down': {
    meaning: 'The packet was headed for a tunnel with no established SA for it: IKE failed (a shared-key or selector mismatch), a fault took the connection down, the peer never answered, or a policy-based device has none covering it. Nothing can be encrypted, so it is dropped.',
    responsible: 'the `connections[]` entry (its `sharedKey`), the site\'s `device` (its sharedKey and accessList must mirror the gateway), and `faults[]` that take the connection down.',
    fix: 'Make both ends use the same sharedKey, make the device access list the exact mirror of the gateway\'s selectors, or wait for (or remove) the fault that took the connection down.',
  },
  'unknown-spi': {
    meaning: 'An ESP packet arrived carrying a Security Parameter Index that no inbound SA owns: the sender uses keys the receiver never agreed to, or an old SA after a rekey, or the packet was forged.',
    responsible: 'the connection\'s SAs (negotiated from `connections[]` and the device); in labs, an injected packet.',
    fix: 'Re-establish the tunnel so both ends agree on the SA (matching keys and selectors); a forged packet needs no fix: dropping it is the protection working.',
  },
  'icv-mismatch': {
    meaning: 'ESP checks an integrity value (ICV) over every packet before decrypting it. It did not match: the packet was changed on the way, or the two ends derived different keys. The receiver discards it without looking inside.',
    responsible: 'the tunnel\'s SA and its keys (from the connection\'s `sharedKey`); in labs, a tampering fault on the path.',
    fix: 'If the packet was tampered with, the drop is ESP doing its job. If every packet fails, the ends have different keys: check the connection and device sharedKey.',
  },
  replay: {
    meaning: 'The ESP sequence number was already seen, or is older than the anti-replay window: an attacker (or a broken network) sent a copy of an earlier packet. IPsec refuses to deliver a packet twice.',
    responsible: 'the inbound SA\'s anti-replay window; in labs, a replay fault on the path.',
    fix: 'Nothing to fix when the packet really was replayed. If legitimate packets are dropped, they are reordered by more than the window: reduce reordering on the path.',
  },
  'inbound-policy': {
    meaning: 'The packet was decrypted correctly, but the inner addresses are not what the SA was negotiated for; the receiver checks the inner packet against the SA\'s traffic selectors and discards packets that do not belong (strongSwan: "discarded due to policy").',
    responsible: 'the traffic selectors on both ends: the VNet `addressSpace`, `sites[].addressPrefixes`, and `sites[].device.accessList`.',
    fix: 'Make the sender\'s selectors (device access list) the mirror of the receiver\'s, so each prefix pair has its own SA on both sides.',
  },
  'ttl-expired': {
    meaning: 'Each hop decrements the packet\'s time-to-live; it reached zero before the destination. Usually a routing loop (two nodes sending the packet back and forth) or a flow with a very small ttl.',
    responsible: 'the routes that form the loop (user-defined `routes:` and site prefixes), or the flow\'s `ttl` in `traffic[]`.',
    fix: 'Follow the hops in the trace to find where the packet turns back and fix that route; or raise the flow\'s ttl if it was set too low on purpose.',
  },
  'rate-limit': {
    meaning: 'More traffic was offered than the gateway\'s SKU can carry: the gateway meters its throughput with a token bucket that holds 50 ms of it, and a packet that finds too few bytes left is discarded at once (there is no queue to wait in). The sending gateway meters what it encrypts, the receiving gateway what it decrypts. Basic and Standard SKUs have a much lower throughput than HighPerformance.',
    responsible: 'the gateway\'s `sku` (its throughput) and the flows\' rate in `traffic[]`.',
    fix: 'Choose a larger SKU (where the VPN type allows it), spread the traffic over time (a larger interval), or send less.',
  },
  mtu: {
    meaning: 'The packet has Don\'t Fragment set, and with the ESP overhead (new IP header, SPI, sequence number, IV, padding, ICV) it no longer fits the path MTU; it may not be fragmented, so it is dropped.',
    responsible: 'the flow\'s `size` and `df` in `traffic[]`, and the tunnel\'s ESP overhead.',
    fix: 'Send smaller packets (lower the TCP MSS or the flow size) or clear DF so the packet can be fragmented.',
  },
  'no-host': {
    meaning: 'The packet reached the network that owns the destination prefix, but no host there has that address, so nobody can receive it.',
    responsible: 'the `hosts:` of the VNet or site that owns the prefix, and the flow\'s `to` in `traffic[]`.',
    fix: 'Send to an address that a host owns, or add the host to the VNet\'s or site\'s hosts.',
  },
  'p2s-auth': {
    meaning: 'A point-to-site client connected with a certificate the gateway does not accept: it was revoked or is not signed by an uploaded root. The gateway refuses its packets.',
    responsible: 'the client\'s `certificate` in `gateways[].p2s.clients[]`.',
    fix: 'Issue the client a valid certificate signed by the gateway\'s trusted root (certificate: valid); a revoked client staying out is the intended result.',
  },
};

/** Diagnostic codes, keyed by code. */
export const DIAGNOSTIC_EXPLANATIONS: Readonly<Record<DiagnosticCode, Explanation>> = {
  SCHEMA: {
    meaning: 'The file does not have the shape of a scenario: a required key is missing, a key is unknown (often a typo), or a value has the wrong type or is out of range (say, the size of a tcp flow below its 40 header bytes). Nothing is simulated until the shape is right.',
    responsible: 'the key or value at the line and column given.',
    fix: 'Follow the message (it names the expected type and often a "did you mean"); an editor with scenarios/scenario.schema.json completes keys for you.',
  },
  INVALID_PREFIX: {
    meaning: 'A prefix or address is not valid IPv4 CIDR, or a prefix has host bits set (10.1.0.5/16): the simulator refuses to guess which network you meant.',
    responsible: 'the prefix or address at the line and column given (addressSpace, subnets, addressPrefixes, routes, hosts).',
    fix: 'Write the network address of the prefix (10.1.0.0/16), or widen/narrow the length to what you meant.',
  },
  UNKNOWN_REFERENCE: {
    meaning: 'One object names another (a gateway\'s vnet, a connection\'s site, an expectation\'s flow) that nothing defines.',
    responsible: 'the reference at the line and column given.',
    fix: 'Correct the spelling (the message suggests the closest name) or define the object it refers to.',
  },
  DUPLICATE_NAME: {
    meaning: 'Two objects of the same kind have the same name, so references to it would be ambiguous.',
    responsible: 'the second object with that name.',
    fix: 'Rename one of them and update the references.',
  },
  ADDRESS_OVERLAP: {
    meaning: 'Address spaces that must be disjoint overlap: a VNet with a site it connects to, two connected VNets, or a point-to-site pool. Routing could not tell which side an address belongs to.',
    responsible: 'the `addressSpace`, `addressPrefixes` or `p2s.addressPool` named in the message.',
    fix: 'Renumber one side so the prefixes no longer overlap.',
  },
  SITE_PREFIX_OVERLAP: {
    meaning: 'Two sites connected to one gateway share addresses. This is allowed (a warning): the gateway\'s longest prefix match sends each packet to the site with the more specific prefix.',
    responsible: 'the sites\' `addressPrefixes`.',
    fix: 'Nothing if you meant it (a more specific branch inside a larger HQ range); otherwise make the prefixes disjoint.',
  },
  GATEWAY_SUBNET_MISSING: {
    meaning: 'A virtual network gateway is deployed into a subnet that must be called exactly GatewaySubnet; the gateway\'s VNet has none.',
    responsible: 'the gateway\'s `vnet` and that VNet\'s `subnets`.',
    fix: 'Add a subnet named GatewaySubnet (a /27 or larger is recommended) to the VNet.',
  },
  GATEWAY_SUBNET_TOO_SMALL: {
    meaning: 'GatewaySubnet must be at least a /29: the gateway instances need addresses in it.',
    responsible: 'the GatewaySubnet `prefix`.',
    fix: 'Give GatewaySubnet a /29 or larger (/27 leaves room for coexistence with ExpressRoute).',
  },
  P2S_REQUIRES_ROUTE_BASED: {
    meaning: 'Point-to-site (SSTP client VPN) is only offered by route-based gateways; a policy-based gateway cannot have a client pool.',
    responsible: 'the gateway\'s `vpnType` and its `p2s` block.',
    fix: 'Make the gateway vpnType: RouteBased (with a matching device), or remove p2s.',
  },
  VNET2VNET_REQUIRES_ROUTE_BASED: {
    meaning: 'A VNet-to-VNet connection needs route-based gateways at both ends.',
    responsible: 'the `vpnType` of the gateways named by the Vnet2Vnet connection.',
    fix: 'Make both gateways vpnType: RouteBased.',
  },
  S2S_LIMIT_EXCEEDED: {
    meaning: 'A gateway has more Site-to-Site connections than its type and SKU allow; a policy-based gateway allows exactly one.',
    responsible: 'the gateway\'s `vpnType` and `sku`, and the `connections[]` that use it.',
    fix: 'Use a route-based gateway (and a larger SKU for more tunnels), or remove connections.',
  },
  P2S_LIMIT_EXCEEDED: {
    meaning: 'More point-to-site clients are configured than the gateway\'s SKU allows.',
    responsible: 'the gateway\'s `sku` and `p2s.clients`.',
    fix: 'Choose a larger SKU, or configure fewer clients.',
  },
  BGP_NOT_SUPPORTED: {
    meaning: 'BGP was configured on a gateway that cannot run it: policy-based gateways and the Basic SKU have no BGP.',
    responsible: 'the gateway\'s `bgp`, `vpnType` and `sku` (and the rules `edition`).',
    fix: 'Remove bgp, or use a route-based gateway of a SKU that supports it.',
  },
  COEXIST_NOT_SUPPORTED: {
    meaning: 'ExpressRoute and a Site-to-Site VPN can share a VNet only when the VPN gateway is route-based and not Basic.',
    responsible: 'the VPN gateway\'s `vpnType` and `sku` next to an ExpressRoute gateway in the same VNet.',
    fix: 'Make the VPN gateway RouteBased with SKU Standard or HighPerformance.',
  },
  SKU_NOT_AVAILABLE: {
    meaning: 'That combination of VPN type and SKU does not exist (for example a policy-based HighPerformance gateway).',
    responsible: 'the gateway\'s `vpnType` and `sku`.',
    fix: 'Pick a SKU the VPN type offers (the message lists them).',
  },
  DEVICE_VPN_TYPE_MISMATCH: {
    meaning: 'The on-premises device is configured for the other VPN type than the gateway: a policy-based device speaks IKEv1 with fixed selectors, a route-based gateway IKEv2 with any-to-any. The tunnel will not come up (warning).',
    responsible: 'the site\'s `device.vpnType` against the gateway\'s `vpnType`.',
    fix: 'Make the device\'s vpnType the same as the gateway\'s.',
  },
  SELECTOR_MISMATCH: {
    meaning: 'The device\'s access list is not the mirror of the gateway\'s traffic selectors (warning). The gateway negotiates exactly its prefix pairs (IKEv1 quick mode), and the device answers each with the first entry that covers it, as first match does for packets: a pair whose first covering entry is a deny, or that no entry covers, gets no SA (tunnel-down at the gateway; at the device sent in clear, or dropped where a permit entry matches); a pair whose first covering entry is a wider permit gets its SA under that entry and carries its own traffic, except what earlier entries match first (a deny sends it in clear); whatever else a permit entry matches has no SA the gateway would agree to, so the device drops it (tunnel-down). The message says which of these happen.',
    responsible: 'the site\'s `device.accessList` against the VNet addressSpace and site addressPrefixes.',
    fix: 'Add (or correct) one "permit ip SITE-PREFIX VNET-PREFIX" line per prefix pair, or delete the accessList so the device mirrors the Azure side.',
  },
  SHARED_KEY_MISMATCH: {
    meaning: 'The two ends of a connection use different pre-shared keys; IKE authentication fails and the tunnel stays down, so its packets are dropped tunnel-down (warning).',
    responsible: 'the connection\'s `sharedKey` and the site\'s `device.sharedKey` (or the other direction\'s connection for VNet-to-VNet).',
    fix: 'Use the same sharedKey on both ends (or remove the device\'s own key so it uses the connection\'s).',
  },
  ACL_SHADOWED: {
    meaning: 'An access-list entry can never match: earlier entries already cover every packet it would match (first match wins).',
    responsible: 'the `device.accessList` lines named in the message.',
    fix: 'Move the more specific entry above the broader one, or delete it.',
  },
  FORCED_TUNNEL_REQUIRES_ROUTE_BASED: {
    meaning: 'Forced tunnelling (a default site receiving 0.0.0.0/0) needs a route table on the gateway; a policy-based gateway only has selectors.',
    responsible: 'the gateway\'s `defaultSite` and `vpnType`.',
    fix: 'Make the gateway RouteBased, or remove defaultSite.',
  },
  TRANSFORM_NOT_OFFERED: {
    meaning: 'A connection asks for an ESP transform its gateway never offers under the scenario\'s rules edition (IKE would end with NO_PROPOSAL_CHOSEN). In the 2016 editions policy-based gateways offer ESP AES256, AES128 and 3DES with SHA1, route-based gateways add 3DES-MD5 and, for VNet-to-VNet only, NULL encryption; AES-GCM is in no 2016 offer. Edition azure-2018-10 offers AES-256-GCM first on route-based gateways and allows custom IPsec/IKE policies (AES-128-GCM, MD5, NULL) on Standard and HighPerformance.',
    responsible: 'the connection\'s `transform`, its gateway\'s `vpnType` and `sku`, and the scenario\'s `edition`.',
    fix: 'Pick a transform from the gateway\'s offers (the message lists them, and the edition that offers yours or allows it by a custom IPsec/IKE policy), remove `transform` to use Azure\'s first 2016 offer, aes256-sha1, or set `edition:` to the edition the message names.',
  },
  EXPECTED_DIAGNOSTICS: {
    meaning: 'The scenario lists diagnostic codes under expectDiagnostics (it is meant to be rejected or to warn), but not all of them occurred.',
    responsible: 'the `expectDiagnostics` list.',
    fix: 'Remove the codes that no longer occur, or restore the mistake the scenario is meant to show.',
  },
  PUBLIC_IP_REQUIRED: {
    meaning: 'A tunnel end must be reachable over the Internet: Azure needs "an externally facing public IPv4 address" on the on-premises VPN device, and gives every gateway an address from its own public space. The address is in a block the Internet cannot reach (private RFC 1918 space, shared 100.64.0.0/10, loopback, link-local, benchmarking, reserved, multicast, ...: the IANA special-purpose registry). The RFC 5737 documentation blocks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are accepted as stand-ins for public addresses.',
    responsible: 'the site\'s `gatewayIp` (when an IPsec connection uses the site) or the gateway\'s `publicIp`.',
    fix: 'Write the public address the device (or gateway) has on the Internet, or a documentation address such as 198.51.100.1.',
  },
  PUBLIC_IP_CONFLICT: {
    meaning: 'Two tunnel ends share one public address: an on-premises VPN device on a gateway\'s own publicIp (a tunnel to itself), or two gateways with the same publicIp. Every end of a tunnel has an address of its own.',
    responsible: 'the site\'s `gatewayIp` and the gateways\' `publicIp` named in the message.',
    fix: 'Give each device and each gateway a different public address.',
  },
  DEVICE_BEHIND_NAT: {
    meaning: 'The site\'s VPN device sits behind a NAT (`device.nat`): its own address is the NAT\'s inside address, and the site\'s gatewayIp is the NAT\'s public one. Azure\'s 2016 documents ask for a device address that "cannot be located behind a NAT" (vpn-gateway-site-to-site-create.md, ms.date 10/14/2016). The negotiation can still work with NAT traversal (RFC 7296 §2.23, RFC 3947/3948): both sides see the NAT in the NAT detection payloads, IKE moves to UDP 4500, ESP travels in UDP 4500 and the device sends keepalives to hold its NAT mapping. Nothing the gateway sends reaches the device before the device has sent through the NAT, so only the device can start a negotiation.',
    responsible: 'the site\'s `device.nat` (and the device\'s `ike.initiate`).',
    fix: 'Give the device a public address of its own (remove `nat`), or keep the NAT and let the device initiate (the default); make sure the NAT passes UDP 500 and 4500.',
  },
  NON_UNICAST_ADDRESS: {
    meaning: 'Some IPv4 blocks hold no unicast host: 0.0.0.0/8 ("this network"), 127.0.0.0/8 (loopback), 169.254.0.0/16 (link-local, never forwarded), 224.0.0.0/4 (multicast), 240.0.0.0/4 (reserved) and 255.255.255.255 (broadcast). They cannot be a VNet\'s, subnet\'s, site\'s or point-to-site pool\'s address space, a device route or a circuit\'s advertised on-premises prefix cannot name only them, and a flow cannot be sent to or from them: Azure blocks multicast and broadcast within VNets.',
    responsible: 'the prefix or flow address named in the message: `addressSpace`, a subnet `prefix`, `addressPrefixes`, `p2s.addressPool`, `onPremisesPrefixes`, `device.routes`, `device.nat.privateIp`, or a flow\'s `from`/`to`.',
    fix: 'Use private (RFC 1918) or public unicast space for networks, and a host name or a host\'s unicast address in flows.',
  },
  SUBNET_SIZE_UNSUPPORTED: {
    meaning: 'Azure supports subnets from /29 (eight addresses, five of which Azure keeps) up to /8. A smaller subnet has no address left for a VM; a larger one is refused.',
    responsible: 'the subnet\'s `prefix`.',
    fix: 'Make the subnet /29 or larger, or split a subnet larger than /8 into several.',
  },
  RESERVED_ADDRESS: {
    meaning: 'Azure keeps five addresses of every subnet: the network address, .1 (the subnet\'s default gateway), .2 and .3 (Azure DNS) and the last one (broadcast); a VM cannot have any of them. The whole GatewaySubnet belongs to the gateway: no VM goes there. A flow cannot be sent from such an address either.',
    responsible: 'the VNet host\'s `ip` (and the subnet it falls in), or a flow\'s `from` written as an address.',
    fix: 'Give the VM the first free address the message names (the fifth of its subnet or later), in a subnet other than GatewaySubnet.',
  },
  HOST_NAME_IS_ADDRESS: {
    meaning: 'A host is named like an IPv4 address. Flows name hosts and addresses in the same `from`/`to` keys, so a flow to that text could mean the host of that name or whichever host has that address.',
    responsible: 'the `name` of the VNet host, site host or point-to-site client.',
    fix: 'Rename the host (letters, digits, hyphens), and use the new name in flows.',
  },
  SHARED_KEY_INVALID: {
    meaning: 'A pre-shared key that cannot work: empty or only whitespace (IKE authenticates both ends with the key), or, for a key Azure holds (a connection\'s, or a device\'s standing in for a connection without one), longer than 128 characters or with characters other than letters and digits (Azure\'s 2016 rule: 1-128 alphanumeric characters). The key itself is never shown.',
    responsible: 'the connection\'s `sharedKey` or the site\'s `device.sharedKey`.',
    fix: 'Use 1-128 letters and digits, the same on both ends (or remove the device\'s key to use the connection\'s).',
  },
  SCENARIO_TOO_LARGE: {
    meaning: 'The scenario is larger than vgwsim simulates. These are vgwsim\'s limits, not Azure\'s: at most 1,000 traffic-selector prefix pairs over all policy-based connections (each VNet prefix × each site prefix gets its own SA pair) and at most 1,000 entries in one device access list. Other checks are skipped until it fits, because they would cost too much.',
    responsible: 'the VNet `addressSpace` and `sites[].addressPrefixes` of policy-based connections; `sites[].device.accessList`.',
    fix: 'Summarise the prefixes into fewer, wider ones (that is also what keeps a real policy-based tunnel manageable), or use a route-based gateway, whose one SA pair carries any prefix.',
  },
  TEMPLATE_INVALID: {
    meaning: 'vgw import evaluates a template the way Azure Resource Manager would before deploying it: its JSON, its expressions (functions, parameters, variables, copy loops, references) and the checks Azure makes on parameters. This one could not be evaluated, or Azure would refuse it: the message says why in the terms Azure\'s own error would use, at the line and column of the template or parameters file.',
    responsible: 'the template or parameters file at the position given (an expression, a parameter, a copy loop, a resource name).',
    fix: 'Correct the template at that position (or give the missing parameter with --parameters FILE or --set NAME=VALUE), then import again.',
  },
  IMPORT_NOT_MODELLED: {
    meaning: 'The template says something vgwsim\'s model of Azure\'s 2016 gateways has no place for: a resource type it does not simulate (listed once, with counts), a property that did not exist in 2016 (active-active, custom IPsec policies, zone-redundant SKUs...), or a later value mapped to its 2016 equivalent (VpnGw1 to Standard). The import keeps going; the emitted scenario simulates what the 2016 model can.',
    responsible: 'the template element named in the message (a resource or one of its properties).',
    fix: 'Nothing to fix when the difference does not matter to what you want to see; otherwise edit the emitted YAML (for example choose another SKU) or the template.',
  },
  IMPORT_PLACEHOLDER: {
    meaning: 'Some values exist only after Azure deploys a template: the address Azure gives a public IP (dynamic or static), the BGP peering address of a gateway. The import puts a placeholder from a documentation range in their place (public IPs from 203.0.113.0/24, TEST-NET-3; BGP peering addresses from 192.0.2.0/24, TEST-NET-1), the same one for every use of one resource.',
    responsible: 'the template expression or property named in the message (reference(...).ipAddress, a gateway\'s public IP, bgpSettings).',
    fix: 'Once the deployment exists, replace the placeholder in the emitted YAML with the real address (az network public-ip show), or keep it: the simulation works the same with any public address.',
  },
  TOO_MANY_DIAGNOSTICS: {
    meaning: 'The file has more problems than vgwsim lists: it shows the first 50 diagnostics of a file, in file order, and this last line counts the rest (its position is where the first one left out is). It is an error when any of the others is one, otherwise a warning. Often one early mistake (a broken indentation, a missing quote) causes many of the others.',
    responsible: 'the whole file: the diagnostics listed above it.',
    fix: 'Fix the problems listed (the first ones first), then validate again to see the next ones.',
  },
};

export type ExplainKind = 'drop-reason' | 'diagnostic' | 'ike-status' | 'ike-notify';

export interface ExplainEntry extends Explanation {
  readonly kind: ExplainKind;
  /** The code as written in the tables (drop reasons lower case, diagnostics upper case). */
  readonly code: string;
  /** The table's one-line summary. */
  readonly summary: string;
  /** Diagnostics only. */
  readonly severity?: 'error' | 'warning';
}

/** Every explainable code: drop reasons first, then diagnostics, IKE statuses and IKE notifies, in table order. */
export function allExplanations(): ExplainEntry[] {
  return [
    ...DROP_REASON_NAMES.map((r): ExplainEntry => ({
      kind: 'drop-reason', code: r, summary: DROP_REASONS.find((d) => d.name === r)?.summary ?? '', ...DROP_EXPLANATIONS[r],
    })),
    ...DIAGNOSTIC_CODES.map((c): ExplainEntry => {
      const info = DIAGNOSTIC_INFO.find((d) => d.code === c);
      return { kind: 'diagnostic', code: c, summary: info?.summary ?? '', ...(info ? { severity: info.severity } : {}), ...DIAGNOSTIC_EXPLANATIONS[c] };
    }),
    ...IKE_STATUS_NAMES.map((c): ExplainEntry => ({ kind: 'ike-status', code: c, ...IKE_STATUS_EXPLANATIONS[c] })),
    ...Object.entries(IKE_NOTIFY_EXPLANATIONS).map(([c, x]): ExplainEntry => ({ kind: 'ike-notify', code: c, ...x })),
  ];
}

/** Look a code up, case-insensitive (`NO_ROUTE` finds no-route too); on a miss, the closest code. */
export function explain(code: string): { entry: ExplainEntry } | { suggestion?: string } {
  const norm = (s: string) => s.toLowerCase().replace(/_/g, '-');
  const all = allExplanations();
  const hit = all.find((e) => norm(e.code) === norm(code));
  if (hit) return { entry: hit };
  const s = suggest(code.toLowerCase(), all.map((e) => e.code.toLowerCase()));
  const sug = s === undefined ? undefined : all.find((e) => e.code.toLowerCase() === s)?.code;
  return sug === undefined ? {} : { suggestion: sug };
}

/** A drop reason explained as one paragraph (for the TUI detail pane). */
export function explainDrop(reason: DropReason): string {
  const e = DROP_EXPLANATIONS[reason];
  return `${e.meaning} Responsible: ${e.responsible} Fix: ${e.fix}`;
}
