// @vitest-environment happy-dom
/**
 * Bugs found by the model-based tests (test/model.test.ts) and the corpus, each reduced to a
 * minimal reproduction with the real SDKs, kept as regression tests now that they are fixed.
 */
import { describe, expect, it, vi } from 'vitest'
import { connect, dropTraits, hashTraits, isOptionsError, filters } from '../src/index'
import { openTab, quiet, reopenedTab, signedInTab, useWorld, wire, type World } from './helpers/bridge'
import { alice, bob } from './helpers/jwt'
import { createOkta, nextAuthState, objectStorage, pendingRemove, settle, signIn, startOkta } from './helpers/okta'

const world = useWorld()

const A = alice.sub as string
const B = bob.sub as string

/** The bridge's record storage over `world.record`, whose setItem throws once when armed. */
const flaky = (world: World) => {
  const inner = objectStorage(world.record)
  const s = {
    armed: false,
    getItem: inner.getItem,
    removeItem: inner.removeItem,
    setItem(key: string, value: string) {
      if (s.armed) {
        s.armed = false
        throw new DOMException('quota', 'QuotaExceededError')
      }
      inner.setItem(key, value)
    },
  }
  return s
}

describe('fixed bugs (regression tests)', () => {
  it('after a stale record (storage threw), a user switch never sends `Signed Out` as the new user', async () => {
    // A signs in; storage throws once while B replaces A, so the persisted record still says A.
    const storage = flaky(world)
    const first = await signedInTab(world, alice, { bridge: { storage } })
    storage.armed = true
    signIn(first.okta, bob)
    await first.sync()
    first.close()
    // Reload. Analytics holds B (its own storage worked), the record says A: plan() takes it for a
    // user switch and tracks `Signed Out` before the reset, i.e. as B, the user now signing in.
    const reloaded = await reopenedTab(world)
    const signedOut = reloaded.segment.sent.filter((e) => e.body.event === 'Signed Out')
    expect(signedOut.map((e) => e.body.userId)).not.toContain(B)
  })

  it('one transient storage error does not drop storage for good: after a reload nothing is sent twice', async () => {
    const storage = flaky(world)
    const first = await signedInTab(world, alice, { bridge: { storage } })
    storage.armed = true // a single QuotaExceededError; storage works again right after
    signIn(first.okta, bob)
    await first.sync()
    first.close()
    const reloaded = await reopenedTab(world)
    // Identify-only-on-change and one `Signed In` per authentication: a reload sends nothing.
    expect(reloaded.segment.sent.map((e) => e.type)).toEqual([])
    expect(wire(world)).toEqual([
      `identify:${A}`,
      `track:Signed In:${A}`,
      `track:Signed Out:${A}`,
      `identify:${B}`,
      `track:Signed In:${B}`,
    ])
  })

  it('a start-up reset() that throws once is retried: analytics does not keep a user Okta does not have', async () => {
    // Analytics holds a user (signed out while the page was closed; or hand-written glue), Okta none.
    const glue = await openTab(world)
    await (await glue.segment.instance).identify('someone', {})
    glue.close()
    const tab = await openTab(world)
    const analytics = await tab.segment.instance
    const reset = vi.spyOn(analytics, 'reset').mockImplementationOnce(() => {
      throw new Error('transient')
    })
    await startOkta(tab.okta)
    await tab.bridge.flush() // reset() throws: reported
    expect(world.errors).toHaveLength(1)
    expect(analytics.user().id()).toBe('someone')
    await settle(tab.okta)
    await tab.bridge.flush() // retried: `starting` stays while the reset failed
    expect(reset).toHaveBeenCalledTimes(2)
    expect(analytics.user().id()).toBeNull()
  })

  it('`plugins: [filters([dropTraits])]` (the factory, not called) fails validation', () => {
    // A function has a string `name` and an `apply` (Function.prototype.apply), so it looks like a filter.
    const okta = createOkta()
    let thrown: unknown
    try {
      connect({
        auth: okta,
        analytics: { identify() {}, track() {}, reset() {} },
        plugins: [filters([dropTraits as never])],
      })
    } catch (e) {
      thrown = e
    }
    expect(isOptionsError(thrown)).toBe(true)
  })

  it('`filters([dropTraits])` fails where it is written rather than silently dropping every event', () => {
    // Before the fix `f.apply(event, ctx)` was Function.prototype.apply: it called dropTraits(), whose
    // returned filter object replaced the event, and nothing reached the collector.
    expect(() => filters([dropTraits as never])).toThrow(/is dropTraits itself, not a filter/)
  })
})

