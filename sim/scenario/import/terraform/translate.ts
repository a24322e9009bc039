/**
 * azurerm resources as the Azure resources they create, so the ARM importer's mapping
 * (../arm/map.ts: gateways, SKUs, sites, connections, circuits, route tables) serves both:
 * each instance becomes an ArmResource whose body has the ARM property names, and whose
 * positions and element names are those of the Terraform attributes they came from.
 *
 *   azurerm_virtual_network (+ inline subnet)      → Microsoft.Network/virtualNetworks
 *   azurerm_subnet (+ route table association)     → virtualNetworks/subnets
 *   azurerm_public_ip                              → publicIPAddresses
 *   azurerm_virtual_network_gateway                → virtualNetworkGateways
 *   azurerm_local_network_gateway                  → localNetworkGateways
 *   azurerm_virtual_network_gateway_connection     → connections
 *   azurerm_express_route_circuit                  → expressRouteCircuits
 *   azurerm_route_table (+ inline route), azurerm_route → routeTables, routeTables/routes
 * Attributes nothing maps are named in one IMPORT_NOT_MODELLED warning per resource block.
 */
import { severityOf } from '../../diagnostics.js';
import type { Diagnostic } from '../../diagnostics.js';
import type { ArmResource } from '../arm/template.js';
import { isArray, isObject, makeObject } from '../arm/values.js';
import type { ArmObject, ArmValue } from '../arm/values.js';
import { ARM_TYPES } from './evaluate.js';
import type { Instance } from './evaluate.js';
import type { HclBody } from './positions.js';

/** ARM path → Terraform path (`sku`, `ip_configuration.0.subnet_id`) of each mapped value. */
type Rules = readonly (readonly [string, string])[];

/** Attributes every azurerm resource has that a simulation does not need. */
const COMMON = ['name', 'location', 'resource_group_name', 'tags'];

