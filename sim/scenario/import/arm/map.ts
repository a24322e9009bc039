/**
 * From the resources of a deployed-on-paper ARM template to a vgwsim scenario document (the
 * YAML shape of SCENARIO-FORMAT.md, as plain objects in the key order the examples use) and
 * the Origins of every element it writes.
 *
 *   Microsoft.Network/virtualNetworks (+ /subnets)     → vnets, subnets
 *   Microsoft.Network/routeTables (+ /routes)          → the routes of the subnets that use them
 *   Microsoft.Network/publicIPAddresses                → a gateway's publicIp (a placeholder)
 *   Microsoft.Network/virtualNetworkGateways           → gateways (sku mapped to 2016's, bgp, p2s)
 *   Microsoft.Network/localNetworkGateways             → sites
 *   Microsoft.Network/connections                      → connections (ipsecPolicies → transform)
 *   Microsoft.Network/expressRouteCircuits             → circuits
 * What the 2016 model lacks is named in an IMPORT_NOT_MODELLED warning (one per resource
 * listing its properties; one for all resource types not modelled, with counts). To make
 * the scenario runnable, ../scenario-doc.ts adds probe hosts and flows.
 *
 * Over 500 lines because the mapping of the seven resource types reads best side by side:
 * each is a short function over one shared set of helpers.
 */
import { severityOf } from '../../diagnostics.js';
import type { Diagnostic, DiagnosticCode } from '../../diagnostics.js';
import { Origins } from '../origins.js';
import type { Origin } from '../origins.js';
import type { ArmResource, DeploymentState } from './template.js';
import { TemplateError } from './template.js';
import { PUBLIC_IP_RANGE } from './placeholders.js';
import { isArray, isObject, keyOf } from './values.js';
import { addProbeTraffic } from '../scenario-doc.js';
import type { Doc } from '../scenario-doc.js';
import type { ArmObject, ArmValue } from './values.js';

export type { Doc, DocValue } from '../scenario-doc.js';

export interface Mapped {
  readonly doc: Doc;
  readonly origins: Origins;
  /** Paths of elements the import added (hosts, traffic), with why. */
  readonly added: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
}

/** 2016 SKU names, and the later ones with the 2016 SKU Microsoft's migration table maps them to. */
const VPN_SKUS: Readonly<Record<string, { sku: string; note?: string }>> = {
  basic: { sku: 'Basic' },
  standard: { sku: 'Standard' },
  highperformance: { sku: 'HighPerformance' },
  vpngw1: { sku: 'Standard', note: 'VpnGw1 is the successor of Standard (Microsoft\'s legacy SKU migration maps Standard to VpnGw1); simulated as Standard' },
  vpngw2: { sku: 'HighPerformance', note: 'VpnGw2 is the successor of HighPerformance (Microsoft\'s legacy SKU migration maps HighPerformance to VpnGw2); simulated as HighPerformance' },
};
const ER_SKUS: Readonly<Record<string, { sku: string; note?: string }>> = {
  basic: { sku: 'Basic' },
  standard: { sku: 'Standard' },
  highperformance: { sku: 'HighPerformance' },
  ergw1az: { sku: 'Standard', note: 'ErGw1AZ is the zone-redundant Standard; simulated as Standard (zones are not modelled)' },
  ergw2az: { sku: 'HighPerformance', note: 'ErGw2AZ is the zone-redundant HighPerformance; simulated as HighPerformance (zones are not modelled)' },
};

const ENCRYPTION: Readonly<Record<string, string>> = { aes256: 'aes256', aes128: 'aes128', des3: '3des', gcmaes256: 'aes256gcm16', gcmaes128: 'aes128gcm16' };
const INTEGRITY: Readonly<Record<string, string>> = { sha1: 'sha1', md5: 'md5' };

