/**
 * The declaration of a site device's `ike:` block (vgwsim extension): the device's own IKE
 * version, IKE and ESP proposals, DH and PFS groups, lifetimes, DPD, identity, whether it
 * initiates, and its selectors, each optional (absent: the mirror of the Azure side).
 *
 * Owns the value kinds only this block uses and their messages: a proposal string is read
 * by sim/ike/proposals.ts and refused with that reader's message (unknown keyword, no
 * encryption, ...); a DH or PFS group must be a number in sim/ike/dh-groups.ts's table; a
 * lifetime or DPD delay is a duration (as elsewhere in the format) of at least one whole
 * second; an identity is an IPv4 address (ID_IPV4_ADDR) or a host name (ID_FQDN); the
 * version is 1 or 2 (or IKEv1, IKEv2). One rule across keys: version 1 refuses an IKE
 * proposal that has only AES-GCM ciphers, since IKEv1 has no AES-GCM phase 1
 * (sim/ike/algorithms.ts). An AEAD ESP proposal is accepted with IKEv1: Quick Mode
 * negotiates AES-GCM ESP (RFC 4106 §8.1). Whether the settings suit the gateway is the
 * negotiation's business, not this file's.
 */
import type { Node as YamlNode } from 'yaml';
import { parseIPv4 } from '../../net/ipv4.js';
import { DH_GROUP_IDS, dhGroupById, dhGroupByKeyword } from '../../ike/dh-groups.js';
import type { DhGroup } from '../../ike/dh-groups.js';
import type { IkeIdentity } from '../../ike/endpoint.js';
import { parseEspProposal, parseIkeProposal } from '../../ike/proposals.js';
import type { EspProposal, IkeProposal, ProposalResult } from '../../ike/proposals.js';
import { suggest } from '../suggest.js';
import type { DeviceIkeSettings, DeviceSelector, ProposalText } from '../types.js';
import { array, bool, duration, integer, object, optional, prefix, required } from './dsl.js';
import type { Issue, JsonObject, Schema } from './dsl.js';
import { describeGot, INVALID, label, scalarOf } from './walker.js';
import type { At, Invalid, WalkContext } from './walker.js';

function refuse(message: string, node: YamlNode, at: At, ctx: WalkContext): Invalid {
  ctx.report('SCHEMA', message, ctx.posOf(node), at.path);
  return INVALID;
}

const VERSION_WORDS = ['IKEv1', 'IKEv2'] as const;

/** 1 or 2, also spelt IKEv1 or IKEv2. */
function ikeVersion(): Schema<1 | 2> {
  return {
    kind: 'ike-version',
    expected: '1 or 2 (or IKEv1, IKEv2)',
    secret: false,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      if (v === 1 || v === 2) return v;
      if (v === 'IKEv1' || v === 'IKEv2') return v === 'IKEv1' ? 1 : 2;
      const near = typeof v === 'string' ? suggest(v, VERSION_WORDS) : undefined;
      return refuse(`${label(at)} must be 1 or 2 (or IKEv1, IKEv2); got ${describeGot(node, false, ctx)}${near ? `; did you mean "${near}"?` : ''}`, node, at, ctx);
    },
    toJson(): JsonObject {
      return { enum: [1, 2, ...VERSION_WORDS] };
    },
  };
}

const PROPOSAL_PATTERN = '^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$';

/** A strongSwan proposal string, read by `parse` (sim/ike/proposals.ts), kept with its text. */
function proposal<P>(what: 'IKE' | 'ESP', parse: (text: string) => ProposalResult<P>): Schema<ProposalText<P>> {
  const example = what === 'IKE' ? 'aes256-sha1-modp1024' : 'aes256-sha1';
  return {
    kind: `${what.toLowerCase()}-proposal`,
    expected: `a strongSwan ${what} proposal such as "${example}"`,
    secret: false,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      if (typeof v !== 'string') return refuse(`${label(at)} must be a strongSwan ${what} proposal such as "${example}"; got ${describeGot(node, false, ctx)}`, node, at, ctx);
      const r = parse(v);
      if (!r.ok) return refuse(`${label(at)}: ${r.error.message}`, node, at, ctx);
      return { text: v.trim(), value: r.value };
    },
    toJson(): JsonObject {
      return { type: 'string', pattern: PROPOSAL_PATTERN };
    },
  };
}

const GROUP_LIST = `${DH_GROUP_IDS.slice(0, -1).join(', ')} or ${DH_GROUP_IDS.at(-1)}`;

