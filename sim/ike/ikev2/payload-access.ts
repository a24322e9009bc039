/**
 * Reading a decoded IKEv2 message's payload list, as every task does: the first payload of a
 * kind, the notifies, the first error notify, and a DH group's or notify's log name for
 * numbers a peer may send that the tables lack. Owns nothing else; refuses nothing (a missing
 * payload is `null` for the task to judge).
 */
import { isErrorNotify, transformIdName, TransformType } from '../../wire/ikev2-numbers.js';
import type { Ikev2Payload, NotifyPayload } from '../../wire/ikev2-payloads.js';

/** The first payload of `kind`, or null. */
export function firstPayload<K extends Ikev2Payload['kind']>(payloads: readonly Ikev2Payload[], kind: K): Extract<Ikev2Payload, { kind: K }> | null {
  return (payloads.find((p) => p.kind === kind) as Extract<Ikev2Payload, { kind: K }> | undefined) ?? null;
}

/** The notifies, in order. */
export function notifiesOf(payloads: readonly Ikev2Payload[]): NotifyPayload[] {
  return payloads.filter((p): p is NotifyPayload => p.kind === 'Notify');
}

/** The first notify of `type`, or null. */
export function notifyOf(payloads: readonly Ikev2Payload[], type: number): NotifyPayload | null {
  return notifiesOf(payloads).find((n) => n.notifyType === type) ?? null;
}

/** The first error notify (type below 16384), or null. */
export function errorNotifyOf(payloads: readonly Ikev2Payload[]): NotifyPayload | null {
  return notifiesOf(payloads).find((n) => isErrorNotify(n.notifyType)) ?? null;
}

/** A DH group's log name (`MODP_1024`, `KE_NONE`), also for numbers the table lacks (`(99)`). */
export function groupName(id: number): string {
  return transformIdName(TransformType.DH, id);
}
