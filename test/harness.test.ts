// @vitest-environment happy-dom
/**
 * Smoke test of the shared harness (test/helpers) against the REAL okta-auth-js and analytics-next.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JWT_RE, alice, bob, findSecrets, makeAccessToken, makeIdToken } from './helpers/jwt'
import {
  clear,
  createOkta,
  nextAuthState,
  pendingRemove,
  recordAuthStates,
  renew,
  settle,
  signIn,
  startOkta,
} from './helpers/okta'
import type { SharedStorage } from './helpers/okta'
import { createAnalytics, createSnippetStub, readAjs, resetBrowserState, unexpectedRequests } from './helpers/segment'
import type { AnalyticsHarness } from './helpers/segment'
import { check, type LoggedCall } from './helpers/invariants'

beforeEach(() => resetBrowserState())

describe('jwt helpers', () => {
  it('builds token objects okta-auth-js accepts, with JWT-shaped strings', () => {
    const id = makeIdToken(alice)
    expect(id.idToken).toMatch(JWT_RE)
    expect(JSON.parse(atob(id.idToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')))).toEqual(alice)
    expect(id.claims).toEqual(alice)
    expect(id.scopes).toEqual(['openid', 'profile', 'email'])
    expect(id.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3500)
    expect(makeIdToken(alice, { expiresAt: 42 }).expiresAt).toBe(42)
    const at = makeAccessToken({ sub: alice.sub })
    expect(at).toMatchObject({ tokenType: 'Bearer', claims: { sub: alice.sub } })
    expect(at.accessToken).toMatch(JWT_RE)
    expect(makeAccessToken({ opaque: true }).accessToken).not.toMatch(JWT_RE)
  })

  it('findSecrets finds a nested JWT, a literal secret, and nothing in clean data', () => {
    const jwt = makeIdToken(bob).idToken
    const payload = { a: [{ b: { c: `Bearer ${jwt}` } }], d: JSON.stringify({ n: bob.nonce }) }
    expect(findSecrets(payload, [bob.nonce])).toEqual([jwt, bob.nonce])
    expect(findSecrets({ email: bob.email, list: [1, null, 'x'] }, [bob.nonce])).toEqual([])
  })
})

describe('okta helpers (real OktaAuth)', () => {
  it('signIn emits an authenticated state with the claims', async () => {
    const okta = createOkta()
    expect(okta.authStateManager.getAuthState()).toBeNull()
    const tokens = signIn(okta, alice)
    const state = await nextAuthState(okta)
    expect(state.isAuthenticated).toBe(true)
    expect(state.idToken?.claims).toEqual(alice)
    expect(state.idToken?.idToken).toBe(tokens.idToken.idToken)
    expect(state.accessToken?.accessToken).toBe(tokens.accessToken.accessToken)
  })

  it('a second OktaAuth on the same storage object sees the same tokens', async () => {
    const storage: SharedStorage = {}
    const tabA = createOkta({ storage })
    const tabB = createOkta({ storage })
    const tokens = signIn(tabA, alice)
    expect(tabB.tokenManager.getTokensSync().idToken?.idToken).toBe(tokens.idToken.idToken)
    expect(Object.keys(storage)).toEqual(['okta-token-storage'])
    const b = await startOkta(tabB)
    expect(b?.isAuthenticated).toBe(true)
    expect(b?.idToken?.claims.sub).toBe(alice.sub)
    const unrelated = createOkta()
    expect(unrelated.tokenManager.getTokensSync()).toEqual({})
  })

  it('renew emits once with new token strings and the same claims', async () => {
    const okta = createOkta()
    const first = signIn(okta, alice)
    await settle(okta)
    const rec = recordAuthStates(okta)
    const second = renew(okta)
    await settle(okta)
    rec.stop()
    expect(rec.states).toHaveLength(1)
    const state = rec.states[0]!
    expect(state.isAuthenticated).toBe(true)
    expect(state.idToken?.idToken).toBe(second.idToken.idToken)
    expect(state.idToken?.idToken).not.toBe(first.idToken.idToken)
    expect(state.accessToken?.accessToken).not.toBe(first.accessToken.accessToken)
    expect(state.idToken?.claims).toEqual(alice)
  })

  it('pendingRemove emits isAuthenticated true with idToken.pendingRemove, start() then removes', async () => {
    const storage: SharedStorage = {}
    const okta = createOkta({ storage })
    signIn(okta, alice)
    await settle(okta)
    const next = nextAuthState(okta)
    pendingRemove(okta)
    const state = await next
    expect(state.isAuthenticated).toBe(true)
    expect(state.idToken?.pendingRemove).toBe(true)
    expect(state.accessToken?.pendingRemove).toBe(true)
    // The app loads again after the logout redirect: start() clears pendingRemove tokens.
    const reloaded = createOkta({ storage })
    expect((await startOkta(reloaded))?.isAuthenticated).toBe(false)
    expect(reloaded.tokenManager.getTokensSync()).toEqual({})
  })

  it('clear emits unauthenticated', async () => {
    const okta = createOkta()
    signIn(okta, bob)
    await settle(okta)
    clear(okta)
    const state = await nextAuthState(okta)
    expect(state.isAuthenticated).toBe(false)
    expect(state.idToken).toBeUndefined()
    expect(await settle(okta)).toBe(okta.authStateManager.getAuthState())
  })

  it('nextAuthState rejects when nothing is emitted', async () => {
    await expect(nextAuthState(createOkta(), 20)).rejects.toThrow(/no emission/)
  })
})

describe('segment helpers (real AnalyticsBrowser)', () => {
  let h: AnalyticsHarness | undefined
  afterEach(() => h?.restore())

  it('captures identify and track with the right type, userId and traits', async () => {
    h = createAnalytics()
    await h.analytics.identify('u1', { email: alice.email })
    await h.analytics.track('X', { n: 1 })
    const identify = await h.waitFor((e) => e.type === 'identify')
    const track = await h.waitFor((e) => e.type === 'track')
    expect(identify.url).toBe(`${h.collector}/i`)
    expect(identify.body).toMatchObject({ userId: 'u1', traits: { email: alice.email }, writeKey: h.writeKey })
    expect(track.url).toBe(`${h.collector}/t`)
    expect(track.body).toMatchObject({ event: 'X', userId: 'u1', properties: { n: 1 } })
    expect(h.sent.map((e) => e.type)).toEqual(['identify', 'track'])
    expect(h.requests[0]!.headers['authorization']).toBe(`Basic ${btoa(`${h.writeKey}:`)}`)
    expect(unexpectedRequests).toEqual([])
  })

  it('user().id() is u1 and persisted; reset clears it', async () => {
    h = createAnalytics()
    const instance = await h.instance
    await h.analytics.identify('u1', { email: alice.email })
    expect(instance.user().id()).toBe('u1')
    const stored = readAjs()
    expect(stored).toMatchObject({ userId: 'u1', traits: { email: alice.email }, cookies: { userId: 'u1' } })
    expect(stored.anonymousId).toEqual(expect.any(String))
    await h.analytics.reset()
    expect(instance.user().id()).toBeNull()
    expect(readAjs()).toMatchObject({ userId: null, traits: {}, cookies: { userId: null } })
    await h.analytics.identify('u2')
    expect(readAjs().cookies).toEqual({ userId: 'u2', anonymousId: expect.any(String) })
    resetBrowserState()
    expect(readAjs()).toEqual({
      userId: null,
      traits: null,
      anonymousId: null,
      cookies: { userId: null, anonymousId: null },
    })
    // A live instance keeps an in-memory copy: resetBrowserState() is for between tests (new instance).
    expect(instance.user().id()).toBe('u2')
  })

  it('flattens batches and records failing deliveries with their status', async () => {
    h = createAnalytics({ batching: true })
    await h.analytics.track('B1')
    const ev = await h.waitFor((e) => e.body.event === 'B1')
    expect(ev).toMatchObject({ url: `${h.collector}/b`, type: 'track', status: 200 })
    h.restore()
    h = createAnalytics({ deliver: 'fail500' })
    await h.analytics.track('F1')
    expect((await h.waitFor((e) => e.body.event === 'F1')).status).toBe(500)
  })

  it('waitFor rejects on timeout', async () => {
    h = createAnalytics()
    await expect(h.waitFor((e) => e.type === 'alias', 30)).rejects.toThrow(/no matching event/)
  })

  it('resetBrowserState clears storage and cookies; snippet stub records calls', () => {
    localStorage.setItem('ajs_user_id', '"x"')
    document.cookie = 'ajs_user_id=x; path=/'
    const stub = createSnippetStub({ install: true })
    expect((window as any).analytics).toBe(stub)
    stub.identify('u1', { email: 'e' }).track('T')
    expect([...stub]).toEqual([
      ['identify', 'u1', { email: 'e' }],
      ['track', 'T'],
    ])
    expect(createSnippetStub({ pageContext: true }).page()[0]).toEqual([
      'page',
      expect.objectContaining({ __t: 'bpc' }),
    ])
    resetBrowserState()
    expect(readAjs()).toMatchObject({ userId: null, cookies: { userId: null } })
    expect((window as any).analytics).toBeUndefined()
  })
})

describe('model invariants (test/helpers/invariants.ts)', () => {
  const A = 'u-alice'
  const alice = { user: 'A' as const, auth: 1 }
  const call = (
    page: number,
    c: LoggedCall['call'],
    args: unknown[],
    held: string | null,
    okta: LoggedCall['okta'],
  ): LoggedCall => ({ page, call: c, args, held, delivered: true, okta })
  const out = (page: number, held: string | null) =>
    call(page, 'track', ['Signed Out', {}, { messageId: 'okta-segment-out-x' }], held, null)
  const signedIn = [
    call(1, 'identify', [A, {}], null, alice),
    call(1, 'track', ['Signed In', {}, { messageId: 'okta-segment-in-x' }], A, alice),
  ]
  const verdict = (log: LoggedCall[]) => check(log, () => A, []).violations

  it('accepts the Signed Out a later page sends again for a page closed mid-sign-out (same messageId)', () => {
    expect(
      verdict([...signedIn, out(1, A), out(2, A), call(2, 'reset', [], A, null), call(1, 'reset', [], A, null)]),
    ).toEqual([])
  })

  it('still rejects a second Signed Out once the first page finished its sign-out', () => {
    expect(
      verdict([...signedIn, out(1, A), call(1, 'reset', [], A, null), out(2, A), call(2, 'reset', [], A, null)]),
    ).toEqual([expect.stringContaining('whose session had already ended')])
  })

  it('accepts a page that, after its Signed Out, finds analytics holding another user (another page finished) and plans again', () => {
    const bob = call(1, 'identify', ['u-bob', {}], null, { user: 'B', auth: 2 })
    expect(
      check(
        [
          ...signedIn,
          out(1, A),
          out(2, A),
          call(1, 'reset', [], A, null),
          bob,
          call(2, 'track', ['Clicked'], 'u-bob', null),
        ],
        (u) => (u === 'A' ? A : 'u-bob'),
        [],
      ).violations,
    ).toEqual([])
  })

  it('still rejects a call after a Signed Out while analytics holds the user who left', () => {
    expect(verdict([...signedIn, out(1, A), call(1, 'track', ['Clicked'], A, null)])).toEqual([
      expect.stringContaining('not followed at once by reset()'),
    ])
  })

  it('accepts the Signed Out of an unfinished sign-out sent again while the user has signed in anew', () => {
    const again = { user: 'A' as const, auth: 2 }
    expect(
      verdict([
        ...signedIn,
        out(1, A),
        call(2, 'track', ['Signed Out', {}, { messageId: 'okta-segment-out-x' }], A, again),
        call(2, 'reset', [], A, again),
      ]),
    ).toEqual([])
    expect(
      verdict([...signedIn, call(2, 'track', ['Signed Out', {}, { messageId: 'okta-segment-out-y' }], A, again)]),
    ).toEqual([expect.stringContaining('Okta still has signed in')])
  })

  it('a Signed In for a new authentication opens the session a later Signed Out ends', () => {
    const again = { user: 'A' as const, auth: 2 }
    const newAuth = call(1, 'track', ['Signed In', {}, { messageId: 'okta-segment-in-y' }], A, again)
    expect(
      verdict([
        ...signedIn,
        out(2, A),
        call(2, 'reset', [], A, null),
        newAuth,
        out(3, A),
        call(3, 'reset', [], A, null),
      ]),
    ).toEqual([])
  })

  it('where storage threw, accepts a Signed Out sent again with the same messageId; never a new one', () => {
    const log = [...signedIn, out(1, A), call(1, 'reset', [], A, null), out(3, A), call(3, 'reset', [], A, null)]
    expect(check(log, () => A, [], new Set([2])).violations).toEqual([])
    expect(check(log, () => A, []).violations).toEqual([expect.stringContaining('whose session had already ended')])
    const other = call(3, 'track', ['Signed Out', {}, { messageId: 'okta-segment-out-other' }], A, null)
    expect(
      check([...signedIn, out(1, A), call(1, 'reset', [], A, null), other], () => A, [], new Set([2])).violations,
    ).not.toEqual([])
  })

  it('still rejects a second Signed Out from the same page', () => {
    expect(verdict([...signedIn, out(1, A), out(1, A), call(1, 'reset', [], A, null)])).not.toEqual([])
  })
})