/** The group a node names, or why not (a keyword such as "modp1024" gets its number as the fix). */
function groupOf(node: YamlNode, at: At, ctx: WalkContext, orNone: boolean): DhGroup | 'none' | Invalid {
  const v = scalarOf(node);
  if (orNone && v === 'none') return 'none';
  const group = typeof v === 'number' ? dhGroupById(v) : null;
  if (group) return group;
  const words = orNone ? `a Diffie-Hellman group number (${GROUP_LIST}) or none` : `a Diffie-Hellman group number (${GROUP_LIST})`;
  const byKeyword = typeof v === 'string' ? dhGroupByKeyword(v.trim().toLowerCase()) : null;
  const hint = byKeyword ? `; write ${byKeyword.id} for ${byKeyword.strongswan}`
    : typeof v === 'number' ? `; group ${v} is not in vgwsim's Diffie-Hellman table (MODP groups only, sim/ike/dh-groups.ts)`
      : orNone && typeof v === 'string' && suggest(v, ['none']) ? '; did you mean "none"?' : '';
  return refuse(`${label(at)} must be ${words}; got ${describeGot(node, false, ctx)}${hint}`, node, at, ctx);
}

/** A DH group number of the table. */
function dhGroup(): Schema<DhGroup> {
  return {
    kind: 'dh-group',
    expected: `a Diffie-Hellman group number (${GROUP_LIST})`,
    secret: false,
    convert(node, at, ctx) {
      const g = groupOf(node, at, ctx, false);
      return g === 'none' ? INVALID : g; // 'none' is read only where orNone allows it
    },
    toJson(): JsonObject {
      return { enum: [...DH_GROUP_IDS] };
    },
  };
}

/** A DH group number of the table, or none. */
function pfsGroup(): Schema<DhGroup | 'none'> {
  return {
    kind: 'pfs-group',
    expected: `a Diffie-Hellman group number (${GROUP_LIST}) or none`,
    secret: false,
    convert(node, at, ctx) {
      return groupOf(node, at, ctx, true);
    },
    toJson(): JsonObject {
      return { enum: [...DH_GROUP_IDS, 'none'] };
    },
  };
}

const DURATION = duration();

/** A duration of at least one whole second (IKE lifetimes and DPD delays are whole seconds on the wire). */
function seconds(): Schema<number> {
  return {
    kind: 'seconds',
    expected: 'a duration of whole seconds, at least 1s, such as 3600, "60m" or "8h"',
    secret: false,
    convert(node, at, ctx) {
      const v = DURATION.convert(node, at, ctx);
      if (v === INVALID) return INVALID;
      if (v <= 0) return refuse(`${label(at)} must be at least 1 second; got ${describeGot(node, false, ctx)}`, node, at, ctx);
      if (!Number.isInteger(v)) return refuse(`${label(at)} must be whole seconds (IKE carries seconds); got ${describeGot(node, false, ctx)}, which is ${v} s`, node, at, ctx);
      return v;
    },
    toJson(): JsonObject {
      return DURATION.toJson();
    },
  };
}