const RULES: Readonly<Record<string, { rules: Rules; blocks?: Readonly<Record<string, Rules>>; ignored?: readonly string[] }>> = {
  azurerm_virtual_network: {
    rules: [['properties.addressSpace.addressPrefixes', 'address_space']],
    blocks: { subnet: [['name', 'name'], ['properties.addressPrefix', 'address_prefix'], ['properties.addressPrefixes', 'address_prefixes'], ['properties.routeTable.id', 'route_table_id']] },
    ignored: ['dns_servers', 'ddos_protection_plan'],
  },
  azurerm_subnet: {
    rules: [['properties.addressPrefix', 'address_prefix'], ['properties.addressPrefixes', 'address_prefixes'], ['properties.routeTable.id', 'route_table_id']],
    ignored: ['virtual_network_name'],
  },
  azurerm_public_ip: { rules: [['properties.publicIPAllocationMethod', 'allocation_method'], ['properties.publicIPAddressVersion', 'ip_version'], ['properties.idleTimeoutInMinutes', 'idle_timeout_in_minutes']], ignored: ['sku', 'sku_tier', 'domain_name_label', 'zones'] },
  azurerm_virtual_network_gateway: {
    rules: [
      ['properties.gatewayType', 'type'],
      ['properties.vpnType', 'vpn_type'],
      ['properties.sku.name', 'sku'],
      ['properties.enableBgp', 'enable_bgp'],
      ['properties.activeActive', 'active_active'],
      ['properties.gatewayDefaultSite.id', 'default_local_network_gateway_id'],
      ['properties.bgpSettings.asn', 'bgp_settings.0.asn'],
      ['properties.bgpSettings.peerWeight', 'bgp_settings.0.peer_weight'],
      ['properties.bgpSettings.bgpPeeringAddresses', 'bgp_settings.0.peering_addresses'],
      ['properties.vpnClientConfiguration.vpnClientAddressPool.addressPrefixes', 'vpn_client_configuration.0.address_space'],
      ['properties.vpnClientConfiguration.vpnClientRootCertificates', 'vpn_client_configuration.0.root_certificate'],
      ['properties.vpnClientConfiguration.vpnClientRevokedCertificates', 'vpn_client_configuration.0.revoked_certificate'],
      ['properties.vpnClientConfiguration.vpnClientProtocols', 'vpn_client_configuration.0.vpn_client_protocols'],
      ['properties.vpnClientConfiguration.vpnAuthenticationTypes', 'vpn_client_configuration.0.vpn_auth_types'],
      ['properties.vpnClientConfiguration.aadTenant', 'vpn_client_configuration.0.aad_tenant'],
    ],
    blocks: { ip_configuration: [['name', 'name'], ['properties.subnet.id', 'subnet_id'], ['properties.publicIPAddress.id', 'public_ip_address_id'], ['properties.privateIPAllocationMethod', 'private_ip_address_allocation']] },
    ignored: ['generation'],
  },
  azurerm_local_network_gateway: {
    rules: [
      ['properties.gatewayIpAddress', 'gateway_address'],
      ['properties.fqdn', 'gateway_fqdn'],
      ['properties.localNetworkAddressSpace.addressPrefixes', 'address_space'],
      ['properties.bgpSettings.asn', 'bgp_settings.0.asn'],
      ['properties.bgpSettings.bgpPeeringAddress', 'bgp_settings.0.bgp_peering_address'],
      ['properties.bgpSettings.peerWeight', 'bgp_settings.0.peer_weight'],
    ],
  },
  azurerm_virtual_network_gateway_connection: {
    rules: [
      ['properties.connectionType', 'type'],
      ['properties.virtualNetworkGateway1.id', 'virtual_network_gateway_id'],
      ['properties.localNetworkGateway2.id', 'local_network_gateway_id'],
      ['properties.virtualNetworkGateway2.id', 'peer_virtual_network_gateway_id'],
      ['properties.peer.id', 'express_route_circuit_id'],
      ['properties.sharedKey', 'shared_key'],
      ['properties.usePolicyBasedTrafficSelectors', 'use_policy_based_traffic_selectors'],
      ['properties.enableBgp', 'enable_bgp'],
      ['properties.connectionProtocol', 'connection_protocol'],
      ['properties.routingWeight', 'routing_weight'],
      ['properties.dpdTimeoutSeconds', 'dpd_timeout_seconds'],
    ],
    blocks: {
      ipsec_policy: [
        ['ipsecEncryption', 'ipsec_encryption'],
        ['ipsecIntegrity', 'ipsec_integrity'],
        ['ikeEncryption', 'ike_encryption'],
        ['ikeIntegrity', 'ike_integrity'],
        ['dhGroup', 'dh_group'],
        ['pfsGroup', 'pfs_group'],
        ['saLifeTimeSeconds', 'sa_lifetime'],
        ['saDataSizeKilobytes', 'sa_datasize'],
      ],
      traffic_selector_policy: [['localAddressRanges', 'local_address_cidrs'], ['remoteAddressRanges', 'remote_address_cidrs']],
    },
  },
  azurerm_express_route_circuit: {
    rules: [
      ['properties.serviceProviderProperties.bandwidthInMbps', 'bandwidth_in_mbps'],
      ['properties.serviceProviderProperties.serviceProviderName', 'service_provider_name'],
      ['properties.serviceProviderProperties.peeringLocation', 'peering_location'],
    ],
    ignored: ['sku', 'allow_classic_operations'],
  },
  azurerm_route_table: {
    rules: [],
    blocks: { route: [['name', 'name'], ['properties.addressPrefix', 'address_prefix'], ['properties.nextHopType', 'next_hop_type'], ['properties.nextHopIpAddress', 'next_hop_in_ip_address']] },
    ignored: ['disable_bgp_route_propagation', 'bgp_route_propagation_enabled'],
  },
  azurerm_route: { rules: [['properties.addressPrefix', 'address_prefix'], ['properties.nextHopType', 'next_hop_type'], ['properties.nextHopIpAddress', 'next_hop_in_ip_address']], ignored: ['route_table_name'] },
};

/** Where each nested block list goes in the ARM body. */
const BLOCK_PATHS: Readonly<Record<string, string>> = {
  'azurerm_virtual_network:subnet': 'properties.subnets',
  'azurerm_virtual_network_gateway:ip_configuration': 'properties.ipConfigurations',
  'azurerm_virtual_network_gateway_connection:ipsec_policy': 'properties.ipsecPolicies',
  'azurerm_virtual_network_gateway_connection:traffic_selector_policy': 'properties.trafficSelectorPolicies',
  'azurerm_route_table:route': 'properties.routes',
};

