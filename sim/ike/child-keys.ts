/**
 * What both key schedules (keys-v2.ts, keys-v1.ts) hand to ESP: one child SA's keys, by
 * direction. The shape of sim/ipsec/keys.ts's `SaKeys` without the SPI, which the exchange
 * carries, not the key schedule. Types only.
 */

/** One direction's ESP keys. */
export interface DirectionKeys {
  /** Encryption key (GCM: AES key ‖ 4-byte salt, RFC 4106 §8.1). */
  readonly encKey: Uint8Array;
  /** Integrity key (empty with GCM). */
  readonly authKey: Uint8Array;
}

/**
 * A child SA's keys by direction. The initiator is the one of the exchange that made the
 * keys (IKEv2: IKE_AUTH's or the CREATE_CHILD_SA's; IKEv1: the Quick Mode's). Packets from
 * initiator to responder carry the SPI the responder chose and use `initiatorToResponder`.
 */
export interface ChildSaKeys {
  readonly initiatorToResponder: DirectionKeys;
  readonly responderToInitiator: DirectionKeys;
}