// Fixed since they were found: kept as regression tests.
describe('fixed bugs, continued', () => {
  it('connect()/disconnect() cycles add no middleware to analytics beyond the first', async () => {
    // A React app that connects in useEffect (twice under StrictMode, again on every remount) grows
    // analytics-next's plugin list without bound, and every event then runs through all of them.
    const tab = await openTab(world)
    const instance = await tab.segment.instance
    const plugins = () => (instance as unknown as { queue: { plugins: unknown[] } }).queue.plugins.length
    tab.bridge.disconnect()
    await new Promise((r) => setTimeout(r, 20))
    const before = plugins()
    for (let i = 0; i < 10; i++)
      connect({ auth: tab.okta, analytics: tab.segment.analytics, storage: null }).disconnect()
    await new Promise((r) => setTimeout(r, 50))
    expect(plugins()).toBe(before)
  })

  it('hashTraits() without destinations hashes the trait in the bridge’s identify (it is not dropped)', async () => {
    // filterOwn() passes the filtered traits through cleanObject(), whose token guard takes a
    // 64-character SHA-256 hex for an opaque secret: the hashed e-mail is dropped, unreported.
    const okta = createOkta()
    const calls: unknown[][] = []
    const analytics = {
      identify: (...a: unknown[]) => void calls.push(a),
      track() {},
      reset() {},
      addSourceMiddleware() {},
    }
    const bridge = connect({ auth: okta, analytics, storage: null, plugins: [filters([hashTraits(['email'])])] })
    signIn(okta, alice)
    await settle(okta)
    await bridge.flush()
    bridge.disconnect()
    expect((calls[0]![1] as { email?: string }).email).toMatch(/^[0-9a-f]{64}$/)
  })
})

// Found by the model test at 100,000 sequences (FC_SEED=-44433034): analytics throws, a reload
// while storage throws, storage recovers, a reload: the page in between wrote its record (which
// knew nothing of page 1's, and whose calls had all thrown) over page 1's, so the last page sent
// identify and Signed In again.
describe('fixed bugs, from the model test at scale', () => {
  it('a page whose storage threw merges its record into the stored one: the next page sends nothing again', async () => {
    await signedInTab(world, alice, { start: true })
    const blocked = {
      identify: () => {
        throw new Error('blocked')
      },
      track: () => {
        throw new Error('blocked')
      },
      reset: () => {
        throw new Error('blocked')
      },
      user: () => ({ id: () => A }),
    }
    const broken = {
      ...objectStorage(world.record),
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError')
      },
      setItem: () => {
        throw new DOMException('blocked', 'SecurityError')
      },
    }
    const between = await openTab(world, { bridge: { analytics: blocked, storage: broken }, start: true })
    await between.sync()
    expect(world.errors.map((e) => (e as { code?: string }).code)).toEqual(
      expect.arrayContaining(['analytics', 'storage']),
    )
    Object.assign(broken, objectStorage(world.record)) // storage works again
    between.close() // disconnect() writes what it kept in memory
    const last = await reopenedTab(world)
    expect(last.segment.sent).toEqual([])
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`])
  })
})

// Found by the browser suite in CI (the script-tag example, about 1 run in 40): signOut() marks the
// tokens pendingRemove right before its redirect, and when the page's pagehide came first the
// bridge sent Signed Out, reset analytics and recorded the sign-out while the page unloaded. The
// event could be cut off before analytics-next persisted it, and the next page then had nothing to
// send: no Signed Out at all.
describe('fixed bugs, from the browser suite', () => {
  it('a sign-out the page only sees while it unloads is left to the next page, which sends Signed Out', async () => {
    const first = await signedInTab(world, alice, { start: true })
    const signedOut = nextAuthState(first.okta)
    pendingRemove(first.okta) // signOut(), right before window.location.assign(logoutUri)
    expect((await signedOut).idToken?.pendingRemove).toBe(true)
    window.dispatchEvent(new Event('pagehide')) // the navigation commits before the bridge's next task
    await new Promise((r) => setTimeout(r, 30))
    first.close() // the page is gone: whatever it did not persist is lost
    // Nothing ended in the dying page: the record and analytics still hold the user.
    expect(Object.keys(JSON.parse(world.record['okta-segment']!))).toContain('u')
    expect((await first.segment.instance).user().id()).toBe(A)

    // The page the logout redirect returns to: okta's start() clears the pendingRemove tokens.
    const next = await reopenedTab(world)
    const out = next.segment.sent.filter((e) => e.body.event === 'Signed Out')
    expect(out.map((e) => e.body.userId)).toEqual([A])
    expect(out[0]!.body.messageId).toMatch(/^okta-segment-out-/)
    expect((await next.segment.instance).user().id()).toBeNull()
    next.close()
  })
  it('a page back from the back/forward cache sends the Signed Out it deferred while leaving', async () => {
    const tab = await signedInTab(world, alice, { start: true })
    const signedOut = nextAuthState(tab.okta)
    pendingRemove(tab.okta)
    await signedOut
    window.dispatchEvent(new Event('pagehide'))
    await new Promise((r) => setTimeout(r, 30))
    expect(tab.segment.sent.filter((e) => e.body.event === 'Signed Out')).toEqual([])
    window.dispatchEvent(new Event('pageshow')) // no flush(): the bridge schedules the work itself
    await tab.segment.waitFor((e) => e.body.event === 'Signed Out', 2000)
    await quiet(tab.segment)
    expect(tab.segment.sent.filter((e) => e.body.event === 'Signed Out').map((e) => e.body.userId)).toEqual([A])
    expect((await tab.segment.instance).user().id()).toBeNull()
  })
})
