/**
 * Bytes of the distinct typed arrays an object holds (walking its fields, arrays and nested
 * objects), each array counted once however many fields share it: what `memoryBytes`
 * should report. Fields whose name starts with one of `skip` are left out (per-call
 * scratch buffers, which are not part of the compiled structure).
 */
export function heldTypedArrayBytes(root: object, skip: readonly string[] = []): number {
  const arrays = new Set<ArrayBufferView>();
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      arrays.add(v);
      return;
    }
    for (const [k, x] of Object.entries(v)) if (!skip.some((s) => k.startsWith(s))) walk(x);
  };
  walk(root);
  let bytes = 0;
  for (const a of arrays) bytes += a.byteLength;
  return bytes;
}
