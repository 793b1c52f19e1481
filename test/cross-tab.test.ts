// @vitest-environment happy-dom
/**
 * The cross-tab rules (README: "Across tabs"), each with the real okta-auth-js and analytics-next:
 * two live bridges over one shared record and token storage, with and without Web Locks, with
 * stale tabs (an app whose transformAuthState is asynchronous).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { dropTraits, filters } from '../src/index'
import { about } from '../src/io/analytics'
import { RECORD_KEY } from '../src/io/record'
import { sessionKey, type SentRecord } from '../src/core/record'
import { TAKE_OVER_AFTER_MS } from '../src/core/plan'
import { openTab, quiet, reopenedTab, signedInTab, useWorld, wire, type Tab } from './helpers/bridge'
import { alice } from './helpers/jwt'
import { clear, pendingRemove, settle, signIn } from './helpers/okta'
import { readAjs } from './helpers/segment'

const world = useWorld()
/** After a sign-out the record holds no session, only the hash of the ended one's anonymousId (README rule 8). */
const expectEnded = (raw: string | undefined) =>
  expect(JSON.parse(raw ?? '{}')).toEqual({ x: expect.stringMatching(/^\w+$/) })
const A = alice.sub as string
const ms = (n: number) => new Promise((r) => setTimeout(r, n))

/** An in-page Web Locks stand-in: exclusive, first come first served, per name. */
function installLocks() {
  const tails = new Map<string, Promise<unknown>>()
  const locks = {
    request(name: string, cb: () => Promise<unknown>) {
      const run = (tails.get(name) ?? Promise.resolve()).then(() => cb())
      tails.set(
        name,
        run.catch(() => {}),
      )
      return run
    },
  }
  Object.defineProperty(navigator, 'locks', { configurable: true, get: () => locks })
}
afterEach(() => void delete (navigator as { locks?: unknown }).locks)

/** What the browser does in the other tabs: storage events for both keys, okta re-evaluates. */
const seeOtherTab = async (tab: Tab) => {
  for (const key of ['okta-token-storage', RECORD_KEY]) window.dispatchEvent(new StorageEvent('storage', { key }))
  await tab.okta.authStateManager.updateAuthState()
}
/** Both bridges run at once; then the record write of whichever finished last reaches the other. */
const bothFlush = async (tabs: Tab[]) => {
  await Promise.all(tabs.map((t) => t.bridge.flush()))
  await quiet(tabs.map((t) => t.segment))
  window.dispatchEvent(new StorageEvent('storage', { key: RECORD_KEY }))
  await Promise.all(tabs.map((t) => t.bridge.flush()))
  await quiet(tabs.map((t) => t.segment))
}
const anonymousIds = async (tabs: Tab[]) =>
  Promise.all(tabs.map(async (t) => (await t.segment.instance).user().anonymousId()))

for (const locks of [false, true])
  describe(locks ? 'with Web Locks: tabs take turns' : 'without Web Locks (Safari < 15.4, some webviews)', () => {
    it('two live bridges with a filter without destinations send one identify, one Signed In and one Signed Out', async () => {
      if (locks) installLocks()
      const opts = { bridge: { plugins: [filters([dropTraits(['phone'])])] }, start: true }
      const one = await openTab(world, opts)
      const two = await openTab(world, opts)
      await Promise.all([one.sync(), two.sync()])
      signIn(one.okta, alice)
      await settle(one.okta)
      await seeOtherTab(two)
      await bothFlush([one, two])
      expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`])
      clear(one.okta)
      await settle(one.okta)
      await seeOtherTab(two)
      await bothFlush([one, two])
      expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`, `track:Signed Out:${A}`])
      for (const t of [one, two]) expect((await t.segment.instance).user().id()).toBeNull()
      expect(world.errors).toEqual([])
    })

    it('signOut() seen by two tabs at once (pendingRemove): one Signed Out, awaited before either resets', async () => {
      if (locks) installLocks()
      const one = await signedInTab(world, alice, { start: true })
      const two = await openTab(world, { start: true })
      await two.sync()
      pendingRemove(one.okta)
      await settle(one.okta)
      await seeOtherTab(two)
      await bothFlush([one, two])
      const out = world.tabs.flatMap((t) => t.segment.sent).filter((e) => e.body.event === 'Signed Out')
      expect(out.map((e) => e.body.userId)).toEqual([A])
      // signed_out whichever tab sent it: signOut()'s pendingRemove marks are in the token storage both read
      expect(out[0]!.body.properties).toEqual({ reason: 'signed_out', username: 'alice@example.com' })
      for (const t of [one, two]) expect((await t.segment.instance).user().id()).toBeNull()
      expectEnded(world.record[RECORD_KEY])
    })
  })

