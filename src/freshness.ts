import type { AuthLike, AuthStateLike, TokenLike } from './types'

/** How long a tab whose auth state is older than Okta's token storage waits for Okta's own
 * re-evaluation (its cross-tab message) before it asks for one. Only how soon a lost message is
 * made up for: no tab acts on a stale state meanwhile. */
export const REEVALUATE_AFTER_MS = 1000

export type Tokens = { idToken?: TokenLike | null; accessToken?: TokenLike | null }

const part = (t: TokenLike | null | undefined) =>
  t ? `${t.idToken ?? t.accessToken ?? ''}:${t.expiresAt ?? ''}:${t.pendingRemove ? 1 : 0}` : '-'

/** Pure: one string for the tokens an auth state (or Okta's token storage) holds. */
export const tokensKey = (t: Tokens | null | undefined): string => `${part(t?.idToken)}|${part(t?.accessToken)}`

/**
 * Pure: the auth state this tab acts on is older than Okta's token storage. A tab that has just
 * loaded, or whose app transforms the auth state asynchronously (transformAuthState calling
 * /userinfo), can show "signed out" while another tab has signed in, and "signed in" after another
 * tab signed out. Such a tab never acts on the shared record until Okta has re-evaluated.
 * `stored` is `undefined` where the storage cannot be read: then nothing can be told.
 */
export const isStale = (state: AuthStateLike | null, stored: Tokens | undefined): boolean =>
  stored !== undefined && tokensKey(state) !== tokensKey(stored)

/** Okta's token storage, read now (`undefined` when the auth has no tokenManager, or it throws). */
export const storedTokens = (auth: AuthLike): Tokens | undefined => {
  try {
    const read = auth.tokenManager?.getTokensSync
    return read ? ((read.call(auth.tokenManager) as Tokens | undefined) ?? {}) : undefined
  } catch {
    return undefined
  }
}

/** Pure: tokens marked for removal: a signOut() is under way (or was cut off by its redirect). */
export const signingOut = (t: Tokens | undefined): boolean =>
  !!(t?.idToken?.pendingRemove || t?.accessToken?.pendingRemove)