/** Properties each type maps or that carry nothing a simulation needs (names lower-case, `properties.` paths). */
const HANDLED: Readonly<Record<string, readonly string[]>> = {
  'microsoft.network/virtualnetworks': ['addressspace', 'subnets', 'provisioningstate'],
  'microsoft.network/virtualnetworks/subnets': ['addressprefix', 'addressprefixes', 'routetable', 'provisioningstate'],
  'microsoft.network/publicipaddresses': ['publicipallocationmethod', 'ipaddress', 'publicipaddressversion', 'idletimeoutinminutes', 'dnssettings', 'provisioningstate'],
  'microsoft.network/virtualnetworkgateways': ['ipconfigurations', 'gatewaytype', 'vpntype', 'sku', 'enablebgp', 'bgpsettings', 'activeactive', 'vpnclientconfiguration', 'gatewaydefaultsite', 'provisioningstate'],
  'microsoft.network/localnetworkgateways': ['gatewayipaddress', 'fqdn', 'localnetworkaddressspace', 'bgpsettings', 'provisioningstate'],
  'microsoft.network/connections': ['connectiontype', 'connectionprotocol', 'virtualnetworkgateway1', 'virtualnetworkgateway2', 'localnetworkgateway2', 'peer', 'sharedkey', 'ipsecpolicies', 'usepolicybasedtrafficselectors', 'enablebgp', 'provisioningstate'],
  'microsoft.network/expressroutecircuits': ['serviceproviderproperties', 'provisioningstate'],
  'microsoft.network/routetables': ['routes', 'provisioningstate'],
  'microsoft.network/routetables/routes': ['addressprefix', 'nexthoptype', 'provisioningstate'],
};

/** Placeholder for the on-premises prefixes a circuit's BGP would learn: 198.18.0.0/15 (RFC 2544, never routed). */
export const CIRCUIT_PREFIX_PLACEHOLDER = '198.18.0.0/15';

/** The value at a dotted path of an evaluated resource body (names ignore case), or undefined. */
function at(o: ArmValue | undefined, path: string): ArmValue | undefined {
  let v: ArmValue | undefined = o;
  for (const part of path.split('.')) {
    const m = /^(\w+)(?:\[(\d+)\])?$/.exec(part);
    if (!m || !isObject(v)) return undefined;
    const k = keyOf(v, m[1] as string);
    v = k === undefined ? undefined : v[k];
    if (m[2] !== undefined) v = isArray(v) ? v[Number(m[2])] : undefined;
  }
  return v;
}

/** The last name segment of a resource ID (`.../virtualNetworks/vnet1` → vnet1). */
function lastSegment(id: string): string {
  return id.split('/').filter((x) => x !== '').pop() ?? id;
}

