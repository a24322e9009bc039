/**
 * Wire decoding errors: the one result type every codec in `sim/wire/` returns.
 *
 * Owns the `WireError` discriminated union (on `code`) and `WireResult<T>`. A decoder never
 * throws on bytes from outside: a short buffer, a wrong version or a bad checksum becomes a
 * typed error that the data path counts as a drop (smoltcp's `Error::Truncated`/`Malformed`,
 * but with the reason kept so traces can say *why*).
 */

/** The packet is shorter than the structure it claims to hold. */
export interface TruncatedError {
  readonly code: 'truncated';
  readonly message: string;
  /** Bytes needed to continue decoding. */
  readonly need: number;
  /** Bytes available. */
  readonly have: number;
}

/** A checksum over the bytes does not verify. */
export interface BadChecksumError {
  readonly code: 'bad-checksum';
  readonly message: string;
  /** The checksum found in the packet. */
  readonly found: number;
  /** The checksum the bytes call for. */
  readonly expected: number;
}

/** Codes of field-level errors that carry no extra data. */
export type FieldErrorCode =
  | 'bad-version'
  | 'bad-ihl'
  | 'bad-length'
  | 'bad-offset'
  | 'bad-type'
  | 'bad-spi'
  | 'bad-field';

/** A header field holds a value this codec refuses. */
export interface FieldError {
  readonly code: FieldErrorCode;
  readonly message: string;
}

/**
 * An IKE header names a major version this codec does not speak. The version is kept so the
 * caller can answer as RFC 7296 §3.1 asks (INVALID_MAJOR_VERSION) or hand the bytes to the
 * other IKE version's codec.
 */
export interface UnsupportedVersionError {
  readonly code: 'unsupported-version';
  readonly message: string;
  readonly major: number;
  readonly minor: number;
}

/**
 * An IKEv2 payload of a type this codec does not know has its critical bit set, so the whole
 * message is refused (RFC 7296 §2.5); the caller answers UNSUPPORTED_CRITICAL_PAYLOAD with
 * this type as the notification data.
 */
export interface UnsupportedCriticalPayloadError {
  readonly code: 'unsupported-critical-payload';
  readonly message: string;
  readonly payloadType: number;
}

/** Why a decoder refused bytes. Discriminated on `code`. */
export type WireError = TruncatedError | BadChecksumError | FieldError | UnsupportedVersionError | UnsupportedCriticalPayloadError;

/** Every `WireError['code']`, as data (for counters and exhaustive tests). */
export const WIRE_ERROR_CODES = [
  'truncated',
  'bad-checksum',
  'bad-version',
  'bad-ihl',
  'bad-length',
  'bad-offset',
  'bad-type',
  'bad-spi',
  'bad-field',
  'unsupported-version',
  'unsupported-critical-payload',
] as const satisfies readonly WireError['code'][];

/** Result of a decoder: the validated value, or why the bytes were refused. */
export type WireResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

/** Build a `truncated` error result. */
export function truncated(what: string, need: number, have: number): { readonly ok: false; readonly error: TruncatedError } {
  return { ok: false, error: { code: 'truncated', message: `${what}: need ${need} bytes, have ${have}`, need, have } };
}

/** Build a field error result. */
export function fieldError(code: FieldErrorCode, message: string): { readonly ok: false; readonly error: FieldError } {
  return { ok: false, error: { code, message } };
}

/** Build a `bad-checksum` error result. */
export function badChecksum(what: string, found: number, expected: number): { readonly ok: false; readonly error: BadChecksumError } {
  const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
  return {
    ok: false,
    error: { code: 'bad-checksum', message: `${what}: checksum ${hex(found)}, expected ${hex(expected)}`, found, expected },
  };
}

/** Build an `unsupported-version` error result. */
export function unsupportedVersion(what: string, major: number, minor: number): { readonly ok: false; readonly error: UnsupportedVersionError } {
  return { ok: false, error: { code: 'unsupported-version', message: `${what}: version ${major}.${minor} is not supported`, major, minor } };
}

/** Build an `unsupported-critical-payload` error result. */
export function unsupportedCriticalPayload(payloadType: number): { readonly ok: false; readonly error: UnsupportedCriticalPayloadError } {
  return {
    ok: false,
    error: { code: 'unsupported-critical-payload', message: `payload type ${payloadType} is unknown and marked critical`, payloadType },
  };
}
