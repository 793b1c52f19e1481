import type { SignOutReason } from './core/record'

/** A session as this page saw it: the user (hash), the username trait its identify carried, and
 * when its tokens expire (seconds since the epoch). */
export interface Session {
  user: string
  username?: string
  expiresAt?: number
}

/**
 * The page's bridge, as one value. `last` is the last session Okta showed this page signed in,
 * kept after it ends (a copy of that user coming back into this page's analytics is reset again).
 * - `starting`: it has acted on no state yet, so what it finds ended may have ended while no page
 *   of the site was open, and analytics may hold a user that hand-written glue left;
 * - `holding`: it acted, and its analytics has the session (the user, or at least the session's
 *   anonymousId): not reset since;
 * - `clear`: it acted, and its analytics holds no session (reset since, or never held one);
 * - `closed`: disconnected; nothing runs any more.
 */
export type PageState =
  | { name: 'starting'; last: Session | null }
  | { name: 'holding'; last: Session }
  | { name: 'clear'; last: Session | null }
  | { name: 'closed' }

/**
 * What changes it:
 * - `okta`: Okta emitted a state (its callback only records it: `urgent` for signOut()'s
 *   pendingRemove state, which redirects right after);
 * - `saw`: a pass worked out the session of that state (user functions run there, not in Okta's callback);
 * - `acted`: a step made its calls: the session analytics has now (or none), and whether it reset;
 * - `close`: `disconnect()`.
 */
export type PageEvent =
  | { type: 'okta'; urgent: boolean }
  | { type: 'saw'; session: Session }
  | { type: 'acted'; holding: Session | null; reset: boolean }
  | { type: 'close' }

/** What to run after a transition: a pass now (next task), a pass when idle, or nothing. */
export type Effect = 'soon' | 'idle' | undefined

/** Pure: the next state, and the effect to run. */
export const transition = (s: PageState, e: PageEvent): [PageState, Effect] => {
  if (s.name === 'closed' || e.type === 'close') return [{ name: 'closed' }, undefined]
  if (e.type === 'okta') return [s, e.urgent ? 'soon' : 'idle']
  if (e.type === 'saw') {
    // the username is the identify's (after the filters): kept while the user is the same
    const username = s.last?.user === e.session.user ? s.last.username : undefined
    return [{ ...s, last: { username, ...e.session } }, undefined]
  }
  if (e.holding) return [{ name: 'holding', last: e.holding }, undefined]
  return [{ name: e.reset || s.name === 'starting' ? 'clear' : s.name, last: s.last } as PageState, undefined]
}

/** okta-auth-js takes tokens for expired this long before their `exp` (its `expireEarlySeconds`, 30 s), and some more. */
export const EXPIRY_MARGIN_S = 60

/** What is known, when a session ends, of why it ended (besides a user switch, which `plan` tells). */
export interface Ending {
  /** Now, in ms since the epoch. */
  now: number
  /** The earliest `expiresAt` (s) of the session's tokens, as this page last saw them. */
  expiresAt?: number
  /** Okta's tokens are, or were when this page loaded, marked `pendingRemove`: a `signOut()`. */
  signingOut: boolean
}

/**
 * Pure: the `reason` of a `Signed Out` sent now, the same whichever tab sends it: a `signOut()`
 * in any tab (its `pendingRemove` marks are in the token storage every tab reads) is `signed_out`;
 * tokens past their expiry are `expired`; a session this page saw end is `signed_out`; and only
 * a page that never saw the session (it found it ended at start-up) says `closed_while_away`.
 */
export const signOutReason = (s: PageState, { now, expiresAt, signingOut }: Ending): SignOutReason =>
  signingOut
    ? 'signed_out'
    : expiresAt !== undefined && now / 1000 >= expiresAt - EXPIRY_MARGIN_S
      ? 'expired'
      : s.name !== 'closed' && s.last
        ? 'signed_out'
        : 'closed_while_away'
