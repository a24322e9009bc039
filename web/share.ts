/**
 * A scenario as a link: the YAML compressed (deflate-raw, CompressionStream) and written in
 * base64url into the URL fragment (`#s=...`), which browsers never send to a server.
 */

/** Prefix of the fragment that holds a shared scenario. */
export const SHARE_KEY = 's=';

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function through(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** The fragment (without `#`) that carries `yaml`. */
export async function shareFragment(yaml: string): Promise<string> {
  return SHARE_KEY + toBase64Url(await through(new TextEncoder().encode(yaml), new CompressionStream('deflate-raw')));
}

/**
 * The YAML a fragment carries; undefined when the fragment holds no shared scenario;
 * an Error whose message says what is wrong when it is damaged (cut short when copied).
 */
export async function sharedScenario(fragment: string): Promise<string | Error | undefined> {
  const f = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (!f.startsWith(SHARE_KEY)) return undefined;
  try {
    const bytes = await through(fromBase64Url(f.slice(SHARE_KEY.length)), new DecompressionStream('deflate-raw'));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new Error('the shared link is damaged (was it cut short when copied?): it holds no readable scenario');
  }
}
