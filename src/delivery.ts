import type { Action, EventNames, SignOutReason } from './lifecycle'
import { mayEndSession, type PagePhase } from './page-phase'

/** Longest wait for analytics-next to deliver (or queue for retry) a `Signed Out` before the reset. */
export const SIGN_OUT_WAIT_MS = 2000
/** okta-auth-js takes tokens for expired this long before their `exp` (its `expireEarlySeconds`, 30 s), and some more. */
export const EXPIRY_MARGIN_S = 60

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

/** Pure: how to deliver `actions` in this page phase. */
export const deliveryOf = (actions: readonly Action[], phase: PagePhase, events: EventNames): Delivery => {
  const first = actions[0]
  const signedOut = first?.call === 'track' && first.event === events.signedOut && actions[1]?.call === 'reset'
  if (signedOut && !mayEndSession(phase)) return 'next-page'
  return signedOut ? 'signed-out-first' : 'now'
}

/** What the page saw of the session that is ending. */
export interface Ending {
  /** Now, in ms since the epoch. */
  now: number
  /** The earliest `expiresAt` (s) of the tokens of the last signed-in state seen, or of the current state. */
  expiresAt?: number
  /** Another tab changed Okta's token storage since that state (a `storage` event for it). */
  external: boolean
  /** This page has not acted on any state yet: what it finds ended, ended while no page showed it. */
  startup: boolean
  /** This page loaded while Okta's tokens were marked `pendingRemove`: a signOut() was under way. */
  signingOut: boolean
}

/** Pure: the `reason` of a `Signed Out` sent now (a user switch is decided by `plan`). */
export const signOutReason = ({ now, expiresAt, external, startup, signingOut }: Ending): SignOutReason =>
  expiresAt !== undefined && now / 1000 >= expiresAt - EXPIRY_MARGIN_S
    ? 'expired'
    : signingOut
      ? 'signed_out'
      : startup
        ? 'closed_while_away'
        : external
          ? 'other_tab'
          : 'signed_out'

/** Resolves `true` once `result` is fulfilled, `false` when it rejects or after `ms`; never rejects. */
export const deliveredWithin = (result: unknown, ms: number): Promise<boolean> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    Promise.resolve(result).then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false))),
  ]).finally(() => clearTimeout(timer))
}
