/**
 * Semantic checks of a scenario, after schema validation: cross-references, duplicate
 * names, address-space rules, gateway requirements (looked up in the capability table,
 * sim/gateway/capabilities.ts, never hard-coded here), on-premises device consistency and
 * access lists. Each rule group is a file of this folder; `checkScenario` builds the one
 * report and the one index (context.ts) and runs RULE_GROUPS in their fixed order. Every
 * group runs and every problem is collected; nothing throws, nothing prints. Each
 * diagnostic points at the most specific offending value (its document path and
 * line:column) and says what is wrong and how to fix it, naming the objects involved.
 * Shared keys never appear in a message (they are written `***`).
 *
 * Severities come from DIAGNOSTIC_INFO (sim/scenario/diagnostics.ts). As used here:
 *   errors (the scenario is invalid):
 *     SCHEMA (shapes.ts: what the schema cannot express across objects; devices.ts:
 *       access-list syntax; transforms.ts: a transform on ExpressRoute), UNKNOWN_REFERENCE,
 *     DUPLICATE_NAME, INVALID_PREFIX (subnet outside its VNet, host outside its subnets or
 *       site prefixes), ADDRESS_OVERLAP, GATEWAY_SUBNET_MISSING, GATEWAY_SUBNET_TOO_SMALL,
 *     P2S_REQUIRES_ROUTE_BASED, VNET2VNET_REQUIRES_ROUTE_BASED, S2S_LIMIT_EXCEEDED,
 *     P2S_LIMIT_EXCEEDED, BGP_NOT_SUPPORTED, COEXIST_NOT_SUPPORTED, SKU_NOT_AVAILABLE,
 *     FORCED_TUNNEL_REQUIRES_ROUTE_BASED, TRANSFORM_NOT_OFFERED, the address rules
 *     (address-rules.ts), SHARED_KEY_INVALID (shared-keys.ts), EXPECTED_DIAGNOSTICS
 *     (expected-diagnostics.ts, run by validate.ts after everything else), a NAT's
 *     privateIp where no unicast host can be (device-nat.ts: NON_UNICAST_ADDRESS);
 *   warnings (the scenario runs, but something will not work as the author may think):
 *     SITE_PREFIX_OVERLAP, DEVICE_VPN_TYPE_MISMATCH, SELECTOR_MISMATCH, SHARED_KEY_MISMATCH,
 *     ACL_SHADOWED, DEVICE_BEHIND_NAT (device-nat.ts).
 */
import { Report } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Scenario } from '../types.js';
import { addressRules } from './address-rules.js';
import { addressSpaces } from './address-spaces.js';
import { connectedAddresses } from './connected-addresses.js';
import { buildScenarioIndex } from './context.js';
import type { RuleGroup } from './context.js';
import { deviceNat } from './device-nat.js';
import { devices } from './devices.js';
import { duplicateNames } from './duplicates.js';
import { gatewayRequirements } from './gateway-requirements.js';
import { gatewaySubnets } from './gateway-subnet.js';
import { references } from './references.js';
import { sharedKeys } from './shared-keys.js';
import { shapes } from './shapes.js';
import { transforms } from './transforms.js';

export { checkExpectedDiagnostics } from './expected-diagnostics.js';

/**
 * The rule groups in the order they run. Diagnostics at one position keep this order
 * (checkScenario's sort is stable), so the order is part of the output.
 */
export const RULE_GROUPS: readonly RuleGroup[] = [
  duplicateNames,
  references,
  shapes,
  addressSpaces,
  connectedAddresses,
  gatewaySubnets,
  gatewayRequirements,
  devices,
  transforms,
  addressRules,
  sharedKeys,
  deviceNat,
];

/**
 * All semantic problems of a schema-valid scenario, sorted by position. Never throws;
 * an empty array means the scenario is consistent. See the module comment for which codes
 * are errors and which are warnings.
 */
export function checkScenario(s: Scenario): Diagnostic[] {
  const r = new Report(s);
  const ix = buildScenarioIndex(s);
  for (const group of RULE_GROUPS) group.check(r, ix);
  // Stable sort: same position keeps rule-group order.
  return r.out
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.line - b.d.line || a.d.column - b.d.column || a.i - b.i)
    .map((x) => x.d);
}
