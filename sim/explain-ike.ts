/**
 * Explanations of IKE outcomes, as data: each connection status a run reports (Batfish's
 * names and vgwsim's own) and each IKE notify a failed negotiation carries. Shown by
 * `vgw explain CODE` beside the drop reasons and diagnostics (explain.ts); a test fails
 * when a status or a notify of these tables has no entry.
 */
import type { IkeSessionStatus } from './ike/endpoint.js';
import type { Explanation } from './explanation.js';

/** The statuses `vgw run` reports per connection, in the order of the table. */
export const IKE_STATUS_NAMES: readonly IkeSessionStatus[] = [
  'IPSEC_SESSION_ESTABLISHED', 'IKE_PHASE1_FAILED', 'IKE_PHASE1_KEY_MISMATCH', 'IPSEC_PHASE2_FAILED', 'MISSING_END_POINT',
  'TRAFFIC_SELECTOR_MISMATCH', 'PFS_MISMATCH',
];

export const IKE_STATUS_EXPLANATIONS: Readonly<Record<IkeSessionStatus, Explanation & { readonly summary: string }>> = {
  IPSEC_SESSION_ESTABLISHED: {
    summary: 'IKE and at least one child SA are up: the tunnel carries traffic',
    meaning: 'Both sides agreed on an IKE proposal, authenticated each other with the pre-shared key and installed a child SA pair (ESP): packets for the tunnel are encrypted with keys that came out of the exchange.',
    responsible: 'the connection (`connections[]`), its gateway\'s VPN type and the site\'s `device`.',
    fix: 'Nothing to fix. `vgw sas` lists the SAs; `--pcap DIR` writes the captures and the keys Wireshark needs to read them.',
  },
  IKE_PHASE1_FAILED: {
    summary: 'the IKE SA did not come up: no common IKE proposal, or no common DH group',
    meaning: 'The first exchange (IKE_SA_INIT, or Main Mode in IKEv1) failed before authentication: the two sides have no encryption/integrity/PRF/DH combination in common (notify NO_PROPOSAL_CHOSEN, in clear: a capture shows the initiator\'s offer and the refusal), or the responder wanted another DH group (INVALID_KE_PAYLOAD, after which the initiator retries once with it) and none is common. A peer that speaks the other IKE version does not answer at all: that is MISSING_END_POINT.',
    responsible: 'the rules `edition` and the gateway\'s VPN type (which proposals Azure offers), and the device\'s `ike: { ikeProposals, dhGroup }`.',
    fix: 'Give the device at least one of Azure\'s proposals for the gateway\'s VPN type (see the IPsec parameters table of the edition); the run\'s IKE section shows both sides\' offers.',
  },
  IKE_PHASE1_KEY_MISMATCH: {
    summary: 'authentication failed: the pre-shared keys differ (or the identity is not accepted)',
    meaning: 'IKE_SA_INIT (or Main Mode 1-4) succeeded, so the two sides share keys for the exchange, but the AUTH payload (IKEv1: the HASH of message 5) did not verify with the responder\'s pre-shared key: the keys differ. The responder answers AUTHENTICATION_FAILED (IKEv1: the message does not even decrypt: INVALID_PAYLOAD_TYPE or a retransmit loop).',
    responsible: '`connections[].sharedKey` and `sites[].device.sharedKey` (for VNet-to-VNet: the sharedKey of both connections).',
    fix: 'Use the same sharedKey at both ends.',
  },
  IPSEC_PHASE2_FAILED: {
    summary: 'the IKE SA is up but no child SA: no common ESP proposal, or the PFS group differs',
    meaning: 'Authentication succeeded, but the child SA (IKE_AUTH\'s SA payload, or Quick Mode) found no ESP transform both sides accept (NO_PROPOSAL_CHOSEN for the child); in IKEv2 the IKE SA stays up without a child, and packets for the tunnel are dropped tunnel-down.',
    responsible: 'the connection\'s `transform` (Azure\'s side) and the device\'s `ike: { espProposals, pfsGroup }`.',
    fix: 'Let the device propose one of the ESP transforms Azure accepts for the gateway type and edition, with the same PFS setting.',
  },
  MISSING_END_POINT: {
    summary: 'the peer does not answer: wrong address, a cut path, a dead peer, or a peer of the other IKE version',
    meaning: 'Requests were retransmitted (4 s, then x1.8, five times: strongSwan\'s defaults, about 165 s in all) without an answer, or dead peer detection got none; the side gave up and deleted the SAs. A device of the other VPN type looks the same: a policy-based device speaks IKEv1 and drops a route-based gateway\'s IKEv2 requests unanswered (Batfish too reports no end point between a crypto-map peer and a tunnel-interface peer). Packets for the tunnel are dropped tunnel-down until the negotiation succeeds again (a route-based gateway keeps trying); until the first attempt gives up, the run reports the connection as still negotiating.',
    responsible: 'the site\'s `gatewayIp` (the device\'s public address), the gateway\'s `publicIp`, `faults[]` that cut the connection, and the device\'s `vpnType` (or `ike: { version }`).',
    fix: 'Check the addresses at both ends and that the device speaks the gateway\'s IKE version (policy-based: IKEv1, route-based: IKEv2), or wait for the fault to clear: the tunnel comes back at the next attempt.',
  },
  TRAFFIC_SELECTOR_MISMATCH: {
    summary: 'the IKE SA is up but the peer refused the traffic selectors (TS_UNACCEPTABLE, INVALID_ID_INFORMATION)',
    meaning: 'The sides authenticated, but the child SA\'s selectors (IKEv2 TSi/TSr; IKEv1 proxy IDs of Quick Mode) are not covered by the peer\'s policy: IKEv2 answers TS_UNACCEPTABLE (the IKE SA stays, without a child), IKEv1 INVALID_ID_INFORMATION. A policy-based gateway negotiates one Quick Mode per prefix pair, so some pairs can work while others fail.',
    responsible: 'the VNet `addressSpace`, the site\'s `addressPrefixes`, and the device\'s `accessList` or `ike: { selectors }`.',
    fix: 'Make the device\'s selectors (proxy IDs) the mirror image of the gateway\'s prefix pairs.',
  },
  PFS_MISMATCH: {
    summary: 'traffic flowed, then stopped at the first child rekey: the PFS groups differ',
    meaning: 'IKEv2 negotiates the first child SA inside IKE_AUTH without a DH exchange, so a PFS mismatch cannot show there; it shows at the first CREATE_CHILD_SA rekey (the child lifetime minus the 9-minute rekey margin), when one side sends a KE payload of a group the other does not accept (or none) and is answered NO_PROPOSAL_CHOSEN. The side retries every 15 s; when the old SA\'s lifetime ends (an hour by default in the 2016 editions, sooner with a shorter `childLifetime`) it is deleted and the tunnel is down.',
    responsible: 'the device\'s `ike: { pfsGroup }` against the gateway\'s PFS setting in the edition\'s IPsec table (azure-2016-02: route-based gateways use DH group 1 and want it on every rekey; azure-2016-late: no PFS of their own, groups 1, 2, 5, 14 and 24 accepted).',
    fix: 'Use the PFS group the gateway uses in the scenario\'s edition (or none on both, where the gateway accepts that).',
  },
};

