import { OktaAuth } from '@okta/okta-auth-js'
import { AnalyticsBrowser } from '@segment/analytics-next'
import { connect, dropTraits, filters } from 'okta-segment'
import './style.css'

const { EXAMPLE } = window

const oktaAuth = new OktaAuth({
  issuer: EXAMPLE.issuer,
  clientId: EXAMPLE.clientId,
  redirectUri: `${location.origin}/login/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  scopes: ['openid', 'profile', 'email'],
  // Only for the local stand-in provider (servers/oidc.mjs), which wants client_id in the revoke body.
  httpRequestInterceptors: EXAMPLE.localProvider ? [localRevoke] : [],
})
const analytics = AnalyticsBrowser.load(
  { writeKey: EXAMPLE.writeKey, cdnURL: EXAMPLE.settingsCDN },
  EXAMPLE.apiHost ? { integrations: { 'Segment.io': { apiHost: EXAMPLE.apiHost, protocol: 'http' } } } : {},
)

// Once, next to where OktaAuth is created. The rest is the app's own sign-in UI.
connect({ auth: oktaAuth, analytics, plugins: [filters([dropTraits(['phone'])])] })

const $ = (id) => document.getElementById(id)
const show = (state) => {
  const inside = !!(state?.isAuthenticated && !state.idToken?.pendingRemove)
  $('status').dataset.state = inside ? 'signed-in' : 'signed-out'
  $('status').textContent = inside
    ? `Signed in as ${state.idToken.claims.name} (${state.idToken.claims.email})`
    : 'Signed out'
  $('signin').hidden = inside
  $('signout').hidden = !inside
}
$('signin').onclick = () => oktaAuth.signInWithRedirect({ originalUri: '/' })
$('signout').onclick = () => oktaAuth.signOut()

if (oktaAuth.isLoginRedirect()) {
  await oktaAuth.handleLoginRedirect()
} else {
  oktaAuth.authStateManager.subscribe(show)
  await oktaAuth.start()
  show(oktaAuth.authStateManager.getAuthState())
}

function localRevoke(req) {
  if (/\/v1\/revoke$/.test(req.url) && req.headers?.Authorization) {
    delete req.headers.Authorization
    req.args = `${req.args ? `${req.args}&` : ''}client_id=${encodeURIComponent(EXAMPLE.clientId)}`
  }
}
