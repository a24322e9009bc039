/**
 * How an ISAKMP SA ends: taken out of the book with its CHILD_SAs (strongSwan destroys an
 * IKE_SA's CHILD_SAs with it, IKEv1 included), after a failure that gets a status, after a
 * Delete either way, or at the end of its life; and how a newer ISAKMP SA with the peer takes
 * over the CHILD_SAs of older ones (strongSwan's `adopt_children_job` after Main Mode, which
 * is what keeps the tunnels up when IKEv1 re-authenticates).
 *
 * Owns the order: status and log first, then the host hears about each CHILD_SA going down.
 * A failed negotiation also drops the CHILD_SAs waiting for it: the host asks again
 * (`acquire`) when traffic still needs them, as a strongSwan trap policy would.
 */
import type { IkeSessionStatus } from '../endpoint.js';
import { closeChild } from './children.js';
import type { Ikev1Context } from './context.js';
import type { Ikev1Book, IsakmpSa } from './state.js';

/** Take `sa` out of the book; its CHILD_SAs go down (`ike-sa-gone`). */
export function dropSa(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa): void {
  const i = book.sas.indexOf(sa);
  if (i >= 0) book.sas.splice(i, 1);
  for (const child of [...sa.children]) closeChild(ctx, sa, child, 'ike-sa-gone');
  sa.quickModes.length = 0;
  sa.initiating = null;
  sa.responding = null;
  sa.state = 'deleted';
}

/** A negotiation on `sa` failed in a way that ends it: say so, drop it, forget what waited on it. */
export function failSa(ctx: Ikev1Context, book: Ikev1Book, sa: IsakmpSa, status: IkeSessionStatus, detail: string, notify: string | null): void {
  ctx.status(status, detail, notify);
  dropSa(ctx, book, sa);
  if (!book.sas.some((s) => s.state === 'established')) book.wanted.length = 0;
}

/** `sa` is established: it takes the CHILD_SAs of every older SA with the peer, which are then replaced. */
export function adoptChildren(book: Ikev1Book, sa: IsakmpSa): number {
  let n = 0;
  for (const old of book.sas) {
    if (old === sa || old.state !== 'established') continue;
    n += old.children.length;
    sa.children.push(...old.children);
    old.children.length = 0;
    old.replaced = true;
  }
  return n;
}
