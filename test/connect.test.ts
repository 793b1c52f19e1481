// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { filters, type Filter } from '../src/index'
import { REEVALUATE_AFTER_MS } from '../src/core/freshness'
import { alice, bob } from './helpers/jwt'
import { clear, emitterListeners, pendingRemove, renew, settle, signIn } from './helpers/okta'
import { readAjs } from './helpers/segment'
import { openTab, reopenedTab, secretsIn, signedInTab, useWorld, wire } from './helpers/bridge'

const world = useWorld()

const A = alice.sub as string
const B = bob.sub as string
const past = () => Math.floor(Date.now() / 1000) - 60

describe('connect() with the real okta-auth-js and analytics-next', () => {
  it('sign-in: one identify with the mapped traits, then one Signed In; nothing secret on the wire', async () => {
    const tab = await openTab(world)
    const tokens = signIn(tab.okta, alice)
    await tab.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`])
    const identify = tab.segment.sent[0]!.body
    expect(identify.traits).toEqual({
      email: 'alice@example.com',
      name: 'Alice Anders',
      firstName: 'Alice',
      lastName: 'Anders',
      username: 'alice@example.com',
    })
    expect((await tab.segment.instance).user().id()).toBe(A)
    expect(
      secretsIn(world, [
        alice.nonce as string,
        alice.at_hash as string,
        tokens.idToken.idToken,
        tokens.accessToken.accessToken,
      ]),
    ).toEqual([])
    expect(world.errors).toEqual([])
  })

  it('analytics: await AnalyticsBrowser.load(...) (the [Analytics, Context] tuple) works like the AnalyticsBrowser', async () => {
    const first = await openTab(world)
    const loaded = await first.segment.analytics // what `await AnalyticsBrowser.load({ writeKey })` gives
    first.bridge.disconnect()
    const tab = await openTab(world, { bridge: { analytics: loaded } })
    signIn(tab.okta, alice)
    await tab.sync()
    expect(first.segment.sent.map((e) => e.body.event ?? e.type)).toEqual(['identify', 'Signed In']) // through the tuple's instance
    expect(world.errors).toEqual([])
  })

  it('token renewal with identical claims sends nothing; changed claims send one identify', async () => {
    const tab = await signedInTab(world, alice)
    renew(tab.okta, alice)
    await tab.sync()
    renew(tab.okta, { ...alice, iat: (alice.iat as number) + 600 })
    await tab.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`])
    renew(tab.okta, { ...alice, email: 'alice@new.example.com' })
    await tab.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`, `identify:${A}`])
    expect(tab.segment.sent[2]!.body.traits.email).toBe('alice@new.example.com')
  })

  it('a new authentication (new auth_time) is a new Signed In, without a new identify', async () => {
    const tab = await signedInTab(world, alice)
    renew(tab.okta, { ...alice, auth_time: (alice.auth_time as number) + 7200 })
    await tab.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`, `track:Signed In:${A}`])
  })

  it('a reload sharing storage sends nothing new', async () => {
    const first = await signedInTab(world, alice)
    first.close()
    const reloaded = await reopenedTab(world)
    expect(reloaded.segment.sent).toEqual([])
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`])
  })

  it('a second tab sharing storage sends nothing new', async () => {
    const one = await signedInTab(world, alice)
    const two = await reopenedTab(world)
    renew(two.okta, alice)
    await two.sync()
    await one.sync()
    expect(two.segment.sent).toEqual([])
  })

  it('sign-out: Signed Out (as the user) then reset; analytics holds nobody', async () => {
    const tab = await signedInTab(world, alice)
    clear(tab.okta)
    await tab.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`, `track:Signed Out:${A}`])
    // one messageId per authentication, so Segment drops any repeat (another tab, a re-send)
    const [, signedIn, signedOut] = tab.segment.sent.map((e) => e.body.messageId as string)
    expect(signedIn).toMatch(/^okta-segment-in-\w+$/)
    expect(signedOut).toBe(signedIn!.replace('-in-', '-out-'))
    expect((await tab.segment.instance).user().id()).toBeNull()
    expect(readAjs().userId).toBeNull()
    expect(world.record).toEqual({
      'okta-segment:out': expect.stringMatching(/^\w+\/\w+$/),
      'okta-segment': expect.stringMatching(/^\{"x":"\w+"\}$/), // no session: the ended one's anonymousId
    })
  })

  it('signOut()’s pendingRemove state is a sign-out', async () => {
    const tab = await signedInTab(world, alice)
    pendingRemove(tab.okta)
    await tab.sync()
    expect(tab.okta.authStateManager.getAuthState()?.isAuthenticated).toBe(true)
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`, `track:Signed Out:${A}`])
    expect((await tab.segment.instance).user().id()).toBeNull()
  })

  it('expired tokens that are not renewed end the session', async () => {
    const tab = await signedInTab(world, alice)
    renew(tab.okta, alice, { expiresAt: past(), accessTokenExpiresAt: past() })
    await tab.sync()
    expect(tab.okta.authStateManager.getAuthState()?.isAuthenticated).toBe(false)
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`, `track:Signed Out:${A}`])
  })

  it('another tab’s sign-out is seen when this tab learns of it, and Signed Out is sent once', async () => {
    const one = await signedInTab(world, alice)
    const two = await reopenedTab(world)
    clear(one.okta)
    await one.sync()
    await two.okta.authStateManager.updateAuthState() // what okta's cross-tab sync (or our storage listener) triggers
    await two.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`, `track:Signed Out:${A}`])
    expect((await two.segment.instance).user().id()).toBeNull()
  })

  it('a storage event for okta-token-storage makes okta re-evaluate (a lost cross-tab message)', async () => {
    const one = await signedInTab(world, alice)
    const two = await reopenedTab(world)
    clear(one.okta)
    window.dispatchEvent(new StorageEvent('storage', { key: 'okta-token-storage' }))
    // no cross-tab message comes: after REEVALUATE_AFTER_MS the bridge asks okta to re-evaluate
    // (waited for, not timed: a loaded machine runs the bridge's timer later than ours)
    for (const end = Date.now() + REEVALUATE_AFTER_MS + 20_000; Date.now() < end;) {
      await new Promise((r) => setTimeout(r, 50))
      if ((await settle(two.okta))?.isAuthenticated === false) break
    }
    expect(two.okta.authStateManager.getAuthState()?.isAuthenticated).toBe(false)
    await two.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`, `track:Signed Out:${A}`])
  })

  it('user switch without sign-out: reset first; no bob event carries alice’s traits', async () => {
    const tab = await signedInTab(world, alice)
    signIn(tab.okta, bob)
    await tab.sync()
    expect(wire(world)).toEqual([
      `identify:${A}`,
      `track:Signed In:${A}`,
      `track:Signed Out:${A}`,
      `identify:${B}`,
      `track:Signed In:${B}`,
    ])
    const bobEvents = tab.segment.sent.filter((e) => e.body.userId === B)
    expect(bobEvents).toHaveLength(2)
    expect(JSON.stringify(bobEvents.map((e) => e.body))).not.toContain('alice')
    expect(readAjs().traits).toEqual(expect.objectContaining({ email: 'bob@example.com' }))
    expect(JSON.stringify(readAjs().traits)).not.toContain('alice')
  })

  it('start-up: analytics still holds a user that Okta no longer does -> Signed Out and reset', async () => {
    const first = await signedInTab(world, alice)
    first.close()
    for (const key of Object.keys(world.tokens)) delete world.tokens[key] // signed out while the page was closed
    const next = await reopenedTab(world)
    expect(next.segment.sent.map((e) => `${e.type}:${e.body.event}:${e.body.userId}`)).toEqual([
      `track:Signed Out:${A}`,
    ])
    expect((await next.segment.instance).user().id()).toBeNull()
  })

  it('start-up: a user held by analytics alone (hand-written glue before) is reset without an event', async () => {
    const glue = await openTab(world)
    await (await glue.segment.instance).identify('someone-else', { email: 'x@example.com' })
    glue.close()
    const next = await reopenedTab(world)
    expect(next.segment.sent).toEqual([])
    expect((await next.segment.instance).user().id()).toBeNull()
  })

  it('rapid flapping coalesces to the final state; work for a user who signed out is never sent', async () => {
    const tab = await openTab(world, { bridge: { idleTimeout: 10_000 } })
    await tab.segment.instance
    signIn(tab.okta, alice)
    await settle(tab.okta)
    clear(tab.okta)
    await settle(tab.okta)
    signIn(tab.okta, bob)
    await settle(tab.okta)
    clear(tab.okta)
    await tab.sync()
    expect(wire(world)).toEqual([])
    signIn(tab.okta, alice)
    await settle(tab.okta)
    signIn(tab.okta, bob)
    await tab.sync()
    expect(wire(world)).toEqual([`identify:${B}`, `track:Signed In:${B}`])
  })

  it('a result prepared for a user who signed out meanwhile is dropped as stale', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const slow: Filter = { name: 'slow', apply: async (e) => (await gate, e) }
    const tab = await openTab(world, { bridge: { plugins: [filters([slow])], idleTimeout: 60_000 } })
    await tab.segment.instance
    signIn(tab.okta, alice)
    await settle(tab.okta)
    const pending = tab.bridge.flush() // identify for alice waits in the async filter
    clear(tab.okta)
    await settle(tab.okta)
    release()
    await pending
    await tab.sync()
    expect(wire(world)).toEqual([])
    expect(world.record).toEqual({})
  })

  it('runs in an idle period without flush()', async () => {
    const tab = await openTab(world, { bridge: { idleTimeout: 50 } })
    await tab.segment.instance
    signIn(tab.okta, alice)
    await tab.segment.waitFor((e) => e.body.event === 'Signed In', 3000)
  })

  // A page that is never idle: only pagehide / visibilitychange: hidden can run the work.
  const busyPage = () => {
    const idle: unknown[] = []
    vi.stubGlobal('requestIdleCallback', (fn: unknown) => idle.push(fn))
    vi.stubGlobal('cancelIdleCallback', () => {})
    return idle
  }

  it('runs at once on pagehide (a sign-in page that redirects at once still sends)', async () => {
    const idle = busyPage()
    const tab = await openTab(world, { bridge: { idleTimeout: 60_000 } })
    await tab.segment.instance
    signIn(tab.okta, alice)
    await settle(tab.okta)
    await new Promise((r) => setTimeout(r, 50))
    expect(idle).toHaveLength(1)
    expect(tab.segment.sent).toEqual([])
    window.dispatchEvent(new Event('pagehide'))
    await tab.segment.waitFor((e) => e.body.event === 'Signed In', 2000)
  })

  it('runs at once when the page is hidden (visibilitychange), not while visible', async () => {
    busyPage()
    const tab = await openTab(world, { bridge: { idleTimeout: 60_000 } })
    await tab.segment.instance
    signIn(tab.okta, alice)
    await settle(tab.okta)
    const visibility = vi.spyOn(document, 'visibilityState', 'get')
    visibility.mockReturnValue('visible')
    document.dispatchEvent(new Event('visibilitychange'))
    await new Promise((r) => setTimeout(r, 50))
    expect(tab.segment.sent).toEqual([])
    visibility.mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    await tab.segment.waitFor((e) => e.body.event === 'Signed In', 2000)
  })

  it('disconnect() releases okta’s subscription and window listeners; later states send nothing', async () => {
    const added: string[] = []
    const removed: string[] = []
    const origAdd = window.addEventListener.bind(window)
    const origRemove = window.removeEventListener.bind(window)
    window.addEventListener = ((type: string, fn: EventListener) => (
      added.push(type),
      origAdd(type, fn)
    )) as typeof window.addEventListener
    window.removeEventListener = ((type: string, fn: EventListener) => (
      removed.push(type),
      origRemove(type, fn)
    )) as typeof window.removeEventListener
    try {
      const tab = await openTab(world)
      const listeners = () => emitterListeners(tab.okta).authStateChange ?? 0
      expect(listeners()).toBe(1)
      tab.bridge.disconnect()
      expect(listeners()).toBe(0)
      expect(added).toEqual(expect.arrayContaining(['pagehide', 'storage']))
      for (const type of ['pagehide', 'storage']) expect(removed).toContain(type)
      signIn(tab.okta, alice)
      await tab.sync()
      expect(wire(world)).toEqual([])
    } finally {
      window.addEventListener = origAdd
      window.removeEventListener = origRemove
    }
  })
})