function shortType(type: string): string {
  return type.replace(/^Microsoft\.Network\//i, '');
}

class Mapper {
  readonly doc: Doc = {};
  readonly origins = new Origins();
  readonly added = new Map<string, string>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly bodies = new Map<ArmResource, ArmObject | undefined>();

  constructor(private readonly dep: DeploymentState) {}

  state(): DeploymentState {
    return this.dep;
  }

  placeholders(): DeploymentState['placeholders'] {
    return this.dep.placeholders;
  }

  body(r: ArmResource): ArmObject | undefined {
    if (this.bodies.has(r)) return this.bodies.get(r);
    let b: ArmObject | undefined;
    try {
      b = r.body();
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      this.error(e);
    }
    this.bodies.set(r, b);
    return b;
  }

  error(e: TemplateError): void {
    const pos = e.doc.lines.posAt(e.offset);
    this.diagnostics.push({ code: 'TEMPLATE_INVALID', severity: 'error', file: e.doc.file, line: pos.line, column: pos.column, message: e.message });
  }

  origin(r: ArmResource, path: string): Origin {
    const pos = r.doc.lines.posAt(r.offsetOf(path));
    const element = path === '' ? `${r.element} ${shortType(r.type)} '${r.name}'` : `${r.element}.${path}`;
    return { file: r.doc.file, line: pos.line, column: pos.column, element };
  }

  note(code: DiagnosticCode, r: ArmResource, path: string, message: string): void {
    const o = this.origin(r, path);
    this.diagnostics.push({ code, severity: severityOf(code), file: o.file, line: o.line, column: o.column, message });
  }

  /** Record where scenario `docPath` came from. */
  from(docPath: string, r: ArmResource, path: string): void {
    this.origins.set(docPath, this.origin(r, path));
  }

  /** Warn about the properties of `r` that nothing maps. */
  leftovers(r: ArmResource, b: ArmObject): void {
    const handled = HANDLED[r.type.toLowerCase()] ?? [];
    const props = at(b, 'properties');
    const extra = isObject(props) ? Object.keys(props).filter((k) => !handled.includes(k.toLowerCase())) : [];
    if (extra.length > 0) {
      this.note('IMPORT_NOT_MODELLED', r, 'properties', `${shortType(r.type)} '${r.name}': ${extra.map((k) => `properties.${k}`).join(', ')} ${extra.length === 1 ? 'has' : 'have'} no place in vgwsim's 2016 model and ${extra.length === 1 ? 'is' : 'are'} not imported`);
    }
  }

  /** The resources of `type` whose body evaluated, with their bodies; the properties nothing maps are reported. */
  bodiesOf(type: string): [ArmResource, ArmObject][] {
    const out: [ArmResource, ArmObject][] = [];
    for (const r of this.ofType(type)) {
      const b = this.body(r);
      if (!b) continue;
      this.leftovers(r, b);
      out.push([r, b]);
    }
    return out;
  }

  /** Record where the object at `docPath` and its name came from: resource `r`. */
  named(docPath: string, r: ArmResource): void {
    this.from(docPath, r, '');
    this.from(`${docPath}.name`, r, 'name');
  }

  ofType(type: string): ArmResource[] {
    return this.dep.resources.filter((r) => r.type.toLowerCase() === type);
  }

  str(r: ArmResource, b: ArmObject, path: string, what: string): string | undefined {
    const v = at(b, path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.note('TEMPLATE_INVALID', r, path, `${shortType(r.type)} '${r.name}': ${path} (${what}) must be a string`);
      return undefined;
    }
    return v;
  }

  strings(r: ArmResource, b: ArmObject, path: string): string[] {
    const v = at(b, path);
    if (v === undefined || v === null) return [];
    if (!isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.note('TEMPLATE_INVALID', r, path, `${shortType(r.type)} '${r.name}': ${path} must be an array of strings`);
      return [];
    }
    return v as string[];
  }
}

function routesOf(m: Mapper): Map<string, { r: ArmResource; path: string; prefix: string; nextHop: string }[]> {
  const byTable = new Map<string, { r: ArmResource; path: string; prefix: string; nextHop: string }[]>();
  const add = (tableId: string, r: ArmResource, b: ArmObject, base: string): void => {
    const prefix = m.str(r, b, `${base}.addressPrefix`, 'the route prefix');
    const hop = m.str(r, b, `${base}.nextHopType`, 'the next hop type');
    if (prefix === undefined || hop === undefined) return;
    const nextHop = ['VirtualNetworkGateway', 'Internet', 'None'].find((h) => h.toLowerCase() === hop.toLowerCase());
    if (!nextHop) {
      m.note('IMPORT_NOT_MODELLED', r, `${base}.nextHopType`, `the route ${prefix} → ${hop} is not imported: vgwsim's 2016 model has the next hops VirtualNetworkGateway, Internet and None`);
      return;
    }
    const list = byTable.get(tableId.toLowerCase()) ?? [];
    list.push({ r, path: base, prefix, nextHop });
    byTable.set(tableId.toLowerCase(), list);
  };
  for (const [t, b] of m.bodiesOf('microsoft.network/routetables')) {
    const routes = at(b, 'properties.routes');
    if (isArray(routes)) routes.forEach((_x, i) => add(t.id, t, b, `properties.routes[${i}].properties`));
  }
  for (const [r, b] of m.bodiesOf('microsoft.network/routetables/routes')) {
    add(r.id.replace(/\/routes\/[^/]+$/i, ''), r, b, 'properties');
  }
  return byTable;
}

function mapVnets(m: Mapper, routes: ReturnType<typeof routesOf>): Doc[] {
  const vnets: Doc[] = [];
  const vnetResources = m.ofType('microsoft.network/virtualnetworks');
  const subnetChildren = m.ofType('microsoft.network/virtualnetworks/subnets');
  for (const [r, b] of m.bodiesOf('microsoft.network/virtualnetworks')) {
    const path = `vnets[${vnets.length}]`;
    m.named(path, r);
    m.from(`${path}.addressSpace`, r, 'properties.addressSpace.addressPrefixes');
    const subnets: Doc[] = [];
    const addSubnet = (s: ArmResource, sb: ArmObject, base: string, name: string): void => {
      const sp = `${path}.subnets[${subnets.length}]`;
      const one = m.str(s, sb, `${base}.addressPrefix`, 'the subnet prefix');
      const many = m.strings(s, sb, `${base}.addressPrefixes`);
      const prefix = one ?? many[0];
      if (prefix === undefined) {
        m.note('TEMPLATE_INVALID', s, base, `subnet '${name}' of VNet '${r.name}' has no addressPrefix; Azure requires one`);
        return;
      }
      if (one === undefined && many.length > 1) m.note('IMPORT_NOT_MODELLED', s, `${base}.addressPrefixes`, `subnet '${name}' has ${many.length} prefixes; vgwsim's subnets have one: only ${prefix} is imported`);
      const subnet: Doc = { name, prefix };
      m.from(sp, s, base === 'properties' ? '' : base.replace(/\.properties$/, ''));
      m.from(`${sp}.prefix`, s, one !== undefined ? `${base}.addressPrefix` : `${base}.addressPrefixes`);
      const table = m.str(s, sb, `${base}.routeTable.id`, 'the route table ID');
      if (table !== undefined) {
        const list = routes.get(table.toLowerCase()) ?? [];
        subnet['routes'] = list.map((x, k) => {
          m.from(`${sp}.routes[${k}]`, x.r, x.path.replace(/\.properties$/, ''));
          return { prefix: x.prefix, nextHop: x.nextHop };
        });
        m.from(`${sp}.routes`, s, `${base}.routeTable.id`);
      }
      const own = at(sb, base);
      const subnetKeys = HANDLED['microsoft.network/virtualnetworks/subnets'] ?? [];
      const extra = s === r && isObject(own) ? Object.keys(own).filter((k) => !subnetKeys.includes(k.toLowerCase())) : [];
      if (extra.length > 0) m.note('IMPORT_NOT_MODELLED', s, `${base}.${extra[0] as string}`, `subnet '${name}' of VNet '${r.name}': ${extra.join(', ')} ${extra.length === 1 ? 'has' : 'have'} no place in vgwsim's 2016 model and ${extra.length === 1 ? 'is' : 'are'} not imported`);
      subnets.push(subnet);
    };
    const inline = at(b, 'properties.subnets');
    if (isArray(inline)) {
      inline.forEach((s, i) => {
        const name = isObject(s) && typeof at(s, 'name') === 'string' ? (at(s, 'name') as string) : `subnet${i}`;
        addSubnet(r, b, `properties.subnets[${i}].properties`, name);
      });
    }
    for (const c of subnetChildren) {
      if (c.name.split('/')[0]?.toLowerCase() !== r.name.toLowerCase()) continue;
      const cb = m.body(c);
      if (!cb) continue;
      m.leftovers(c, cb);
      addSubnet(c, cb, 'properties', c.name.split('/')[1] as string);
    }
    vnets.push({ name: r.name, addressSpace: m.strings(r, b, 'properties.addressSpace.addressPrefixes'), subnets });
  }
  for (const c of subnetChildren) {
    if (!vnetResources.some((v) => v.name.toLowerCase() === c.name.split('/')[0]?.toLowerCase())) {
      m.note('TEMPLATE_INVALID', c, '', `subnet '${c.name}' belongs to VNet '${c.name.split('/')[0]}', which this template does not deploy; vgwsim imports only what the template creates`);
    }
  }
  return vnets;
}

function publicIpOf(m: Mapper, gw: ArmResource, b: ArmObject, path: string): string | undefined {
  const id = m.str(gw, b, `${path}.publicIPAddress.id`, 'the public IP ID');
  if (id === undefined) return undefined;
  const pip = m.state().find(id);
  if (!pip) {
    m.note('TEMPLATE_INVALID', gw, `${path}.publicIPAddress.id`, `gateway '${gw.name}' uses the public IP ${id}, which this template does not deploy`);
    return undefined;
  }
  const pb = m.body(pip);
  const given = pb ? at(pb, 'properties.ipAddress') : undefined;
  if (typeof given === 'string') return given;
  const ip = m.placeholders().publicIp(pip);
  m.placeholders().warn(gw.doc, gw.offsetOf(`${path}.publicIPAddress.id`), `${gw.element}.${path}.publicIPAddress.id`, `the address of public IP '${pip.name}' (gateway '${gw.name}')`, ip, PUBLIC_IP_RANGE.name);
  return ip;
}

function mapGateways(m: Mapper): Doc[] {
  const out: Doc[] = [];
  for (const [r, b] of m.bodiesOf('microsoft.network/virtualnetworkgateways')) {
    const path = `gateways[${out.length}]`;
    m.named(path, r);
    const subnetId = m.str(r, b, 'properties.ipConfigurations[0].properties.subnet.id', 'the gateway subnet ID') ?? '';
    const vnet = /\/virtualNetworks\/([^/]+)/i.exec(subnetId)?.[1];
    if (!vnet) {
      m.note('TEMPLATE_INVALID', r, 'properties.ipConfigurations', `gateway '${r.name}' has no ipConfigurations[0].properties.subnet.id naming its VNet's GatewaySubnet; Azure requires one`);
      continue;
    }
    m.from(`${path}.vnet`, r, 'properties.ipConfigurations[0].properties.subnet.id');
    const gatewayType = m.str(r, b, 'properties.gatewayType', 'the gateway type') ?? 'Vpn';
    const type = ['Vpn', 'ExpressRoute'].find((t) => t.toLowerCase() === gatewayType.toLowerCase());
    if (!type) {
      m.note('IMPORT_NOT_MODELLED', r, 'properties.gatewayType', `gateway '${r.name}' has gatewayType ${gatewayType}; vgwsim models Vpn and ExpressRoute gateways: not imported`);
      continue;
    }
    m.from(`${path}.type`, r, 'properties.gatewayType');
    const gw: Doc = { name: r.name, vnet, type };
    if (type === 'Vpn') {
      gw['vpnType'] = m.str(r, b, 'properties.vpnType', 'the VPN type') ?? 'RouteBased';
      m.from(`${path}.vpnType`, r, 'properties.vpnType');
    }
    const skuName = m.str(r, b, 'properties.sku.name', 'the SKU') ?? 'Basic';
    const known = (type === 'Vpn' ? VPN_SKUS : ER_SKUS)[skuName.toLowerCase()];
    const nearest = 'HighPerformance';
    gw['sku'] = known?.sku ?? nearest;
    m.from(`${path}.sku`, r, 'properties.sku.name');
    if (known?.note) m.note('IMPORT_NOT_MODELLED', r, 'properties.sku.name', `gateway '${r.name}': ${known.note}`);
    if (!known) m.note('IMPORT_NOT_MODELLED', r, 'properties.sku.name', `gateway '${r.name}': the SKU ${skuName} has no 2016 equivalent (2016 had Basic, Standard and HighPerformance); simulated as ${nearest}, the largest 2016 SKU, with its limits`);
    const pip = type === 'Vpn' ? publicIpOf(m, r, b, 'properties.ipConfigurations[0].properties') : undefined;
    if (pip !== undefined) {
      gw['publicIp'] = pip;
      m.from(`${path}.publicIp`, r, 'properties.ipConfigurations[0].properties.publicIPAddress.id');
    }
    if (at(b, 'properties.activeActive') === true) m.note('IMPORT_NOT_MODELLED', r, 'properties.activeActive', `gateway '${r.name}': active-active gateways came after 2016; simulated as one active instance on its first IP configuration`);
    if (at(b, 'properties.enableBgp') === true) {
      const asn = at(b, 'properties.bgpSettings.asn');
      gw['bgp'] = { asn: typeof asn === 'number' ? asn : 65515 };
      m.from(`${path}.bgp`, r, at(b, 'properties.bgpSettings') === undefined ? 'properties.enableBgp' : 'properties.bgpSettings');
      for (const k of ['peerWeight', 'bgpPeeringAddresses']) {
        if (at(b, `properties.bgpSettings.${k}`) !== undefined) m.note('IMPORT_NOT_MODELLED', r, `properties.bgpSettings.${k}`, `gateway '${r.name}': bgpSettings.${k} has no place in vgwsim's 2016 model and is not imported`);
      }
    }
    const pool = m.strings(r, b, 'properties.vpnClientConfiguration.vpnClientAddressPool.addressPrefixes');
    if (at(b, 'properties.vpnClientConfiguration') !== undefined) {
      if (pool[0] === undefined) {
        m.note('TEMPLATE_INVALID', r, 'properties.vpnClientConfiguration', `gateway '${r.name}': vpnClientConfiguration has no vpnClientAddressPool; Azure requires one for point-to-site`);
      } else {
        gw['p2s'] = { addressPool: pool[0], clients: [] };
        m.from(`${path}.p2s`, r, 'properties.vpnClientConfiguration');
        m.from(`${path}.p2s.addressPool`, r, 'properties.vpnClientConfiguration.vpnClientAddressPool.addressPrefixes');
        const cfg = at(b, 'properties.vpnClientConfiguration');
        const extra = isObject(cfg) ? Object.keys(cfg).filter((k) => !['vpnclientaddresspool', 'vpnclientrootcertificates', 'vpnclientrevokedcertificates'].includes(k.toLowerCase())) : [];
        if (extra.length > 0 || pool.length > 1) {
          m.note('IMPORT_NOT_MODELLED', r, 'properties.vpnClientConfiguration', `gateway '${r.name}': ${[...extra.map((k) => `vpnClientConfiguration.${k}`), ...(pool.length > 1 ? [`address pools after the first (${pool.slice(1).join(', ')})`] : [])].join(', ')}: not in vgwsim's 2016 model (certificate point-to-site with one pool), not imported`);
        }
      }
    }
    const defaultSite = m.str(r, b, 'properties.gatewayDefaultSite.id', 'the default site ID');
    if (defaultSite !== undefined) {
      gw['defaultSite'] = lastSegment(defaultSite);
      m.from(`${path}.defaultSite`, r, 'properties.gatewayDefaultSite.id');
    }
    out.push(gw);
  }
  return out;
}

function mapSites(m: Mapper): Doc[] {
  const out: Doc[] = [];
  for (const [r, b] of m.bodiesOf('microsoft.network/localnetworkgateways')) {
    const path = `sites[${out.length}]`;
    m.named(path, r);
    let gatewayIp = m.str(r, b, 'properties.gatewayIpAddress', 'the device address');
    m.from(`${path}.gatewayIp`, r, 'properties.gatewayIpAddress');
    if (gatewayIp === undefined) {
      const fqdn = m.str(r, b, 'properties.fqdn', 'the device FQDN');
      gatewayIp = m.placeholders().publicIp(r);
      m.placeholders().warn(r.doc, r.offsetOf(fqdn === undefined ? '' : 'properties.fqdn'), `${r.element}.properties.${fqdn === undefined ? 'gatewayIpAddress' : 'fqdn'}`, fqdn === undefined ? `the device address of local network gateway '${r.name}' (none given)` : `the address ${fqdn} resolves to (local network gateway '${r.name}')`, gatewayIp, PUBLIC_IP_RANGE.name);
      m.from(`${path}.gatewayIp`, r, fqdn === undefined ? '' : 'properties.fqdn');
    }
    let prefixes = m.strings(r, b, 'properties.localNetworkAddressSpace.addressPrefixes');
    m.from(`${path}.addressPrefixes`, r, 'properties.localNetworkAddressSpace.addressPrefixes');
    const bgp = at(b, 'properties.bgpSettings');
    if (bgp !== undefined) {
      const peer = at(b, 'properties.bgpSettings.bgpPeeringAddress');
      m.note('IMPORT_NOT_MODELLED', r, 'properties.bgpSettings', `local network gateway '${r.name}': BGP with the on-premises device is not in vgwsim's model of sites; the site's prefixes are its localNetworkAddressSpace${prefixes.length === 0 && typeof peer === 'string' ? ` (none: the BGP peering address ${peer}/32 stands in)` : ''}`);
      if (prefixes.length === 0 && typeof peer === 'string') {
        prefixes = [`${peer}/32`];
        m.from(`${path}.addressPrefixes`, r, 'properties.bgpSettings.bgpPeeringAddress');
      }
    }
    out.push({ name: r.name, gatewayIp, addressPrefixes: prefixes });
  }
  return out;
}

function mapConnections(m: Mapper, gateways: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  for (const [r, b] of m.bodiesOf('microsoft.network/connections')) {
    const path = `connections[${out.length}]`;
    const ctype = m.str(r, b, 'properties.connectionType', 'the connection type') ?? '';
    const type = ['IPsec', 'Vnet2Vnet', 'ExpressRoute'].find((t) => t.toLowerCase() === ctype.toLowerCase());
    if (!type) {
      m.note('IMPORT_NOT_MODELLED', r, 'properties.connectionType', `connection '${r.name}' has connectionType '${ctype}'; vgwsim models IPsec, Vnet2Vnet and ExpressRoute connections: not imported`);
      continue;
    }
    const gw1 = m.str(r, b, 'properties.virtualNetworkGateway1.id', 'the gateway ID');
    if (gw1 === undefined) {
      m.note('TEMPLATE_INVALID', r, 'properties', `connection '${r.name}' has no virtualNetworkGateway1.id; Azure requires the gateway it belongs to`);
      continue;
    }
    m.named(path, r);
    m.from(`${path}.type`, r, 'properties.connectionType');
    m.from(`${path}.gateway`, r, 'properties.virtualNetworkGateway1.id');
    const c: Doc = { name: r.name, type, gateway: lastSegment(gw1) };
    const peer: Record<string, [string, string]> = { IPsec: ['site', 'properties.localNetworkGateway2.id'], Vnet2Vnet: ['peerGateway', 'properties.virtualNetworkGateway2.id'], ExpressRoute: ['circuit', 'properties.peer.id'] };
    const [key, src] = peer[type] as [string, string];
    const id = m.str(r, b, src, 'the peer ID');
    if (id !== undefined) {
      c[key] = lastSegment(id);
      m.from(`${path}.${key}`, r, src);
    }
    const key2 = m.str(r, b, 'properties.sharedKey', 'the shared key');
    if (key2 !== undefined) {
      c['sharedKey'] = key2;
      m.from(`${path}.sharedKey`, r, 'properties.sharedKey');
    } else if (type !== 'ExpressRoute' && id !== undefined) {
      const placeholder = m.placeholders().sharedKey([gw1, id]);
      c['sharedKey'] = placeholder;
      m.from(`${path}.sharedKey`, r, 'properties');
      m.placeholders().warn(r.doc, r.offsetOf('properties'), `${r.element}.properties.sharedKey`, `the pre-shared key of connection '${r.name}' (the template gives none, so Azure generates one)`, placeholder, 'vgwsim + the uniqueString of its two ends, the same for both directions of a link', 'key');
    }
    if (at(b, 'properties.usePolicyBasedTrafficSelectors') === true) {
      m.note('IMPORT_NOT_MODELLED', r, 'properties.usePolicyBasedTrafficSelectors', `connection '${r.name}': usePolicyBasedTrafficSelectors (policy-based selectors on a route-based gateway) came after 2016 and is not imported; the connection follows its gateway's VPN type (a PolicyBased gateway in the YAML simulates selectors)`);
    }
    const protocol = m.str(r, b, 'properties.connectionProtocol', 'the IKE version');
    const vpnType = gateways.find((g) => g['name'] === c['gateway'])?.['vpnType'];
    const implied = vpnType === 'PolicyBased' ? 'IKEv1' : vpnType === 'RouteBased' ? 'IKEv2' : undefined;
    if (protocol !== undefined && implied !== undefined && protocol.toLowerCase() !== implied.toLowerCase()) {
      m.note('IMPORT_NOT_MODELLED', r, 'properties.connectionProtocol', `connection '${r.name}' asks for ${protocol}, but in 2016 a ${String(vpnType)} gateway spoke only ${implied}; simulated with ${implied}`);
    }
    if (at(b, 'properties.enableBgp') === true) {
      m.note('IMPORT_NOT_MODELLED', r, 'properties.enableBgp', `connection '${r.name}': BGP is modelled per gateway (gateways[].bgp) in vgwsim, not per connection; the connection's routes come from the site's prefixes`);
    }
    const policies = at(b, 'properties.ipsecPolicies');
    if (isArray(policies) && policies.length > 0) {
      const enc = String(at(b, 'properties.ipsecPolicies[0].ipsecEncryption') ?? '').toLowerCase();
      const integ = String(at(b, 'properties.ipsecPolicies[0].ipsecIntegrity') ?? '').toLowerCase();
      const e = ENCRYPTION[enc];
      const gcm = enc.startsWith('gcm');
      const i = gcm ? (integ === enc ? '' : undefined) : INTEGRITY[integ];
      if (e !== undefined && i !== undefined) {
        c['transform'] = gcm ? e : `${e}-${i}`;
        m.from(`${path}.transform`, r, 'properties.ipsecPolicies[0]');
      }
      m.note('IMPORT_NOT_MODELLED', r, 'properties.ipsecPolicies', `connection '${r.name}': custom IPsec/IKE policies came after 2016; ${e !== undefined && i !== undefined ? `the ESP transform ${enc}/${integ} is imported as transform: ${String(c['transform'])}` : `the ESP transform ${enc}/${integ} has no vgwsim equivalent and is not imported`}; the IKE settings (ikeEncryption, ikeIntegrity, dhGroup, pfsGroup, SA lifetimes)${policies.length > 1 ? ' and the policies after the first' : ''} are not imported`);
    }
    out.push(c);
  }
  return out;
}

function mapCircuits(m: Mapper, sites: Doc[], gateways: Doc[], connections: Doc[]): Doc[] {
  const out: Doc[] = [];
  for (const [r, b] of m.bodiesOf('microsoft.network/expressroutecircuits')) {
    const path = `circuits[${out.length}]`;
    m.named(path, r);
    const mbps = at(b, 'properties.serviceProviderProperties.bandwidthInMbps');
    m.from(`${path}.bandwidth`, r, 'properties.serviceProviderProperties.bandwidthInMbps');
    // The on-premises end: the site a VPN gateway in the same VNet connects to (coexistence), else a placeholder site.
    const erGw = connections.find((c) => c['type'] === 'ExpressRoute' && c['circuit'] === r.name)?.['gateway'];
    const vnet = gateways.find((g) => g['name'] === erGw)?.['vnet'];
    const vpnGws = gateways.filter((g) => g['vnet'] === vnet && g['type'] === 'Vpn').map((g) => g['name']);
    const siteName = connections.find((c) => c['type'] === 'IPsec' && vpnGws.includes(c['gateway'] as string))?.['site'];
    let site = sites.find((s) => s['name'] === siteName);
    if (!site) {
      const name = `${r.name}-onprem`;
      site = { name, gatewayIp: m.placeholders().publicIp(r), addressPrefixes: [CIRCUIT_PREFIX_PLACEHOLDER] };
      m.from(`sites[${sites.length}]`, r, '');
      m.added.set(`sites[${sites.length}]`, `the on-premises end of circuit ${r.name}: its network is learned over BGP after deployment; placeholder prefix ${CIRCUIT_PREFIX_PLACEHOLDER} (RFC 2544)`);
      sites.push(site);
      m.note('IMPORT_PLACEHOLDER', r, '', `circuit '${r.name}': the on-premises prefixes it carries are learned over BGP once it is provisioned; the import adds site ${name} with the placeholder prefix ${CIRCUIT_PREFIX_PLACEHOLDER} (RFC 2544, never routed): put the real prefixes in the emitted YAML`);
    }
    m.from(`${path}.onPremisesPrefixes`, r, '');
    out.push({ name: r.name, bandwidth: typeof mbps === 'number' ? `${mbps}Mbps` : '1Gbps', onPremisesPrefixes: [...(site['addressPrefixes'] as string[])], site: site['name'] as string });
  }
  for (const r of m.ofType('microsoft.network/expressroutecircuits/peerings')) {
    m.note('IMPORT_NOT_MODELLED', r, '', `ExpressRoute peering '${r.name}': vgwsim models the circuit's private peering as a whole (its onPremisesPrefixes), not its BGP sessions; not imported`);
  }
  return out;
}

const MODELLED = new Set([
  ...Object.keys(HANDLED),
  'microsoft.network/expressroutecircuits/peerings',
]);

function unmodelled(m: Mapper): void {
  const counts = new Map<string, { n: number; first: ArmResource }>();
  for (const r of m.state().resources) {
    if (MODELLED.has(r.type.toLowerCase())) continue;
    const c = counts.get(r.type) ?? { n: 0, first: r };
    c.n++;
    counts.set(r.type, c);
  }
  const first = [...counts.values()][0]?.first;
  if (first) {
    const list = [...counts.entries()].map(([t, c]) => `${t} ×${c.n}`).join(', ');
    m.note('IMPORT_NOT_MODELLED', first, '', `resource types vgwsim does not model, not imported: ${list}${counts.has('Microsoft.Network/virtualNetworks/virtualNetworkPeerings') ? ' (VNet peering is not in the 2016 model: connect the VNets with a Vnet2Vnet connection instead)' : ''}`);
  }
  for (const l of m.state().skipped) {
    const pos = l.doc.lines.posAt(l.offset);
    m.diagnostics.push({ code: 'IMPORT_NOT_MODELLED', severity: 'warning', file: l.doc.file, line: pos.line, column: pos.column, message: `${l.element} ${l.why}` });
  }
}

/** Map the resources of `state` to a scenario document named `name`. Never throws a TemplateError. */
export function mapDeployment(state: DeploymentState, name: string): Mapped {
  const m = new Mapper(state);
  const routes = routesOf(m);
  const vnets = mapVnets(m, routes);
  const gateways = mapGateways(m);
  const sites = mapSites(m);
  const connections = mapConnections(m, gateways);
  const circuits = mapCircuits(m, sites, gateways, connections);
  unmodelled(m);
  const traffic = addProbeTraffic({ vnets, sites, connections, gateways, circuits }, m.added);
  const doc: Doc = { name, seed: 1, vnets };
  if (gateways.length) doc['gateways'] = gateways;
  if (sites.length) doc['sites'] = sites;
  if (connections.length) doc['connections'] = connections;
  if (circuits.length) doc['circuits'] = circuits;
  if (traffic.length) doc['traffic'] = traffic;
  m.diagnostics.push(...state.placeholders.warnings);
  return { doc, origins: m.origins, added: m.added, diagnostics: m.diagnostics };
}
