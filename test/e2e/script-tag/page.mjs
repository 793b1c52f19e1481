// Pages for the script-tag suite: Segment's snippet, okta-auth-js's CDN bundle and our global
// bundle, in a given document layout with given async/defer attributes. The app code is the
// pattern the README documents: a queue line, and an Okta set-up run by Okta's `onload`.

/** Segment's snippet 5.2.0 as Segment gives it; only the CDN host is a variable (offline here). */
const SNIPPET = `!function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src=CFG.segmentCDN+"/analytics.js/v1/"+key+"/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._writeKey=CFG.writeKey;analytics._cdn=CFG.settingsCDN;analytics.SNIPPET_VERSION="5.2.0";
analytics.load(CFG.writeKey,{integrations:{"Segment.io":{apiHost:CFG.apiHost,protocol:"http"}}});
analytics.page();
}}();`

// The README's pattern. `startOkta` runs when Okta's bundle has loaded, whatever its attributes.
const app = (analytics = 'window.analytics') => `
window.OktaSegment = window.OktaSegment || []
function startOkta() {
  var oktaAuth = (window.oktaAuth = new OktaAuth({
    issuer: CFG.issuer,
    clientId: CFG.clientId,
    redirectUri: location.origin + '/login/callback',
    postLogoutRedirectUri: location.origin + '/',
    scopes: ['openid', 'profile', 'email'],
    // oidc-provider wants client_id in the revoke body (servers/oidc.mjs)
    httpRequestInterceptors: [function (req) {
      if (/\\/v1\\/revoke$/.test(req.url) && req.headers && req.headers.Authorization) {
        delete req.headers.Authorization
        req.args = (req.args ? req.args + '&' : '') + 'client_id=' + encodeURIComponent(CFG.clientId)
      }
    }],
  }))
  OktaSegment.push(function (api) {
    window.__connects = (window.__connects || 0) + 1
    window.bridge = api.connect({ auth: oktaAuth, analytics: ${analytics} })
  })
  if (oktaAuth.isLoginRedirect()) return oktaAuth.handleLoginRedirect()
  oktaAuth.authStateManager.subscribe(render)
  oktaAuth.start().then(function () { render(oktaAuth.authStateManager.getAuthState()) })
}
function render(state) {
  var status = document.getElementById('status')
  if (!status) return document.addEventListener('DOMContentLoaded', function () { render(state) })
  var inside = !!(state && state.isAuthenticated && !state.idToken.pendingRemove)
  status.dataset.state = inside ? 'signed-in' : 'signed-out'
  status.textContent = inside ? 'signed in as ' + state.idToken.claims.email : 'signed out'
  document.getElementById('signin').hidden = inside
  document.getElementById('signout').hidden = !inside
}
function signIn() { oktaAuth.signInWithRedirect({ originalUri: '/' }) }
function signOut() { oktaAuth.signOut() }
`

// Records the order in which external scripts finished (a script's `load` follows its execution),
// and the scripts that failed (a network error, or an integrity that does not match).
const RECORDER = `window.__loaded = []
window.__failed = []
document.addEventListener('load', function (e) {
  var t = e.target
  if (t && t.tagName === 'SCRIPT' && t.src) __loaded.push(t.src)
}, true)
document.addEventListener('error', function (e) {
  var t = e.target
  if (t && t.tagName === 'SCRIPT' && t.src) __failed.push(t.src)
}, true)`

/** Which resource a recorded script URL is. */
export const nameOf = (src) =>
  /okta-auth-js/.test(src)
    ? 'okta'
    : /okta-segment\.global/.test(src)
      ? 'bundle'
      : /analytics\.min\.js/.test(src)
        ? 'segment'
        : null

const attr = (how) => (how === 'async' ? ' async' : how === 'defer' ? ' defer' : '')

/**
 * @param {{ layout: string[], okta?: string, bundle?: string, integrity: string, analytics?: string }} scenario
 *   layout: the order of 'snippet', 'app', 'okta', 'bundle' in <head>; 'snippet' may instead be
 *   listed after 'body' to put it at the end of <body> (as a tag manager would add it).
 *   analytics: the expression the app hands to connect() (default `window.analytics`).
 * @param {Record<string, unknown>} config  window.CFG
 */
export function render(scenario, config) {
  const part = {
    snippet: `<script>${SNIPPET}</script>`,
    app: `<script>${app(scenario.analytics)}</script>`,
    okta: `<script${attr(scenario.okta)} src="${config.cdn}/okta-auth-js.min.js" onload="startOkta()"></script>`,
    bundle: `<script${attr(scenario.bundle)} src="${config.cdn}/okta-segment.global.min.js" integrity="${scenario.integrity}" crossorigin="anonymous"></script>`,
    body: `</head>
<body>
<h1>script tag</h1>
<div id="status" data-state="loading">loading…</div>
<button id="signin" onclick="signIn()" hidden>Sign in</button>
<button id="signout" onclick="signOut()" hidden>Sign out</button>`,
  }
  const layout = scenario.layout.includes('body') ? scenario.layout : [...scenario.layout, 'body']
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>okta-segment script tag</title>
<script>window.CFG = ${JSON.stringify(config)}
${RECORDER}</script>
${layout.map((p) => part[p]).join('\n')}
</body>
</html>
`
}
