// The app's one OktaAuth and one analytics, connected once, here, where they are created.
// <Security> starts oktaAuth; useOktaAuth() hands components this same instance.
import { OktaAuth, type RequestOptions } from '@okta/okta-auth-js'
import { AnalyticsBrowser } from '@segment/analytics-next'
import { connect, filters, hashTraits } from 'okta-segment'

const { EXAMPLE } = window as unknown as { EXAMPLE: Record<string, string | boolean | undefined> }

export const oktaAuth = new OktaAuth({
  issuer: EXAMPLE.issuer as string,
  clientId: EXAMPLE.clientId as string,
  redirectUri: `${location.origin}/login/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  scopes: ['openid', 'profile', 'email'],
  // Only for the local stand-in provider (servers/oidc.mjs), which wants client_id in the revoke body.
  httpRequestInterceptors: EXAMPLE.localProvider ? [localRevoke] : [],
})

export const analytics = AnalyticsBrowser.load(
  { writeKey: EXAMPLE.writeKey as string, cdnURL: EXAMPLE.settingsCDN as string | undefined },
  EXAMPLE.apiHost ? { integrations: { 'Segment.io': { apiHost: EXAMPLE.apiHost as string, protocol: 'http' } } } : {},
)

// E-mail reaches Facebook Pixel hashed, and every other destination as is.
export const bridge = connect({
  auth: oktaAuth,
  analytics,
  plugins: [filters([hashTraits(['email'], { destinations: ['Facebook Pixel'] })])],
})

function localRevoke(req: RequestOptions) {
  if (/\/v1\/revoke$/.test(req.url ?? '') && req.headers?.Authorization) {
    delete req.headers.Authorization
    req.args = `${req.args ? `${req.args}&` : ''}client_id=${encodeURIComponent(EXAMPLE.clientId as string)}`
  }
}
