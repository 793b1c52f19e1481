// The test app: okta-auth-js (UMD) + analytics-next (standalone, via the snippet) + okta-segment,
// either the npm build (`/dist/index.js`, an ES module) or the script-tag bundle
// (APP.bundle === 'global': `/dist/okta-segment.global.min.js`, sets window.OktaSegment).
import { localOktaAuth } from '/vendor/local-okta.js'
const APP = window.APP
const log = (...a) => APP.verbose && console.log('[app]', ...a)

const loadScript = (src) =>
  new Promise((resolve, reject) => {
    const s = document.createElement('script')
    s.src = src
    s.onload = resolve
    s.onerror = () => reject(new Error(`could not load ${src}`))
    document.head.appendChild(s)
  })

const lib =
  APP.bundle === 'global'
    ? (await loadScript('/dist/okta-segment.global.min.js'), window.OktaSegment)
    : await import('/dist/index.js')

// APP.transform: the common pattern of enriching the auth state with /userinfo, asynchronously
// (okta-auth-js keeps the previous state until it resolves)
const transformAuthState = async (okta, authState) => {
  if (!authState.isAuthenticated) return authState
  const user = await okta.token.getUserInfo()
  return { ...authState, isAuthenticated: !!user, users: user }
}
const oktaAuth = (window.oktaAuth = localOktaAuth({
  issuer: APP.issuer,
  clientId: APP.clientId,
  ...(APP.transform ? { transformAuthState } : {}),
}))

// What the bridge reports; the tests assert this stays empty.
window.bridgeErrors = []
// APP.filters: a filter without destinations, as most apps would start with
const filters = APP.filters && lib.dropTraits ? [lib.dropTraits(['username'])] : []
// APP.bridge === false: the same app without okta-segment (to tell the SDKs' own behaviour from ours)
window.bridge =
  APP.bridge === false
    ? undefined
    : lib.connect({
        auth: oktaAuth,
        analytics: window.analytics,
        ...(filters.length ? { plugins: [lib.filters(filters)] } : {}),
        debug: !!APP.debug,
        onError: (e) => {
          window.bridgeErrors.push(`${e.name}: ${e.message}`)
          log('bridge error', e)
        },
      })
// The page view, on the loaded instance: analytics.js never makes a call pushed onto the snippet's
// stub in the moment it swaps it for the instance, where this module may run (README, Script tag).
// Looked for every 50 ms for a minute: a blocked analytics.js stays an array.
const whenLoaded = (fn, tries = 1200) =>
  Array.isArray(window.analytics) ? tries && setTimeout(whenLoaded, 50, fn, tries - 1) : fn(window.analytics)
whenLoaded((analytics) => analytics.page())

const $ = (id) => document.getElementById(id)
const setStatus = (state, text) => {
  $('status').dataset.state = state
  $('status').textContent = text
  $('signin').hidden = state !== 'signed-out'
  $('switch').hidden = state !== 'signed-in'
  $('signout').hidden = state !== 'signed-in'
}
const render = (s) => {
  if (s?.isAuthenticated && s.idToken && !s.idToken.pendingRemove)
    setStatus('signed-in', `signed in as ${s.idToken.claims.email}`)
  else if (s) setStatus('signed-out', 'signed out')
}
const fail = (what) => (e) => {
  console.error(what, e)
  setStatus('error', `${what}: ${e?.message}`)
}

$('signin').onclick = () => oktaAuth.signInWithRedirect({ originalUri: '/' }).catch(fail('sign-in'))
$('switch').onclick = () => oktaAuth.signInWithRedirect({ originalUri: '/', prompt: 'login' }).catch(fail('sign-in'))
$('signout').onclick = () => oktaAuth.signOut().catch(fail('sign-out'))
$('buy').onclick = () => {
  $('clicks').textContent = String(Number($('clicks').textContent) + 1)
  window.analytics.track('Clicked Buy')
}

try {
  if (oktaAuth.isLoginRedirect()) {
    // exchanges the code (PKCE), stores the tokens, then location.replace(originalUri)
    await oktaAuth.handleLoginRedirect()
  } else {
    oktaAuth.authStateManager.subscribe(render)
    await oktaAuth.start()
    render(oktaAuth.authStateManager.getAuthState())
  }
} catch (e) {
  fail('start')(e)
}
