/**
 * Known IKEv1 vendor IDs as data, and the function that names the one a Vendor ID payload carries.
 *
 * Owns the table only; what a vendor ID means for the exchange (NAT-T, DPD, XAuth) is the IKE
 * layer's. The bytes and the names are strongSwan's (`sa/ikev1/tasks/isakmp_vendor.c`), so a trace
 * can say what charon logs (`received NAT-T (RFC 3947) vendor ID`). Most are MD5 digests of a
 * string (RFC 3947 §3.1: MD5("RFC 3947")); some carry a version or capability suffix after a
 * fixed prefix (Windows' "MS NT5 ISAKMPOAKLEY" adds 4 version bytes, Cisco Unity 2, the
 * fragmentation VID optional capability flags), and those match by prefix, as strongSwan does.
 * A vendor ID that matches nothing here is not an error: the name is null.
 */

/** One known vendor ID: its name, its bytes in hex (a string, so the table cannot be changed) and whether longer IDs starting with them match. */
export interface KnownVendorId {
  readonly name: string;
  readonly hex: string;
  /** True when a peer appends a version or capabilities: any ID that starts with these bytes matches. */
  readonly prefix: boolean;
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function known(name: string, hex: string, prefix = false): KnownVendorId {
  return Object.freeze({ name, hex, prefix });
}

/** The vendor IDs vgwsim names, most specific first. */
export const KNOWN_VENDOR_IDS: readonly KnownVendorId[] = Object.freeze([
  // NAT traversal: the RFC and the drafts a 2016 device might still send.
  known('NAT-T (RFC 3947)', '4a131c81070358455c5728f20e95452f'),
  known('draft-ietf-ipsec-nat-t-ike-03', '7d9419a65310ca6f2c179d9215529d56'),
  known('draft-ietf-ipsec-nat-t-ike-02', 'cd60464335df21f87cfdb2fc68b6a448'),
  known('draft-ietf-ipsec-nat-t-ike-02\\n', '90cb80913ebb696e086381b5ec427b1f'),
  // Dead peer detection, RFC 3706 §5.1 (the last two bytes are the version, 1.0).
  known('DPD', 'afcad71368a1f1c96b8696fc77570100'),
  // XAuth: the first 8 bytes of MD5("draft-ietf-ipsra-isakmp-xauth-06.txt").
  known('XAuth', '09002689dfd6b712'),
  known('strongSwan', '882fe56d6fd20dbc2251613b2ebe5beb'),
  // MD5("CISCO-UNITY") with a 2-byte version in place of its last two bytes.
  known('Cisco Unity', '12f5f28c457168a9702d9fe274cc', true),
  // MD5("FRAGMENTATION"), optionally followed by 4 bytes of capability flags.
  known('FRAGMENTATION', '4048b7d56ebce88525e7de7f00d6c2d3', true),
  // Windows peers add a 4-byte version (strongSwan: "Windows peers send this VID and a version number").
  known('MS NT5 ISAKMPOAKLEY', '1e2b516905991c7d7c96fcbfb587e461', true),
  known('KAME/racoon', '7003cbc1097dbe9c2600ba6983bc8b35'),
]);

const KNOWN_BYTES: readonly { readonly v: KnownVendorId; readonly bytes: Uint8Array }[] = KNOWN_VENDOR_IDS.map((v) => ({ v, bytes: fromHex(v.hex) }));

function startsWith(data: Uint8Array, head: Uint8Array): boolean {
  if (data.length < head.length) return false;
  for (let i = 0; i < head.length; i++) if (data[i] !== head[i]) return false;
  return true;
}

/** The name of the vendor ID `data`, or null when it is none of `KNOWN_VENDOR_IDS`. */
export function vendorIdName(data: Uint8Array): string | null {
  for (const { v, bytes } of KNOWN_BYTES) {
    if (v.prefix ? startsWith(data, bytes) : data.length === bytes.length && startsWith(data, bytes)) return v.name;
  }
  return null;
}

/** The bytes of the known vendor ID called `name` (a new array), or null. */
export function vendorIdBytes(name: string): Uint8Array | null {
  const v = KNOWN_VENDOR_IDS.find((k) => k.name === name);
  return v ? fromHex(v.hex) : null;
}
