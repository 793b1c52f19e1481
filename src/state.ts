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
  | { name: 'starting'; last?: Session }
  | { name: 'holding'; last: Session }
  | { name: 'clear'; last?: Session }
  | { name: 'closed'; last?: undefined }

/**
 * What changes it:
 * - `okta`: Okta emitted a state; its callback only records it (`urgent`: signOut()'s pendingRemove
 *   state, which redirects right after);
 * - `saw`: a pass worked out the session that state shows (user functions run there, not in Okta's callback);
 * - `acted`: a step made its calls: the session analytics has now (`null`: none), and whether it reset;
 * - `close`: `disconnect()`.
 */
export type PageEvent =
  | { type: 'okta'; urgent: boolean }
  | { type: 'saw'; session: Session }
  | { type: 'acted'; holding: Session | null; reset: boolean }
  | { type: 'close' }

/** What to run after a transition: a pass in the next task, a pass when idle, or nothing. */
export type Effect = 'soon' | 'idle' | undefined

/** Pure: the next state, and the effect to run. */
export const transition = (s: PageState, e: PageEvent): [PageState, Effect?] =>
  s.name === 'closed' || e.type === 'close'
    ? [{ name: 'closed' }]
    : e.type === 'okta'
      ? [s, e.urgent ? 'soon' : 'idle']
      : e.type === 'saw'
        ? // the username is the identify's (after the filters), known while the user stays the same
          [{ ...s, last: { username: s.last?.user === e.session.user ? s.last.username : undefined, ...e.session } }]
        : e.holding
          ? [{ name: 'holding', last: e.holding }]
          : [{ name: e.reset || s.name === 'starting' ? 'clear' : s.name, last: s.last } as PageState]

/** okta-auth-js takes tokens for expired this long before their `exp` (its `expireEarlySeconds`, 30 s), and some more. */
export const EXPIRY_MARGIN_S = 60

/**
 * Pure: the `reason` of a `Signed Out` sent now (a user switch is `plan`'s), the same whichever tab
 * sends it: a `signOut()` in any tab (its `pendingRemove` marks are in the token storage every tab
 * reads) is `signed_out`; tokens past their expiry (`expiresAt`, s) are `expired`; a session this
 * page saw is `signed_out`; only a page that never saw it (it found it ended at start-up) says
 * `closed_while_away`.
 */
export const signOutReason = (s: PageState, now: number, signingOut: boolean, expiresAt?: number): SignOutReason =>
  signingOut
    ? 'signed_out'
    : expiresAt! - EXPIRY_MARGIN_S <= now / 1000 // an unknown expiry (NaN) is never past
      ? 'expired'
      : s.last
        ? 'signed_out'
        : 'closed_while_away'