/** Set `value` at dotted ARM path `path` (segments `name` or `name[i]`) of `o`, creating what is missing. */
function setAt(o: Record<string, unknown>, path: string, value: ArmValue): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = o;
  parts.forEach((part, k) => {
    const m = /^(\w+)(?:\[(\d+)\])?$/.exec(part) as RegExpExecArray;
    const key = m[1] as string;
    const last = k === parts.length - 1;
    if (m[2] === undefined) {
      if (last) cur[key] = value;
      else cur = (cur[key] ??= {}) as Record<string, unknown>;
    } else {
      const arr = (cur[key] ??= []) as Record<string, unknown>[];
      const i = Number(m[2]);
      if (last) (arr as unknown[])[i] = value;
      else cur = (arr[i] ??= {});
    }
  });
}

/** The value at Terraform path `tf` (`a`, `block.0.a`) of evaluated attributes. */
function tfValue(attrs: ArmObject, tf: string): ArmValue | undefined {
  let v: ArmValue | undefined = attrs;
  for (const p of tf.split('.')) {
    if (/^\d+$/.test(p)) v = isArray(v) ? v[Number(p)] : undefined;
    else v = isObject(v) && Object.hasOwn(v, p) ? v[p] : undefined;
  }
  return v;
}

/** The offset of Terraform path `tf` in a block body: the attribute, else the innermost block found. */
function tfOffset(body: HclBody, tf: string, fallback: number): number {
  const parts = tf.split('.');
  let b = body;
  let at = fallback;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k] as string;
    const next = parts[k + 1];
    if (next !== undefined && /^\d+$/.test(next)) {
      const blk = b.blocks.filter((x) => x.type === p)[Number(next)];
      if (!blk) return at;
      at = blk.offset;
      b = blk.body;
      k++;
    } else {
      const a = b.attributes.get(p);
      return a ? a.offset : at;
    }
  }
  return at;
}

/** Route table IDs that associations attach to subnets, by subnet ID (lower case). */
export type Associations = ReadonlyMap<string, { routeTableId: string; element: string }>;