describe('a page that finishes what another left', () => {
  // A page that marked its Signed Out and was cut off (signOut()'s redirect) before the reset: what
  // it left is the record with the mark and, if it saw the event delivered, the session in `:out`.
  const cutOff = async (seenDelivered: boolean) => {
    const one = await signedInTab(world, alice, { start: true })
    const record = JSON.parse(world.record[RECORD_KEY]!) as SentRecord
    world.record[RECORD_KEY] = JSON.stringify({ ...record, o: 'signed_out' })
    if (seenDelivered) world.record[`${RECORD_KEY}:out`] = sessionKey(record)
    const [signedIn] = one.segment.sent.filter((e) => e.body.event === 'Signed In')
    one.close()
    for (const key of Object.keys(world.tokens)) delete world.tokens[key] // signOut() completed
    const next = await openTab(world, { start: true })
    await next.sync()
    expect((await next.segment.instance).user().id()).toBeNull()
    expectEnded(world.record[RECORD_KEY])
    return { next, signedOutId: signedIn!.body.messageId.replace('-in-', '-out-') }
  }

  it('a page cut off after it saw its Signed Out delivered: the next page resets, and sends nothing again', async () => {
    const { next } = await cutOff(true)
    expect(next.segment.sent.filter((e) => e.body.event === 'Signed Out')).toEqual([])
  })

  it('a page cut off before it saw its Signed Out delivered: the next page sends it again (same messageId), then resets', async () => {
    const { next, signedOutId } = await cutOff(false)
    const again = next.segment.sent.filter((e) => e.body.event === 'Signed Out')
    expect(again.map((e) => e.body.messageId)).toEqual([signedOutId])
    expect(again[0]!.body.properties).toEqual({ reason: 'signed_out', username: 'alice@example.com' })
  })

  // Found by the browser suite (Firefox, 2 tabs): the tab that clicked sign-out handed its Signed Out
  // to analytics and was cut off; the other tab took the lock at once, before the note that
  // analytics-next kept the event reached its process, and sent it a second time.
  for (const noted of [true, false])
    it(
      noted
        ? 'a live tab that finds a sign-out another page marked waits for that page’s note: seen, it resets only'
        : `a live tab that finds a sign-out another page marked, and no note in ${TAKE_OVER_AFTER_MS} ms (the event was lost): it sends it again, then resets`,
      async () => {
        installLocks() // with Web Locks: the live tab holds the lock the marking page held
        const one = await signedInTab(world, alice, { start: true })
        const two = await reopenedTab(world)
        const record = JSON.parse(world.record[RECORD_KEY]!) as SentRecord
        world.record[RECORD_KEY] = JSON.stringify({ ...record, o: 'signed_out' }) // one handed its Signed Out
        one.close() // and signOut()'s redirect cut it off
        clear(two.okta)
        if (noted) setTimeout(() => (world.record[`${RECORD_KEY}:out`] = sessionKey(record)), 300) // late, as in Firefox
        await two.sync()
        expect(two.segment.sent.filter((e) => e.body.event === 'Signed Out')).toEqual([]) // waiting
        await new Promise((r) => setTimeout(r, noted ? 600 : TAKE_OVER_AFTER_MS + 300))
        await two.sync()
        const [signedIn] = one.segment.sent.filter((e) => e.body.event === 'Signed In')
        const again = two.segment.sent.filter((e) => e.body.event === 'Signed Out').map((e) => e.body.messageId)
        expect(again).toEqual(noted ? [] : [signedIn!.body.messageId.replace('-in-', '-out-')])
        expect((await two.segment.instance).user().id()).toBeNull()
        expectEnded(world.record[RECORD_KEY])
      },
    )

  // Found by the browser suite (Firefox, the demo and okta-defaults): signOut()'s redirect cut the page
  // off while its Signed Out was in flight; analytics-next kept it and sent it from the next page,
  // and the page that finished the sign-out sent it a second time (another timestamp).
  it('a Signed Out not yet delivered when the page leaves: analytics-next keeps it, the next page sends it, the bridge not again', async () => {
    const one = await signedInTab(world, alice, { start: true })
    one.segment.setDeliver('hang') // Signed Out reaches the wire, and the page leaves before the answer
    pendingRemove(one.okta)
    await settle(one.okta)
    void one.bridge.flush()
    await one.segment.waitFor((e) => e.body.event === 'Signed Out')
    await new Promise((r) => setTimeout(r, 20))
    expect(JSON.parse(world.record[RECORD_KEY]!)).toMatchObject({ o: 'signed_out' }) // cut off before the reset
    window.dispatchEvent(new Event('pagehide')) // signOut()'s redirect: analytics-next keeps its events
    one.close()
    for (const key of Object.keys(world.tokens)) delete world.tokens[key] // signOut() completed
    const next = await openTab(world, { start: true })
    await next.sync()
    await next.segment.waitFor((e) => e.body.event === 'Signed Out')
    await quiet(next.segment)
    const [first] = one.segment.sent.filter((e) => e.body.event === 'Signed Out')
    const again = next.segment.sent.filter((e) => e.body.event === 'Signed Out')
    expect(again).toHaveLength(1)
    // analytics-next's own re-send of the same event (same timestamp), not a second call
    expect(again[0]!.body.messageId).toBe(first!.body.messageId)
    expect(again[0]!.body.timestamp).toBe(first!.body.timestamp)
    expect(again[0]!.body.properties).toEqual({ reason: 'signed_out', username: 'alice@example.com' })
    expect((await next.segment.instance).user().id()).toBeNull()
    expectEnded(world.record[RECORD_KEY])
  })

  it('the mark is committed before the Signed Out is handed to analytics: marked if and only if handed', async () => {
    const one = await signedInTab(world, alice, { start: true })
    const analytics = await one.segment.instance
    const track = analytics.track.bind(analytics)
    const marks: unknown[] = []
    vi.spyOn(analytics, 'track').mockImplementation((...args: Parameters<typeof analytics.track>) => {
      if (args[0] === 'Signed Out') marks.push(JSON.parse(world.record[RECORD_KEY] ?? '{}').o)
      return track(...args)
    })
    pendingRemove(one.okta)
    await one.sync()
    expect(marks).toEqual(['signed_out'])
    expectEnded(world.record[RECORD_KEY]) // then reset and cleared
  })
})

