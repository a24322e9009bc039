/**
 * Diagnostics: the stable codes of SCENARIO-FORMAT.md, declared as data, the shape every
 * problem found in a scenario takes, and the one collector the checks build them with
 * (Report: a diagnostic at the position of a document path). Loading and checking collect
 * all diagnostics instead of stopping at the first.
 */
import { positionOf } from './types.js';
import type { Scenario } from './types.js';
import type { SourcePos } from './source-text.js';

export const DIAGNOSTIC_CODES = [
  'SCHEMA',
  'INVALID_PREFIX',
  'UNKNOWN_REFERENCE',
  'DUPLICATE_NAME',
  'ADDRESS_OVERLAP',
  'SITE_PREFIX_OVERLAP',
  'GATEWAY_SUBNET_MISSING',
  'GATEWAY_SUBNET_TOO_SMALL',
  'P2S_REQUIRES_ROUTE_BASED',
  'VNET2VNET_REQUIRES_ROUTE_BASED',
  'S2S_LIMIT_EXCEEDED',
  'P2S_LIMIT_EXCEEDED',
  'BGP_NOT_SUPPORTED',
  'COEXIST_NOT_SUPPORTED',
  'SKU_NOT_AVAILABLE',
  'DEVICE_VPN_TYPE_MISMATCH',
  'SELECTOR_MISMATCH',
  'SHARED_KEY_MISMATCH',
  // Added by vgwsim beyond the contract's core table (the contract lets us add, never remove).
  'ACL_SHADOWED',
  'FORCED_TUNNEL_REQUIRES_ROUTE_BASED',
  'EXPECTED_DIAGNOSTICS',
  'TRANSFORM_NOT_OFFERED',
  'PUBLIC_IP_REQUIRED',
  'PUBLIC_IP_CONFLICT',
  'NON_UNICAST_ADDRESS',
  'SUBNET_SIZE_UNSUPPORTED',
  'RESERVED_ADDRESS',
  'HOST_NAME_IS_ADDRESS',
  'SHARED_KEY_INVALID',
  'DEVICE_BEHIND_NAT',
  'TOO_MANY_DIAGNOSTICS',
  'SCENARIO_TOO_LARGE',
  'TEMPLATE_INVALID',
  'IMPORT_NOT_MODELLED',
  'IMPORT_PLACEHOLDER',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export type Severity = 'error' | 'warning';

export interface DiagnosticCodeInfo {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly summary: string;
}

export const DIAGNOSTIC_INFO: readonly DiagnosticCodeInfo[] = [
  { code: 'SCHEMA', severity: 'error', summary: 'a key is missing, unknown or of the wrong type' },
  { code: 'INVALID_PREFIX', severity: 'error', summary: 'not a valid CIDR prefix or address, or host bits set' },
  { code: 'UNKNOWN_REFERENCE', severity: 'error', summary: 'a name that nothing defines' },
  { code: 'DUPLICATE_NAME', severity: 'error', summary: 'two objects of one kind share a name' },
  { code: 'ADDRESS_OVERLAP', severity: 'error', summary: 'address spaces that must be disjoint overlap' },
  { code: 'SITE_PREFIX_OVERLAP', severity: 'warning', summary: 'two sites of one gateway share addresses (longest prefix match decides)' },
  { code: 'GATEWAY_SUBNET_MISSING', severity: 'error', summary: "the gateway's VNet has no subnet named GatewaySubnet" },
  { code: 'GATEWAY_SUBNET_TOO_SMALL', severity: 'error', summary: 'GatewaySubnet smaller than /29' },
  { code: 'P2S_REQUIRES_ROUTE_BASED', severity: 'error', summary: 'point-to-site on a policy-based gateway' },
  { code: 'VNET2VNET_REQUIRES_ROUTE_BASED', severity: 'error', summary: 'VNet-to-VNet on a policy-based gateway' },
  { code: 'S2S_LIMIT_EXCEEDED', severity: 'error', summary: 'more Site-to-Site connections than the type and SKU allow' },
  { code: 'P2S_LIMIT_EXCEEDED', severity: 'error', summary: 'more point-to-site clients than allowed' },
  { code: 'BGP_NOT_SUPPORTED', severity: 'error', summary: 'BGP on a gateway whose type/SKU does not support it' },
  { code: 'COEXIST_NOT_SUPPORTED', severity: 'error', summary: 'ExpressRoute + VPN on a Basic SKU or a policy-based gateway' },
  { code: 'SKU_NOT_AVAILABLE', severity: 'error', summary: 'the VPN type and SKU combination does not exist' },
  { code: 'DEVICE_VPN_TYPE_MISMATCH', severity: 'warning', summary: "the on-premises device cannot do the gateway's VPN type" },
  { code: 'SELECTOR_MISMATCH', severity: 'warning', summary: "the device's access list is not the mirror of the gateway's selectors" },
  { code: 'SHARED_KEY_MISMATCH', severity: 'warning', summary: 'the two ends of a connection have different keys (tunnel stays down)' },
  { code: 'ACL_SHADOWED', severity: 'warning', summary: 'an access-list entry can never match: earlier entries cover it' },
  { code: 'FORCED_TUNNEL_REQUIRES_ROUTE_BASED', severity: 'error', summary: 'a default site (forced tunnelling) on a gateway that is not route-based' },
  { code: 'EXPECTED_DIAGNOSTICS', severity: 'error', summary: 'the scenario lists expectDiagnostics that did not all occur' },
  { code: 'TRANSFORM_NOT_OFFERED', severity: 'error', summary: "a connection's ESP transform is not among its gateway's IPsec offers" },
  { code: 'PUBLIC_IP_REQUIRED', severity: 'error', summary: "a VPN device's gatewayIp or a gateway's publicIp is not a public IPv4 address" },
  { code: 'PUBLIC_IP_CONFLICT', severity: 'error', summary: "a VPN device on a gateway's own public IP, or two gateways with one public IP" },
  { code: 'NON_UNICAST_ADDRESS', severity: 'error', summary: 'an address space, a device or circuit route, a device\'s address behind a NAT, or a flow address where no unicast host can be (0/8, loopback, link-local, multicast, 240/4, broadcast)' },
  { code: 'SUBNET_SIZE_UNSUPPORTED', severity: 'error', summary: 'a subnet smaller than /29 or larger than /8' },
  { code: 'RESERVED_ADDRESS', severity: 'error', summary: "a VM or a flow's source on an address Azure reserves: a subnet's first four or last address, or the GatewaySubnet" },
  { code: 'HOST_NAME_IS_ADDRESS', severity: 'error', summary: 'a host named like an IPv4 address (ambiguous in flows)' },
  { code: 'SHARED_KEY_INVALID', severity: 'error', summary: 'a pre-shared key that is empty, or one Azure holds that is not 1-128 letters and digits' },
  { code: 'DEVICE_BEHIND_NAT', severity: 'warning', summary: "a site's VPN device behind a NAT: Azure's 2016 documents ask for a device address not behind a NAT; the device must start the negotiation (NAT traversal)" },
  { code: 'TOO_MANY_DIAGNOSTICS', severity: 'error', summary: 'the file has more diagnostics than are listed (50 per file); the rest are counted, not shown' },
  { code: 'SCENARIO_TOO_LARGE', severity: 'error', summary: "the scenario is larger than vgwsim simulates (policy-based prefix pairs, access-list entries)" },
  { code: 'TEMPLATE_INVALID', severity: 'error', summary: 'an imported template cannot be evaluated (malformed JSON, an unknown function, a wrong argument, a missing parameter, a cycle) or Azure would reject it' },
  { code: 'IMPORT_NOT_MODELLED', severity: 'warning', summary: "an imported resource type or property that vgwsim's 2016 model lacks, or a later value mapped to its 2016 equivalent" },
  { code: 'IMPORT_PLACEHOLDER', severity: 'warning', summary: 'an imported value Azure assigns only when it deploys (a public IP address, a BGP peering address) got a placeholder from a documentation range' },
];

export function severityOf(code: DiagnosticCode): Severity {
  const info = DIAGNOSTIC_INFO.find((d) => d.code === code);
  return info ? info.severity : 'error';
}

export type { SourcePos };

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** The file the problem is in (as given on the command line). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** One or two sentences: what is wrong and how to fix it. Never contains a shared key. */
  readonly message: string;
  /** Path of the offending value in the document, e.g. `gateways[0].sku`. */
  readonly path?: string;
}

