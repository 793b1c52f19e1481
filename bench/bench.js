// In the page: one integration (none, the hand-written glue, or okta-segment) over the same real
// okta-auth-js and analytics-next, and the measurements bench/run.mjs asks for.
import { glue } from '/glue.js'

const mode = new window.URLSearchParams(location.search).get('mode') ?? 'none'
const ISSUER = 'http://127.0.0.1:9/oauth2/default' // never contacted: tokens are set directly
const oktaAuth = new window.OktaAuth({
  issuer: ISSUER,
  clientId: 'bench-client',
  redirectUri: `${location.origin}/login/callback`,
  httpRequestClient: (method, url) => Promise.reject(new Error(`bench: offline (${method} ${url})`)),
  tokenManager: { autoRenew: false, autoRemove: false, storage: 'localStorage' },
  services: { autoRenew: false, autoRemove: false, syncStorage: false, renewOnTabActivation: false },
})

// Synchronous time inside Okta's auth-state callback: every subscriber the integration adds is
// wrapped with performance.now(); the harness's own listener (below) is added unwrapped.
const samples = []
const subscribe = oktaAuth.authStateManager.subscribe.bind(oktaAuth.authStateManager)
oktaAuth.authStateManager.subscribe = (fn) =>
  subscribe(function (state) {
    const t0 = performance.now()
    try {
      return fn.apply(this, arguments)
    } finally {
      const t1 = performance.now()
      samples.push({ authenticated: !!state?.isAuthenticated, start: t0, ms: t1 - t0 })
    }
  })

const longtasks = []
new window.PerformanceObserver((list) =>
  longtasks.push(...list.getEntries().map((e) => ({ start: e.startTime, ms: e.duration }))),
).observe({
  type: 'longtask',
  buffered: true,
})

await new Promise((resolve) => window.analytics.ready(resolve)) // measure against the loaded instance
if (mode === 'glue') glue(oktaAuth)
// reference rows: what a subscriber costs at the least (an empty one), and what registering a
// task or an idle callback costs by itself
if (mode === 'empty') oktaAuth.authStateManager.subscribe(() => {})
if (mode === 'task') oktaAuth.authStateManager.subscribe(() => void setTimeout(() => {}, 0))
if (mode === 'idle')
  oktaAuth.authStateManager.subscribe(() => void window.requestIdleCallback(() => {}, { timeout: 1000 }))
if (mode === 'bridge')
  window.bridge = (await import('/dist/index.js')).connect({ auth: oktaAuth, analytics: window.analytics })
oktaAuth.authStateManager.subscribe = subscribe

// ---- tokens, as a sign-in or a renewal would store them (setTokens does not verify signatures)
const b64 = (o) => window.btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const sig = () => b64(crypto.getRandomValues(new Uint8Array(24)).join('.'))
const jwt = (claims) => `${b64({ alg: 'RS256', kid: 'bench' })}.${b64(claims)}.${sig()}`
const now = () => Math.floor(Date.now() / 1000)
const claimsOf = (authTime) => ({
  ...window.BENCH.profile, // servers/oidc.mjs's alice, without her password
  ver: 1,
  iss: ISSUER,
  aud: 'bench-client',
  iat: now(),
  exp: now() + 3600,
  auth_time: authTime,
  jti: `ID.${sig().slice(0, 20)}`,
  nonce: sig().slice(0, 32),
  amr: ['pwd'],
  idp: '00o1idp0000000000000',
  at_hash: sig().slice(0, 22),
})
const tokens = (authTime) => {
  const claims = claimsOf(authTime)
  const base = {
    scopes: ['openid', 'profile', 'email'],
    expiresAt: now() + 3600,
    authorizeUrl: `${ISSUER}/v1/authorize`,
  }
  return {
    idToken: { ...base, idToken: jwt(claims), claims, issuer: ISSUER, clientId: 'bench-client' },
    accessToken: {
      ...base,
      accessToken: jwt({ sub: claims.sub, scp: base.scopes }),
      tokenType: 'Bearer',
      userinfoUrl: `${ISSUER}/v1/userinfo`,
      claims: { sub: claims.sub },
    },
  }
}

let emitted
const nextState = () => new Promise((resolve) => (emitted = resolve))
subscribe((state) => emitted?.(state))
// Start each change from a task of the page's own: work done inside the harness's
// Runtime.evaluate task is never reported as a long task.
const task = () => new Promise((resolve) => setTimeout(resolve, 0))
const idle = () => new Promise((resolve) => window.requestIdleCallback(resolve, { timeout: 2000 }))
// Let the integration finish: okta-segment's idle callback was requested before ours, so it has
// run when ours does.
const settle = () => idle()

window.bench = {
  mode,
  isolated: window.crossOriginIsolated,
  /**
   * `n` sign-ins (and the sign-out after each): callback times and long tasks. The first sign-in
   * of the page is reported apart (cold: analytics-next's first calls, lazy code, JIT).
   */
  async signIns(n) {
    samples.length = 0
    const from = performance.now()
    let warm = from
    for (let i = 0; i < n; i++) {
      if (i === 1) warm = performance.now()
      await task()
      const signedIn = nextState()
      oktaAuth.tokenManager.setTokens(tokens(now() - 5 + i))
      await signedIn
      await settle()
      await task()
      const signedOut = nextState()
      oktaAuth.tokenManager.clear()
      await signedOut
      await settle()
    }
    // a long task "in the callback" overlaps the time spent in the integration's subscriber
    const inCallback = (t) => samples.some((s) => s.start < t.start + t.ms && t.start < s.start + s.ms)
    const tasks = (a, b) =>
      longtasks.filter((t) => t.start >= a && t.start < b).map((t) => ({ ...t, inCallback: inCallback(t) }))
    return {
      callback: samples.filter((s) => s.authenticated && s.start >= warm).map((s) => s.ms),
      cold: samples.filter((s) => s.authenticated && s.start < warm).map((s) => s.ms),
      longtasksCold: tasks(from, warm),
      longtasks: tasks(warm, Infinity),
    }
  },
  async signIn() {
    await task()
    const signedIn = nextState()
    oktaAuth.tokenManager.setTokens(tokens(now() - 5))
    await signedIn
    await settle()
  },
  /** A renewal: new token strings, same user and authentication (okta re-emits). */
  async renew() {
    const current = oktaAuth.tokenManager.getTokensSync().idToken.claims.auth_time
    await task()
    const renewed = nextState()
    oktaAuth.tokenManager.setTokens(tokens(current))
    await renewed
    await settle()
  },
  /** After a reload: okta starts from the stored tokens and emits once. */
  async start() {
    await task()
    const first = nextState()
    await oktaAuth.start()
    await Promise.race([first, idle()])
    await settle()
  },
}
document.getElementById('status').textContent = `ready: ${mode}`
