// @vitest-environment happy-dom
import { AnalyticsBrowser } from '@segment/analytics-next'
import { describe, expect, it, vi } from 'vitest'
import { connect, dropEvents, dropTraits, filters, isOktaSegmentError, groups } from '../src/index'
import { openTab, quiet, signedInTab, useWorld, wire } from './helpers/bridge'
import { alice, bob } from './helpers/jwt'
import { createOkta, objectStorage, recordAuthStates, renew, settle, signIn } from './helpers/okta'
import { createAnalytics, createSnippetStub } from './helpers/segment'

const world = useWorld()

const A = alice.sub as string
const B = bob.sub as string
const codes = () => world.errors.map((e) => (isOktaSegmentError(e) ? e.code : `foreign:${e.message}`))

describe('run-time failures never break Okta or the page, and lose nothing', () => {
  it('analytics whose calls throw: onError, Okta unaffected, and the next state retries', async () => {
    const okta = createOkta()
    const calls: string[] = []
    let broken = true
    const analytics = {
      identify: (id: string) => {
        if (broken) throw new Error('blocked')
        calls.push(`identify:${id}`)
      },
      track: (e: string) => calls.push(`track:${e}`),
      reset: () => calls.push('reset'),
    }
    const errors: Error[] = []
    const bridge = connect({ auth: okta, analytics, onError: (e) => errors.push(e), storage: null })
    const states = recordAuthStates(okta)
    signIn(okta, alice)
    await settle(okta)
    await expect(bridge.flush()).resolves.toBeUndefined()
    expect(states.states).toHaveLength(1) // okta's other subscribers still got the state
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['analytics'])
    expect((errors[0] as Error).cause).toEqual(new Error('blocked'))
    broken = false
    renew(okta, alice) // same claims: retried because the failed identify was not recorded
    await settle(okta)
    await bridge.flush()
    expect(calls).toEqual(['track:Signed In', `identify:${A}`]) // Signed In went through: not repeated
    bridge.disconnect()
  })

  it('analytics calls that reject are reported, not unhandled', async () => {
    const okta = createOkta()
    const errors: Error[] = []
    const rejecting = () => Promise.reject(new Error('nope'))
    const bridge = connect({
      auth: okta,
      analytics: { identify: rejecting, track: rejecting, reset: rejecting },
      onError: (e) => errors.push(e),
      storage: null,
    })
    signIn(okta, alice)
    await settle(okta)
    await bridge.flush()
    await new Promise((r) => setTimeout(r, 0))
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['analytics', 'analytics'])
    bridge.disconnect()
  })

  it('analytics that never loads: flush() resolves, nothing throws; a late load gets the final state in order', async () => {
    const okta = createOkta()
    const capture = createAnalytics() // registers a writeKey whose deliveries are captured
    const late = new AnalyticsBrowser()
    const bridge = connect({
      auth: okta,
      analytics: late,
      onError: (e) => world.errors.push(e),
      storage: objectStorage(world.record),
    })
    signIn(okta, alice)
    await settle(okta)
    await expect(bridge.flush()).resolves.toBeUndefined()
    signIn(okta, bob) // the user switches while analytics is still loading
    await settle(okta)
    await bridge.flush()
    expect(world.record).toEqual({})
    capture.loadLate(late)
    await capture.waitFor((e) => e.body.event === 'Signed In')
    await quiet(capture)
    expect(capture.sent.map((e) => `${e.type}:${e.body.event ?? ''}:${e.body.userId}`)).toEqual([
      `identify::${B}`,
      `track:Signed In:${B}`,
    ])
    expect(world.errors).toEqual([])
    bridge.disconnect()
    capture.restore()
  })

  it('storage that throws falls back to memory: one report, still deduplicated', async () => {
    const throwing = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError')
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      },
      removeItem: () => {},
    }
    const tab = await signedInTab(world, alice, { bridge: { storage: throwing } })
    renew(tab.okta, alice)
    await tab.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`])
    expect(codes()).toEqual(['storage'])
  })

  it('a localStorage that throws on access (blocked storage) is the same as none', async () => {
    const spy = vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError')
    })
    const okta = createOkta()
    const calls: string[] = []
    const bridge = connect({
      auth: okta,
      analytics: { identify: () => calls.push('identify'), track: () => calls.push('track'), reset: () => {} },
    })
    spy.mockRestore()
    signIn(okta, alice)
    await settle(okta)
    await bridge.flush()
    renew(okta, alice)
    await settle(okta)
    await bridge.flush()
    expect(calls).toEqual(['identify', 'track'])
    bridge.disconnect()
  })

  it('the snippet stub: nothing is pushed out of order; once analytics replaces it, calls are made', async () => {
    const stub = createSnippetStub({ install: true })
    const okta = createOkta()
    const bridge = connect({
      auth: okta,
      analytics: stub as unknown as unknown[],
      onError: (e) => world.errors.push(e),
    })
    signIn(okta, alice)
    await settle(okta)
    await bridge.flush()
    expect(stub.map((call) => call[0])).toEqual(['ready', 'addSourceMiddleware'])
    // What analytics-next's standalone build does when it loads: replace window.analytics and replay the stub.
    const real = createAnalytics()
    const instance = await real.instance
    ;(window as unknown as { analytics: unknown }).analytics = instance
    for (const [method, ...args] of stub.splice(0))
      (instance as unknown as Record<string, (...a: unknown[]) => unknown>)[method as string]!(...args)
    await real.waitFor((e) => e.body.event === 'Signed In')
    expect(real.sent.map((e) => e.type)).toEqual(['identify', 'track'])
    expect(world.errors).toEqual([])
    bridge.disconnect()
    real.restore()
  })

  it('the snippet stub swapped for the instance just after connect(), never read again: what the bridge pushed on it is made', async () => {
    // analytics.js's standalone build reads the stub for the last time a few microtasks before it
    // sets window.analytics: a connect() in between (WebKit runs an app's `await oktaAuth.start()`
    // continuation there) pushes its ready and its middleware onto a stub nobody reads.
    ;(window as any).happyDOM.setURL('http://localhost:3000/login/callback?code=c0de-123&state=st4te-456&foo=1')
    const real = createAnalytics()
    const instance = await real.instance
    const stub = createSnippetStub({ install: true })
    const okta = createOkta()
    const destinationMiddleware = vi.spyOn(instance, 'addDestinationMiddleware')
    const bridge = connect({
      auth: okta,
      analytics: stub as unknown as unknown[],
      plugins: [filters([dropEvents(['Secret']), dropTraits(['email'], { destinations: ['Pixel'] })])],
      onError: (e) => world.errors.push(e),
    })
    ;(window as unknown as { analytics: unknown }).analytics = instance
    expect(stub.map((call) => call[0])).toEqual(['addSourceMiddleware', 'ready', 'addSourceMiddleware'])
    await new Promise((resolve) => setTimeout(resolve))
    // the plugins' ready hook ran: the per-destination filters attach there
    expect(destinationMiddleware).toHaveBeenCalledTimes(1)
    await instance.track('Secret')
    await instance.page()
    window.history.replaceState(null, '', '/home') // handleLoginRedirect leaves the callback
    signIn(okta, alice)
    await settle(okta)
    await bridge.flush()
    await real.waitFor((e) => e.body.event === 'Signed In')
    await quiet(real)
    expect(real.sent.map((e) => e.body.event ?? e.type)).toEqual(['page', 'identify', 'Signed In'])
    expect(real.sent[0]!.body.context.page).toMatchObject({
      url: 'http://localhost:3000/login/callback?foo=1',
      search: '?foo=1',
    })
    expect(JSON.stringify(real.sent)).not.toMatch(/c0de-123|st4te-456/)
    // the per-destination filter at work: Pixel does not run in this page, so its rewrite is withheld
    expect(world.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/for Pixel, which does not run in this page/),
    ])
    bridge.disconnect()
    real.restore()
    ;(window as any).happyDOM.setURL('http://localhost:3000/')
  })

  it('the same, for a bridge disconnected before that next task (a page gone, StrictMode): nothing is made', async () => {
    const real = createAnalytics()
    const instance = await real.instance
    const source = vi.spyOn(instance, 'addSourceMiddleware')
    const ready = vi.spyOn(instance, 'ready')
    const stub = createSnippetStub({ install: true })
    const bridge = connect({ auth: createOkta(), analytics: stub as unknown as unknown[] })
    bridge.disconnect()
    ;(window as unknown as { analytics: unknown }).analytics = instance
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(stub.map((call) => call[0])).toEqual(['ready', 'addSourceMiddleware']) // left behind
    expect(source).not.toHaveBeenCalled()
    expect(ready).not.toHaveBeenCalled()
    real.restore()
  })

  it('throwing traits/userId functions and bad claims go to onError; the page and Okta carry on', async () => {
    const tab = await openTab(world, {
      bridge: {
        traits: (claims) => {
          if (claims.sub === A) throw new Error('mapper bug')
          return { email: claims.email }
        },
      },
    })
    signIn(tab.okta, alice)
    await tab.sync()
    signIn(tab.okta, { ...bob, sub: 42 })
    await tab.sync()
    signIn(tab.okta, bob)
    await tab.sync()
    expect(codes()).toEqual(['claims', 'claims'])
    expect(world.errors[1]!.message).toMatch(/userId must be a non-empty string/)
    expect(wire(world)).toEqual([`identify:${B}`, `track:Signed In:${B}`])
  })

  it('an onError that throws is contained', async () => {
    const okta = createOkta()
    const bridge = connect({
      auth: okta,
      analytics: {
        identify: () => {
          throw new Error('x')
        },
        track: () => {},
        reset: () => {},
      },
      onError: () => {
        throw new Error('onError bug')
      },
      storage: null,
    })
    signIn(okta, alice)
    await settle(okta)
    await expect(bridge.flush()).resolves.toBeUndefined()
    bridge.disconnect()
  })
})

describe('groups, events and debug', () => {
  it('groups as group() calls, kept to the allowlist and deduplicated like identify', async () => {
    const tab = await signedInTab(world, alice, { bridge: { plugins: [groups({ allow: ['Admins'], send: 'group' })] } })
    renew(tab.okta, alice)
    await tab.sync()
    const calls = tab.segment.sent.filter((e) => e.type === 'group')
    expect(calls.map((e) => [e.body.groupId, e.body.userId])).toEqual([['Admins', A]])
    expect(tab.segment.sent.find((e) => e.type === 'identify')!.body.traits).not.toHaveProperty('groups')
  })

  it('groups as a trait', async () => {
    const tab = await signedInTab(world, alice, { bridge: { plugins: [groups({ allow: /^Every/ })] } })
    expect(tab.segment.sent[0]!.body.traits.groups).toEqual(['Everyone'])
  })

  it('event names can be changed or turned off', async () => {
    const tab = await signedInTab(world, alice, { bridge: { events: { signedIn: 'Logged In', signedOut: false } } })
    tab.okta.tokenManager.clear()
    await tab.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Logged In:${A}`])
    expect((await tab.segment.instance).user().id()).toBeNull()
  })

  it('debug logs each decision with its reason, and never a token or trait value', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    const tab = await signedInTab(world, alice, { bridge: { debug: true } })
    renew(tab.okta, alice)
    await tab.sync()
    tab.okta.tokenManager.clear()
    await tab.sync()
    const lines = info.mock.calls.map((c) => c.join(' '))
    expect(lines).toEqual(
      expect.arrayContaining([
        '[okta-segment] identify: user or traits changed; Signed In: new authentication',
        '[okta-segment] identify skipped: already sent',
        '[okta-segment] Signed Out (signed_out), then reset: signed out',
      ]),
    )
    // one line per decision: none empty, none repeated back to back
    expect(lines.filter((l, i) => l === lines[i - 1] || !/^\[okta-segment\] \S/.test(l))).toEqual([])
    expect(lines.join('\n')).not.toMatch(/alice@example|eyJ|nonce/)
  })

  it('without debug, errors are silent by default; with debug they are warned', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    for (const debug of [false, true]) {
      const okta = createOkta()
      const bridge = connect({
        auth: okta,
        analytics: {
          identify: () => {
            throw new Error('x')
          },
          track() {},
          reset() {},
        },
        storage: null,
        debug,
      })
      vi.spyOn(console, 'info').mockImplementation(() => {})
      signIn(okta, alice)
      await settle(okta)
      await bridge.flush()
      bridge.disconnect()
    }
    expect(warn).toHaveBeenCalledTimes(1)
  })
})