/**
 * Collects the diagnostics of one checked scenario: each at the line and column of its
 * document path (plus `columnOffset` columns, for a position inside the value), with the
 * code's severity. Every rules check builds its diagnostics here.
 */
export class Report {
  readonly out: Diagnostic[] = [];
  constructor(readonly s: Scenario) {}
  add(code: DiagnosticCode, path: string, message: string, columnOffset = 0): void {
    const pos = positionOf(this.s, path);
    this.out.push({ code, severity: severityOf(code), file: this.s.file, line: pos.line, column: pos.column + columnOffset, message, path });
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`;
}

/** Diagnostics listed per file; more are counted in one TOO_MANY_DIAGNOSTICS after them. */
export const MAX_DIAGNOSTICS = 50;

/**
 * The TOO_MANY_DIAGNOSTICS that stands for `omitted` diagnostics left off a list, at the
 * position of the first one left off. It is an error when any of them is (`errors` > 0),
 * else a warning, so it never makes a valid scenario invalid.
 */
export function moreDiagnostics(file: string, at: SourcePos, omitted: number, errors: number): Diagnostic {
  const warnings = omitted - errors;
  const parts = [errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter((p) => p !== '');
  return {
    code: 'TOO_MANY_DIAGNOSTICS',
    severity: errors > 0 ? 'error' : 'warning',
    file,
    line: at.line,
    column: at.column,
    message: `... and ${omitted} more (${parts.join(', ')}) not listed: vgwsim lists the first ${MAX_DIAGNOSTICS} diagnostics of a file; fix these and validate again`,
  };
}

/**
 * `ds` (in its order) cut to the first `max`, followed by one TOO_MANY_DIAGNOSTICS for
 * the rest when there are more.
 */
export function capDiagnostics(ds: readonly Diagnostic[], max: number = MAX_DIAGNOSTICS): Diagnostic[] {
  if (ds.length <= max) return [...ds];
  const rest = ds.slice(max);
  const first = rest[0] as Diagnostic;
  const errors = rest.filter((d) => d.severity === 'error').length;
  return [...ds.slice(0, max), moreDiagnostics(first.file, first, rest.length, errors)];
}
