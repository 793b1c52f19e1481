/** Longest wait on the OIDC callback page for the page the user lands on. */
export const CALLBACK_WAIT_MS = 10_000
/** How often the bridge looks again whether the callback page is still showing. */
export const CALLBACK_POLL_MS = 500

/**
 * The path of the OIDC callback this document was loaded as, or `undefined`. okta-auth-js strips
 * the query before it redirects, so read the URL the document was loaded with (a late script tag
 * connects after that).
 */
export const callbackPathOf = (href: string): string | undefined =>
  /[?&#](code|id_token|access_token)=/.test(href) && /[?&#]state=/.test(href)
    ? new URL(href, 'http://h').pathname
    : undefined

/**
 * Pure: ms until the bridge looks again, or `undefined` to act now. The callback page redirects at
 * once (`handleLoginRedirect`): calls made there are cut off by the navigation, so a sign-in waits
 * for the page the user lands on (an SPA that leaves the callback path in place is that page),
 * `CALLBACK_WAIT_MS` at most since it first waited.
 */
export const callbackDelay = (onCallbackPage: boolean, waitedMs: number): number | undefined =>
  onCallbackPage && waitedMs < CALLBACK_WAIT_MS ? CALLBACK_POLL_MS : undefined
