/**
 * Puts a device section into a scenario's text: the `device:` of one site is replaced (or
 * added after the site's last key), and every other byte of the file stays as it was, its
 * comments and layout included. The yaml package's Document API finds the site and the
 * ranges of its keys; the text is spliced there.
 *
 * Refuses, with a message for the caller to report: a file that is not a YAML mapping with
 * a `sites` list, a site name the file does not have (listing those it has), no --site when
 * the file has several sites, an empty site, and a sites list in flow style (JSON). A site written in flow style
 * (`- { name: hq, ... }`) becomes a block mapping, each of its other keys with its value as
 * written, so the device section can go under it with its comments.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { LineIndex } from '../../source-text.js';

/** Where a site is in a scenario's text, and what the scenario says about it. */
export interface SiteSlot {
  readonly name: string;
  readonly index: number;
  /** Column (0-based) of the site's keys. */
  readonly indent: number;
  /** The site's gatewayIp as written, if any. */
  readonly gatewayIp?: string;
  /** Public IPs of the gateways an IPsec connection links to this site. */
  readonly gatewayIps: readonly { readonly gateway: string; readonly publicIp: string }[];
  /** Splices `section` (whose first line starts at the key, unindented) into the text. */
  readonly splice: (section: string) => string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The site `name` of the scenario text (or its only site), or why not. */
export function findSite(text: string, name: string | undefined): SiteSlot | { readonly error: string } {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) return { error: `the scenario is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); run vgw validate on it first` };
  const root = doc.contents;
  const sites = isMap(root) ? root.get('sites', true) : undefined;
  if (!isSeq(sites)) return { error: 'the scenario has no sites list to put the device into' };
  if (sites.flow) return { error: 'the scenario\'s sites list is written in flow style (a JSON scenario, or sites: [ ... ]); vgw import device merges into YAML block lists (one "- name: ..." a site): print the section without --scenario and paste it' };
  const maps = sites.items.filter((s): s is YAMLMap => isMap(s));
  const names = maps.map((m) => str(m.get('name')) ?? '');
  const index = name === undefined ? (maps.length === 1 ? 0 : -1) : names.indexOf(name);
  if (index < 0) {
    return { error: name === undefined ? `the scenario has ${maps.length} sites (${names.join(', ')}); say which with --site NAME` : `the scenario has no site "${name}" (sites: ${names.join(', ') || 'none'})` };
  }
  const site = maps[index]!;
  const lines = new LineIndex(text);
  const first = site.items[0];
  if (!first) return { error: `site "${names[index]}" is empty` };
  const keyStart = site.flow ? site.range![0] : rangeOf(first.key)[0];
  const indent = lines.posAt(keyStart).column - 1;
  const toJs = doc.toJS() as { connections?: unknown; gateways?: unknown };
  const conns = Array.isArray(toJs.connections) ? (toJs.connections as Record<string, unknown>[]) : [];
  const gws = Array.isArray(toJs.gateways) ? (toJs.gateways as Record<string, unknown>[]) : [];
  const gatewayIps = conns
    .filter((c) => c && c['site'] === names[index])
    .flatMap((c) => gws.filter((g) => g && g['name'] === c['gateway']))
    .flatMap((g) => (typeof g['publicIp'] === 'string' ? [{ gateway: String(g['name']), publicIp: g['publicIp'] }] : []));
  const gatewayIp = site.get('gatewayIp');
  const device = site.items.find((p) => isScalar(p.key) && p.key.value === 'device');
  const splice = (section: string): string => {
    if (site.flow) {
      // A one-line site becomes a block mapping: each other key with its value as written.
      const pairs = site.items.filter((p) => p !== device && p.value !== null).map((p) => `${text.slice(rangeOf(p.key)[0], rangeOf(p.key)[1])}: ${text.slice(rangeOf(p.value)[0], rangeOf(p.value)[1])}`);
      const body = pairs.map((p, i) => (i === 0 ? p : ' '.repeat(indent) + p)).join('\n');
      return `${text.slice(0, keyStart)}${body}\n${' '.repeat(indent)}${section}${text.slice(lineEnd(text, site.range![1] - 1))}`;
    }
    if (device) {
      const start = (device.key as { range: [number, number, number] }).range[0];
      const valueEnd = (device.value as { range?: [number, number, number] } | null)?.range?.[1] ?? (device.key as { range: [number, number, number] }).range[1];
      const end = text[valueEnd - 1] === '\n' ? valueEnd : lineEnd(text, valueEnd);
      return text.slice(0, start) + section + text.slice(end);
    }
    const last = site.items[site.items.length - 1]!;
    const valueEnd = (last.value as { range?: [number, number, number] } | null)?.range?.[1] ?? (last.key as { range: [number, number, number] }).range[1];
    const at = text[valueEnd - 1] === '\n' ? valueEnd : lineEnd(text, valueEnd);
    const nl = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
    return text.slice(0, at) + nl + ' '.repeat(indent) + section + text.slice(at);
  };
  return { name: names[index]!, index: sites.items.indexOf(site), indent, ...(typeof gatewayIp === 'string' ? { gatewayIp } : {}), gatewayIps, splice };
}

/** The source range of a parsed node (the composer sets it on every node it makes). */
function rangeOf(node: unknown): [number, number, number] {
  return (node as { range: [number, number, number] }).range;
}

/** The offset just past the line feed that ends the line holding `offset` (or the text's end). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}