/** The Azure resource an azurerm instance creates, or undefined for a type vgwsim does not map. */
export function translate(inst: Instance, associations: Associations): ArmResource | undefined {
  const spec = RULES[inst.type];
  const armType = ARM_TYPES[inst.type];
  if (!spec || !armType) return undefined;
  const attrs = inst.attributes();
  const body: Record<string, unknown> = {};
  const where = new Map<string, { offset: number; element: string }>();
  const blockBody = inst.block.node.body;
  const record = (arm: string, tf: string): void => {
    const v = tfValue(attrs, tf);
    if (v === undefined || v === null) return;
    setAt(body, arm, v);
    where.set(arm, { offset: tfOffset(blockBody, tf, inst.block.node.offset), element: `${inst.address}.${tf.replace(/\.(\d+)(?=\.|$)/g, '[$1]')}` });
  };
  for (const [arm, tf] of spec.rules) record(arm, tf);
  for (const [blockType, rules] of Object.entries(spec.blocks ?? {})) {
    const list = tfValue(attrs, blockType);
    const base = BLOCK_PATHS[`${inst.type}:${blockType}`] as string;
    if (!isArray(list)) continue;
    where.set(base, { offset: tfOffset(blockBody, `${blockType}.0`, inst.block.node.offset), element: `${inst.address}.${blockType}` });
    list.forEach((_x, i) => {
      setAt(body, `${base}[${i}]`, makeObject([]));
      where.set(`${base}[${i}]`, { offset: tfOffset(blockBody, `${blockType}.${i}`, inst.block.node.offset), element: `${inst.address}.${blockType}[${i}]` });
      for (const [arm, tf] of rules) record(`${base}[${i}].${arm}`, `${blockType}.${i}.${tf}`);
    });
  }
  const own = String(attrs['name'] ?? inst.address);
  let name = own;
  if (inst.type === 'azurerm_subnet') name = `${String(attrs['virtual_network_name'])}/${own}`;
  if (inst.type === 'azurerm_route') name = `${String(attrs['route_table_name'])}/${own}`;
  const id = inst.id();
  if (inst.type === 'azurerm_subnet') {
    const assoc = associations.get(id.toLowerCase());
    if (assoc && body['properties'] === undefined) body['properties'] = {};
    if (assoc) setAt(body, 'properties.routeTable.id', assoc.routeTableId);
    if (assoc) where.set('properties.routeTable.id', { offset: inst.block.node.offset, element: assoc.element });
  }
  if (body['properties'] === undefined) body['properties'] = {};
  where.set('name', { offset: blockBody.attributes.get('name')?.offset ?? inst.block.node.offset, element: `${inst.address}.name` });
  const fullType = `Microsoft.Network/${armType}`;
  const frozen = toArm(body) as ArmObject;
  const offsetOf = (path: string): number => {
    for (let p = path; ; p = p.replace(/(\.[^.[]*|\[\d+\])$/, '')) {
      const w = where.get(p);
      if (w) return w.offset;
      if (!/[.[]/.test(p)) return inst.block.node.offset;
    }
  };
  return {
    type: fullType,
    name,
    id,
    element: inst.address,
    doc: inst.block.doc,
    node: { kind: 'null', offset: inst.block.node.offset },
    body: () => frozen,
    offsetOf,
    elementOf(path: string): string {
      if (path === '') return `${inst.address} (${inst.type} '${own}')`;
      // An attribute the configuration leaves out is still named in Terraform's words.
      const rule = spec.rules.find(([arm]) => arm === path);
      if (rule && !where.has(path)) return `${inst.address}.${rule[1].replace(/\.(\d+)(?=\.|$)/g, '[$1]')}`;
      for (let p = path; ; p = p.replace(/(\.[^.[]*|\[\d+\])$/, '')) {
        const w = where.get(p);
        if (w) return w.element;
        if (!/[.[]/.test(p)) return inst.address;
      }
    },
    aliases: [],
    dependsOn: () => [],
  };
}

function toArm(v: unknown): ArmValue {
  if (Array.isArray(v)) return v.map((x) => toArm(x ?? null));
  if (typeof v === 'object' && v !== null) return makeObject(Object.entries(v).map(([k, x]) => [k, toArm(x)]));
  return v as ArmValue;
}

/** Warn about the attributes and blocks of each modelled resource block that nothing maps (once per block). */
export function unmappedAttributes(inst: Instance): Diagnostic | undefined {
  const spec = RULES[inst.type];
  if (!spec) return undefined;
  const known = new Set([...COMMON, ...(spec.ignored ?? []), 'count', 'for_each', 'lifecycle', 'depends_on', 'provider', 'timeouts', ...spec.rules.map(([, tf]) => tf.split('.')[0] as string), ...Object.keys(spec.blocks ?? {})]);
  const b = inst.block.node.body;
  const extra = [...b.attributes.keys(), ...b.blocks.map((x) => x.type)].filter((k) => !known.has(k));
  // Nested blocks' own unmapped attributes.
  for (const [blockType, rules] of Object.entries(spec.blocks ?? {})) {
    const inner = new Set(rules.map(([, tf]) => tf));
    for (const blk of b.blocks.filter((x) => x.type === blockType)) {
      for (const a of blk.body.attributes.keys()) if (!inner.has(a) && !extra.includes(`${blockType}.${a}`)) extra.push(`${blockType}.${a}`);
    }
  }
  for (const blockType of ['bgp_settings', 'vpn_client_configuration']) {
    const inner = new Set(spec.rules.filter(([, tf]) => tf.startsWith(`${blockType}.`)).map(([, tf]) => tf.split('.')[2] as string));
    for (const blk of b.blocks.filter((x) => x.type === blockType)) {
      for (const k of [...blk.body.attributes.keys(), ...blk.body.blocks.map((x) => x.type)]) if (!inner.has(k) && !extra.includes(`${blockType}.${k}`)) extra.push(`${blockType}.${k}`);
    }
  }
  if (extra.length === 0) return undefined;
  const pos = inst.block.doc.lines.posAt(inst.block.node.offset);
  const [type, name] = inst.block.node.labels;
  return {
    code: 'IMPORT_NOT_MODELLED',
    severity: severityOf('IMPORT_NOT_MODELLED'),
    file: inst.block.doc.file,
    line: pos.line,
    column: pos.column,
    message: `${String(type)}.${String(name)}: ${extra.join(', ')} ${extra.length === 1 ? 'has' : 'have'} no place in vgwsim's 2016 model and ${extra.length === 1 ? 'is' : 'are'} not imported`,
  };
}
