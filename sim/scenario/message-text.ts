/**
 * Names and lists in messages: diagnostics and trace details name the objects involved, and
 * a list of them stays short whatever the file holds (the first LIST_MAX, then how many
 * more). Owns the formats shared by the checks and the compiler; rejects nothing.
 */
import type { HostRef } from './types.js';

/** Items a message lists before it counts the rest ("and N more"): a message stays a line, whatever the file. */
export const LIST_MAX = 8;

/** A name as messages quote it. */
export const q = (name: string): string => `"${name}"`;

/** What holds a host, as messages name it: 'VNet "v1"', 'site "hq"', 'the point-to-site clients of gateway "gw1"'. */
export function ownerText(h: HostRef): string {
  const o = h.owner;
  return o.kind === 'vnet' ? `VNet ${q(o.name)}` : o.kind === 'site' ? `site ${q(o.name)}` : `the point-to-site clients of gateway ${q(o.name)}`;
}

/** `items` joined with ", ", at most LIST_MAX of them, then how many more there are (of `total`). */
export function listText(items: readonly string[], total = items.length): string {
  const shown = items.slice(0, LIST_MAX);
  return total > shown.length ? `${shown.join(', ')}, and ${total - shown.length} more` : shown.join(', ');
}

/** `items` as a phrase: "a", "a and b", "a, b and c"; past LIST_MAX, "a, b, ..., and N more". */
export function andList(items: readonly string[]): string {
  if (items.length > LIST_MAX) return listText(items);
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