/** The IKE notify types a failed negotiation reports, with what they mean. */
export const IKE_NOTIFY_EXPLANATIONS: Readonly<Record<string, Explanation & { readonly summary: string }>> = {
  NO_PROPOSAL_CHOSEN: {
    summary: 'the responder accepts none of the proposals offered (IKE or ESP)',
    meaning: 'Every proposal of the SA payload names an algorithm or group the responder\'s configuration does not list. For the IKE SA the negotiation ends (IKE_PHASE1_FAILED); for a child SA the IKE SA stays without it (IPSEC_PHASE2_FAILED).',
    responsible: 'both sides\' proposals: the gateway\'s (by VPN type and edition, and the connection\'s `transform`) and the device\'s `ike:` settings.',
    fix: 'Offer at least one combination the other side accepts.',
  },
  INVALID_KE_PAYLOAD: {
    summary: 'the responder wants the key exchange in another DH group',
    meaning: 'The initiator guessed the DH group of its first proposal for the KE payload; the responder accepts the proposal only with another group and names it in the notify. The initiator starts over with that group: one extra round trip, not a failure, unless the groups have nothing in common.',
    responsible: 'the DH groups of both sides\' IKE proposals (the device\'s `ike: { dhGroup }`).',
    fix: 'Nothing to fix when the retry succeeds; to save the round trip, put the group Azure uses first.',
  },
  AUTHENTICATION_FAILED: {
    summary: 'the AUTH payload did not verify: the pre-shared keys differ',
    meaning: 'See IKE_PHASE1_KEY_MISMATCH: the peer\'s AUTH is a PRF over the exchange keyed with the pre-shared key, so a different key gives a different value.',
    responsible: '`connections[].sharedKey`, `sites[].device.sharedKey`.',
    fix: 'Use the same sharedKey at both ends.',
  },
  TS_UNACCEPTABLE: {
    summary: 'IKEv2: the responder\'s policy covers none of the proposed traffic selectors',
    meaning: 'See TRAFFIC_SELECTOR_MISMATCH: the IKE SA is established but the child SA is refused.',
    responsible: 'the address prefixes at both ends and the device\'s `ike: { selectors }`.',
    fix: 'Make the selectors mirror each other.',
  },
  INVALID_ID_INFORMATION: {
    summary: 'IKEv1: the responder has no policy for the Quick Mode\'s proxy IDs',
    meaning: 'A policy-based (IKEv1) Quick Mode proposes one prefix pair (ID_IPV4_ADDR_SUBNET each way); the device found no access-list entry covering it and refused that pair. Traffic of the pair is dropped tunnel-down; other pairs may work.',
    responsible: 'the device\'s `accessList` (or `ike: { selectors }`) against the VNet address space x site prefixes.',
    fix: 'Make the device\'s access list the mirror of the gateway\'s prefix pairs.',
  },
};