describe('a stale tab never acts on the shared record alone', () => {
  // the common pattern: the auth state enriched with /userinfo, asynchronously (here 150 ms)
  const transformAuthState = async (_okta: unknown, s: { isAuthenticated?: boolean }) =>
    s.isAuthenticated ? (await ms(150), s) : s

  it('a tab still showing "signed out" sends no Signed Out and no reset when another tab signs in', async () => {
    const two = await openTab(world, { okta: { transformAuthState }, start: true })
    await two.sync()
    const one = await openTab(world, { start: true })
    await one.sync()
    const before = await anonymousIds([one, two])
    signIn(one.okta, alice)
    await one.sync()
    // the record now says alice; two's Okta is still evaluating (its transform takes 150 ms)
    void two.okta.authStateManager.updateAuthState()
    window.dispatchEvent(new StorageEvent('storage', { key: RECORD_KEY }))
    await two.bridge.flush()
    expect(two.segment.sent).toEqual([])
    await ms(200)
    await two.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`])
    expect(await anonymousIds([one, two])).toEqual(before) // no reset anywhere
  })

  it('a stale tab reads nothing from analytics: its copy of the user would come back into the shared storage', async () => {
    const one = await signedInTab(world, alice, { start: true })
    const two = await openTab(world, { start: true })
    await two.sync()
    expect((await two.segment.instance).user().id()).toBe(A) // two's analytics holds alice in memory too
    clear(one.okta)
    await one.sync()
    expect(readAjs().userId).toBeNull() // one reset: the shared storage holds nobody
    // two's Okta has not re-evaluated yet; the record changed
    window.dispatchEvent(new StorageEvent('storage', { key: RECORD_KEY }))
    await two.bridge.flush()
    expect(readAjs().userId).toBeNull() // analytics-next's user().id() would have written alice back
  })

  it('reading what analytics holds never writes it back (analytics-next’s user().id() would)', async () => {
    const tab = await openTab(world)
    const analytics = await tab.segment.instance
    await analytics.identify(A, { plan: 'pro' })
    // another tab reset: the shared storage holds nobody; this page's analytics still has alice in memory
    localStorage.removeItem('ajs_user_id')
    document.cookie = 'ajs_user_id=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
    expect(about(analytics as never).held).toBe(A)
    expect(readAjs().userId).toBeNull() // not written back
    expect(analytics.user().id()).toBe(A) // what the public method does instead:
    expect(readAjs().userId).toBe(A)
  })

  it('a tab that never held the user (another tab identified them) still drops the session’s anonymousId', async () => {
    const two = await openTab(world, { start: true })
    await two.sync()
    const analytics = await two.segment.instance
    await analytics.page() // two's analytics has the anonymousId in memory
    const one = await openTab(world, { start: true })
    signIn(one.okta, alice)
    await one.sync()
    await seeOtherTab(two)
    await two.sync()
    const anon = analytics.user().anonymousId()
    clear(one.okta)
    await one.sync()
    await seeOtherTab(two)
    await two.sync()
    await analytics.page()
    await quiet(two.segment)
    const last = two.segment.sent.at(-1)!.body
    expect(last.anonymousId).not.toBe(anon)
    expect(last.userId ?? null).toBeNull()
  })

  it('a copy of the user that comes back into a tab after its sign-out (from another tab) is reset again', async () => {
    const one = await signedInTab(world, alice, { start: true })
    clear(one.okta)
    await one.sync()
    const analytics = await one.segment.instance
    const anon = analytics.user().anonymousId()
    // another tab's analytics wrote alice back into the shared storage; this tab picks it up
    localStorage.setItem('ajs_user_id', JSON.stringify(A))
    expect(analytics.user().id()).toBe(A)
    localStorage.removeItem('ajs_user_id')
    window.dispatchEvent(new StorageEvent('storage', { key: RECORD_KEY }))
    await one.sync()
    expect(analytics.user().id()).toBeNull()
    expect(one.segment.sent.filter((e) => e.body.event === 'Signed Out')).toHaveLength(1) // no second one
    expect(analytics.user().anonymousId()).not.toBe(anon)
  })

  it('a tab still showing the user sends no identify when another tab signed out', async () => {
    const one = await signedInTab(world, alice, { start: true })
    const two = await openTab(world, { okta: { transformAuthState }, start: true })
    await ms(200)
    await two.sync()
    clear(one.okta)
    await one.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`, `track:Signed Out:${A}`])
    // two's Okta still holds alice; the record and analytics' storage say nobody
    window.dispatchEvent(new StorageEvent('storage', { key: RECORD_KEY }))
    await two.bridge.flush()
    await quiet(two.segment)
    expect(two.segment.sent).toEqual([])
    await two.okta.authStateManager.updateAuthState()
    await two.sync()
    expect(wire(world)).toEqual([`identify:${A}`, `track:Signed In:${A}`, `track:Signed Out:${A}`])
    expect((await two.segment.instance).user().id()).toBeNull()
  })
})
