import type { AuthLike, AuthStateLike, TokenLike } from './types'

type Tokens = { idToken?: TokenLike | null; accessToken?: TokenLike | null }

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
export const isStale = (state: AuthStateLike | null, stored: string | undefined): boolean =>
  stored !== undefined && tokensKey(state) !== stored

/** `tokensKey` of Okta's token storage, read now (`undefined` when the auth has no tokenManager, or it throws). */
export const storedTokens = (auth: AuthLike): string | undefined => {
  try {
    const read = auth.tokenManager?.getTokensSync
    return read ? tokensKey(read.call(auth.tokenManager) as Tokens) : undefined
  } catch {
    return undefined
  }
}