/** A DPD delay in seconds, or off. */
function dpd(): Schema<number | 'off'> {
  const secs = seconds();
  return {
    kind: 'dpd',
    expected: `${secs.expected}, or off`,
    secret: false,
    convert(node, at, ctx) {
      return scalarOf(node) === 'off' ? 'off' : secs.convert(node, at, ctx);
    },
    toJson(): JsonObject {
      return { anyOf: [secs.toJson(), { const: 'off' }] };
    },
  };
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Why `name` is not a host name (RFC 1123 §2.1: labels of letters, digits and inner hyphens, at most 253 characters), or null. */
function hostNameProblem(name: string): string | null {
  if (name.length > 253) return `is ${name.length} characters long; a host name has at most 253`;
  const bad = name.split('.').find((l) => !LABEL.test(l));
  if (bad === undefined) return null;
  return bad === '' ? 'has an empty label (two dots in a row, or a dot at an end)' : `has the label "${bad.slice(0, 40)}", which is not letters, digits and inner hyphens of at most 63 characters`;
}

/** An identity: an IPv4 address (ID_IPV4_ADDR) or a host name (ID_FQDN). */
function identity(): Schema<IkeIdentity> {
  const expected = 'an IPv4 address such as "203.0.113.10" or a host name such as "vpn.example.com"';
  return {
    kind: 'ike-identity',
    expected,
    secret: false,
    convert(node, at, ctx) {
      const v = scalarOf(node);
      if (typeof v !== 'string') return refuse(`${label(at)} must be ${expected}; got ${describeGot(node, false, ctx)}`, node, at, ctx);
      const text = v.trim();
      const ip = parseIPv4(text);
      if (ip.ok) return { type: 'ipv4', addr: ip.value };
      if (/^[0-9.]+$/.test(text)) return refuse(`${label(at)} looks like an IPv4 address but is not one (${ip.error}); an identity is ${expected}`, node, at, ctx);
      const problem = hostNameProblem(text);
      if (problem !== null) return refuse(`${label(at)} is neither an IPv4 address nor a host name: it ${problem}; an identity is ${expected}`, node, at, ctx);
      return { type: 'fqdn', name: text };
    },
    toJson(): JsonObject {
      return { type: 'string', minLength: 1, maxLength: 253 };
    },
  };
}

const selectorSchema: Schema<DeviceSelector> = object({
  noun: 'selector',
  description: 'A selector pair from the device\'s view: IKEv2 TSi/TSr, IKEv1 proxy IDs of one Quick Mode.',
  fields: {
    local: required(prefix(), 'The device\'s side (its LAN), e.g. 192.168.0.0/16.', 'the device\'s prefix, e.g. 192.168.0.0/16'),
    remote: required(prefix(), 'The Azure side, e.g. 10.1.0.0/16.', 'the Azure side\'s prefix, e.g. 10.1.0.0/16'),
  },
});

/** An IKE proposal that IKEv1's Main Mode cannot offer: AES-GCM ciphers only. */
function onlyAead(p: IkeProposal): boolean {
  return p.encryptions.every((e) => e.mode === 'gcm');
}

/** The schema of a device's `ike:` block. */
export const deviceIkeSchema: Schema<DeviceIkeSettings> = object({
  noun: 'IKE settings',
  description: 'vgwsim extension: the device\'s own IKE settings; every key is optional and defaults to the mirror of the Azure side (its version, proposals, lifetimes, identity, selectors).',
  fields: {
    version: optional(ikeVersion(), 'IKE version: 1 or 2 (also IKEv1, IKEv2). Default: the gateway\'s (policy-based 1, route-based 2).'),
    ikeProposals: optional(array(proposal<IkeProposal>('IKE', parseIkeProposal), { minItems: 1 }), 'IKE proposals in strongSwan syntax, preference order, e.g. [aes256-sha1-modp1024]. Default: Azure\'s.'),
    espProposals: optional(array(proposal<EspProposal>('ESP', parseEspProposal), { minItems: 1 }), 'ESP proposals in strongSwan syntax, preference order, e.g. [aes256-sha1, aes128-sha1]; a DH group in one means PFS. Default: Azure\'s initiator offers.'),
    dhGroup: optional(dhGroup(), `Replaces the DH group of every IKE proposal: ${GROUP_LIST}.`),
    pfsGroup: optional(pfsGroup(), `The PFS group of every ESP proposal (${GROUP_LIST}), or none to remove PFS. Default: as the ESP proposals say.`),
    ikeLifetime: optional(seconds(), 'IKE SA lifetime (duration, whole seconds). Default: Azure\'s.'),
    childLifetime: optional(seconds(), 'Child SA (IPsec SA) lifetime (duration, whole seconds). Default: Azure\'s.'),
    childLifeKilobytes: optional(integer(1, 4294967295), 'Child SA lifetime in kilobytes (IKEv1 proposes it in Quick Mode). Default: Azure\'s (policy-based 102400000, route-based none).'),
    dpd: optional(dpd(), 'Dead peer detection: seconds of idle before a liveness check (IKEv2), or off. Default: off.'),
    identity: optional(identity(), 'The identity the device shows: an IPv4 address (ID_IPV4_ADDR) or a host name (ID_FQDN). Default: its gatewayIp.'),
    initiate: optional(bool(), 'Whether the device may start negotiations. Default: true.'),
    selectors: optional(array(selectorSchema, { minItems: 1 }), 'Traffic selectors from the device\'s view: IKEv2 TSi/TSr, IKEv1 proxy IDs (one Quick Mode per pair). Default: the mirror of the Azure side\'s.'),
  },
  refine: (k) => {
    const issues: Issue[] = [];
    const gcm = k.version === 1 ? k.ikeProposals?.find((p) => onlyAead(p.value)) : undefined;
    if (gcm) {
      issues.push({
        message: `{owner} says version 1, but IKE proposal '${gcm.text}' has only AES-GCM ciphers and IKEv1 has no AES-GCM phase 1; use a CBC cipher with an integrity algorithm (e.g. aes256-sha1-modp1024) or version 2`,
        key: 'ikeProposals',
      });
    }
    return issues;
  },
});
