/**
 * `vgw import device`: a VPN device's configuration (Cisco IOS, Cisco ASA, strongSwan) to a
 * site's `device:` section, printed alone or merged into a scenario.
 *
 * Reads the configuration with the vendor's reader into one PeerTunnel per peer, picks the
 * peer (`peer`, else the only one, else the one whose address is the public IP of the
 * gateway the scenario connects to the site), writes the section (section.ts) and, with a
 * scenario, splices it into the site (merge.ts), validates the result and moves each
 * diagnostic about the imported section to the configuration line it came from. Reads no
 * files: the caller passes the texts.
 */
import { parseIPv4 } from '../../../net/ipv4.js';
import type { Diagnostic } from '../../diagnostics.js';
import { validateScenarioText } from '../../validate.js';
import type { Origins } from '../origins.js';
import { readCisco } from './cisco.js';
import { Findings } from './findings.js';
import type { ImportFinding } from './findings.js';
import { findSite } from './merge.js';
import { deviceSection } from './section.js';
import { readStrongswan } from './strongswan.js';
import type { PeerTunnel, SourceFile } from './tunnel.js';

export type { SourceFile } from './tunnel.js';

export const DEVICE_VENDORS = ['cisco-ios', 'cisco-asa', 'strongswan'] as const;
export type DeviceVendor = (typeof DEVICE_VENDORS)[number];

export interface DeviceImportRequest {
  readonly config: SourceFile;
  readonly vendor: DeviceVendor;
  /** strongSwan ipsec.conf's ipsec.secrets, when there is one. */
  readonly secrets?: SourceFile;
  /** The peer to import (the Azure gateway's address), when the configuration has several. */
  readonly peer?: string;
  /** The scenario to merge into, and the site (default: its only site). */
  readonly scenario?: SourceFile;
  readonly site?: string;
  /** The name the merged scenario will have (its diagnostics' file); default the scenario's. */
  readonly outputFile?: string;
}

export interface DeviceImport {
  /** What reading the configuration found, in file order; any error means no output. */
  readonly findings: readonly ImportFinding[];
  /** Every peer the configuration has a tunnel to. */
  readonly peers: readonly string[];
  /** The tunnel imported. */
  readonly tunnel?: PeerTunnel;
  /** The `device:` section (without a scenario) or the whole merged scenario. */
  readonly output?: string;
  /** Document path → configuration line, for every value written. */
  readonly origins?: Origins;
  /** The merged scenario's diagnostics, those about the device at the configuration's lines. */
  readonly diagnostics: readonly Diagnostic[];
}

function readTunnels(req: DeviceImportRequest, findings: Findings): PeerTunnel[] {
  const { text } = req.config;
  if (req.vendor === 'strongswan') return readStrongswan(text, req.secrets, findings);
  return readCisco(text, req.vendor === 'cisco-asa' ? 'asa' : 'ios', findings);
}

function pickTunnel(tunnels: readonly PeerTunnel[], req: DeviceImportRequest, gatewayIps: readonly string[], findings: Findings): PeerTunnel | undefined {
  const list = tunnels.map((t) => `${t.peer} (line ${t.source.at.line})`).join(', ');
  if (req.peer !== undefined) {
    const t = tunnels.find((x) => x.peer === req.peer);
    if (!t) findings.add('CONFIG_PEER', { line: 1, column: 1 }, `--peer ${req.peer}: the configuration has no tunnel to that address (peers: ${list || 'none'})`);
    return t;
  }
  if (tunnels.length === 1) return tunnels[0];
  if (tunnels.length === 0) {
    findings.add('CONFIG_INCOMPLETE', { line: 1, column: 1 }, req.vendor === 'strongswan'
      ? 'the configuration has no connection to import (swanctl.conf connections { NAME { remote_addrs = ... } }, or ipsec.conf conn NAME with right=ADDRESS)'
      : 'the configuration has no tunnel to import: no crypto map entry with a peer (crypto map NAME SEQ ipsec-isakmp, set peer ADDRESS) and no tunnel interface with a tunnel destination');
    return undefined;
  }
  const byGateway = tunnels.filter((t) => gatewayIps.includes(t.peer));
  if (byGateway.length === 1) return byGateway[0];
  findings.add('CONFIG_PEER', tunnels[1]!.source.at, `the configuration has tunnels to ${tunnels.length} peers: ${list}; say which one to import with --peer ADDRESS`);
  return undefined;
}

/** Imports a device configuration; see DeviceImport. Never throws on bad input. */
export function importDevice(req: DeviceImportRequest): DeviceImport {
  const findings = new Findings(req.config.file);
  const tunnels = readTunnels(req, findings);
  const peers = tunnels.map((t) => t.peer);
  const site = req.scenario ? findSite(req.scenario.text, req.site) : undefined;
  const scenarioFindings = new Findings(req.scenario?.file ?? '');
  if (site && 'error' in site) scenarioFindings.add('SCENARIO_SITE', { line: 1, column: 1 }, site.error);
  const slot = site && !('error' in site) ? site : undefined;
  const tunnel = pickTunnel(tunnels, req, slot?.gatewayIps.map((g) => g.publicIp) ?? [], findings);
  const all = (): ImportFinding[] => [...findings.sorted(), ...scenarioFindings.list];
  if (!tunnel || findings.errors > 0 || scenarioFindings.errors > 0) return { findings: all(), peers, ...(tunnel ? { tunnel } : {}), diagnostics: [] };
  if (!req.scenario || !slot) {
    const section = deviceSection(tunnel, req.config.file, req.vendor, 0, 'device');
    return { findings: all(), peers, tunnel, output: section.text, origins: section.origins, diagnostics: [] };
  }
  if (slot.gatewayIps.length > 0 && !slot.gatewayIps.some((g) => g.publicIp === tunnel.peer)) {
    findings.add('SCENARIO_MISMATCH', tunnel.source.at, `the device's peer is ${tunnel.peer}, but site ${slot.name} connects to ${slot.gatewayIps.map((g) => `${g.gateway} at ${g.publicIp}`).join(', ')}; vgwsim connects them anyway: check the address`);
  }
  const local = tunnel.localAddress;
  if (local && slot.gatewayIp !== undefined && parseIPv4(local.value).ok && local.value !== slot.gatewayIp) {
    findings.add('SCENARIO_MISMATCH', local.at, `the device's own address here is ${local.value}, but site ${slot.name}'s gatewayIp is ${slot.gatewayIp}; Azure's local network gateway must hold the device's public address (unless a NAT sits between: device.nat)`);
  }
  const section = deviceSection(tunnel, req.config.file, req.vendor, slot.indent, `sites[${slot.index}].device`);
  const output = slot.splice(section.text);
  const v = validateScenarioText(output, req.outputFile ?? req.scenario.file);
  const diagnostics = v.diagnostics.map((d) => section.origins.remap(d));
  return { findings: all(), peers, tunnel, output, origins: section.origins, diagnostics };
}
