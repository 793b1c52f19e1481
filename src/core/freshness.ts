import type { AuthStateLike, TokenLike } from '../types'

/** How long a tab whose auth state is older than Okta's token storage waits for Okta's own
 * re-evaluation (its cross-tab message) before it asks for one. Only how soon a lost message is
 * made up for: no tab acts on a stale state meanwhile. */
export const REEVALUATE_AFTER_MS = 1000

export type Tokens = Pick<AuthStateLike, 'idToken' | 'accessToken'>

const part = (t: TokenLike | null | undefined) =>
  t ? `${t.idToken ?? t.accessToken ?? ''}:${t.expiresAt ?? ''}:${t.pendingRemove ? 1 : 0}` : '-'

/** Pure: one string for the tokens an auth state (or Okta's token storage) holds. */
export const tokensKey = (t: Tokens | null | undefined): string => `${part(t?.idToken)}|${part(t?.accessToken)}`

/**
 * Pure: may this tab act on its auth state? Not while it is older than Okta's token storage: a tab
 * that has just loaded, or whose app transforms the auth state asynchronously (transformAuthState
 * calling /userinfo), can show "signed out" while another tab has signed in, and "signed in" after
 * another tab signed out. `stored` is `undefined` where the storage cannot be read (nothing to
 * tell); `confirmed` is the storage Okta re-evaluated at this tab's request: its answer is taken.
 */
export const isFresh = (state: AuthStateLike | null, stored: Tokens | undefined, confirmed?: string): boolean =>
  !stored || tokensKey(state) === tokensKey(stored) || tokensKey(stored) === confirmed
