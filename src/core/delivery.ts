import type { Action, EventNames } from './plan'

/**
 * How a plan is delivered now:
 * - `next-page`: it ends a session while the page is leaving: nothing is sent; the record and the
 *   user analytics holds stay, so the next page sends it (same messageId), attributed to the user.
 * - `signed-out-first`: `Signed Out` is sent and awaited (`SIGN_OUT_WAIT_MS` at most) before the
 *   reset and the rest: a page that unloads meanwhile (signOut() redirects) leaves the record saying
 *   so, and the next page finishes it, still attributed to the user.
 * - `now`: every call at once, in order.
 */
export type Delivery = 'now' | 'signed-out-first' | 'next-page'

/** Pure: how to deliver `actions`, where `mayEnd` says whether the page may end a session now. */
export const deliveryOf = (actions: readonly Action[], mayEnd: boolean, events: EventNames): Delivery => {
  const signedOut = actions[0]?.[1] === events.signedOut && actions[1]?.[0] === 'reset'
  return !signedOut ? 'now' : mayEnd ? 'signed-out-first' : 'next-page'
}
