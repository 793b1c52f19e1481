// Sign-out in the real browser: the logout redirect, a second tab, and a second tab that never
// hears okta-auth-js's cross-tab message.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { USERS } from '../../servers/oidc.mjs'
import { signOutThroughProvider } from './browser.mjs'
import { count, eachEngine, held, startHarness, until, uniqueEvents } from './harness.mjs'

let h

const { alice } = USERS

// okta-auth-js syncs tabs over BroadcastChannel (the broadcast-channel package uses the native
// one when it exists): this one accepts every call and delivers nothing.
const loseBroadcasts = () => {
  window.BroadcastChannel = class {
    constructor(name) {
      this.name = name
      this.onmessage = null
    }
    postMessage() {}
    close() {}
    addEventListener() {}
    removeEventListener() {}
  }
}

async function signedInTab(s) {
  const page = await s.page()
  await s.signIn(page, 'alice')
  // not waiting for the identify at the collector: the sign-in scenario checks that
  await until(async () => (await held(page))?.id === alice.sub, 10_000)
  return page
}

async function signOutAndCheck(s, page) {
  const before = await held(page)
  assert.equal(before?.id, alice.sub, `analytics holds alice before sign-out${s.diag()}`)
  await signOutThroughProvider(page, h.op, `${h.site.url}/`)
  await page.waitFor('#status[data-state="signed-out"]')
  const out = await s.waitFor((e) => e.event === 'Signed Out')
  assert.equal(out.userId, alice.sub, 'Signed Out is attributed to alice')
  assert.equal(out.properties.reason, 'signed_out', `the Signed Out's reason${s.diag()}`)
  assert.equal(out.anonymousId, before.anon)
  // the reset survived the redirect: analytics holds nobody and a new anonymous id
  // (a new document can read the ended session's anonymousId back from a copy of the cookies that
  // lagged the reset, in Firefox: the bridge resets it again, README rule 8)
  // and once the other tabs have acted: one that has not yet seen the sign-out can write alice back
  // into the shared storage (analytics-next syncs its copy on every call) until it resets too
  await s.settle()
  await until(async () => (await held(page))?.id === null && (await held(page))?.anon !== before.anon, 10_000)
  const after = await held(page)
  assert.equal(after?.id, null, `analytics still holds ${after?.id} after the logout redirect${s.diag()}`)
  assert.notEqual(after.anon, before.anon, `a new anonymousId after reset${s.diag()}`)
  return before
}

/** A track from `page` after the sign-out carries neither alice's id nor her anonymousId. */
async function assertAnonymousNow(s, page, anon) {
  await page.click('#buy')
  const e = await s.waitFor((e) => e.event === 'Clicked Buy' && e.receivedAt && !s.seenBuys?.has(e.messageId))
  ;(s.seenBuys ??= new Set()).add(e.messageId)
  assert.equal(e.userId ?? null, null, `a track after the sign-out still carries ${e.userId}${s.diag()}`)
  assert.notEqual(e.anonymousId, anon, `a track after the sign-out still carries the old anonymousId${s.diag()}`)
  assert.ok(!/alice/i.test(JSON.stringify(e)), 'a track after the sign-out mentions alice')
}

eachEngine((engine) => {
  before(async () => (h = await startHarness(engine)))
  after(() => h?.close())

  test('signOut(): Signed Out and the reset are not lost across the logout redirect', async () => {
    const s = await h.scenario('sign-out')
    try {
      const page = await signedInTab(s)
      const before = await signOutAndCheck(s, page)
      await assertAnonymousNow(s, page, before.anon)
      await s.settle()
      assert.equal(count(uniqueEvents(s.events()), 'track:Signed Out'), 1, s.labels().join(', '))
      s.assertOnce()
      assert.deepEqual(await s.bridgeErrors(page), [])
      assert.deepEqual(s.problems(), [], s.diag())
    } finally {
      await s.close()
    }
  })

  for (const lost of [false, true]) {
    const name = lost
      ? 'sign-out in one tab is seen in the other when okta-auth-js’s cross-tab message is lost'
      : 'sign-out in one tab is seen in the other'
    test(name, async () => {
      const s = await h.scenario(lost ? 'cross-tab-lost' : 'cross-tab')
      try {
        const first = await signedInTab(s)
        const second = await s.page({ initScript: lost ? loseBroadcasts : undefined })
        await s.goHome(second)
        await second.waitFor('#status[data-state="signed-in"]')
        if (lost)
          assert.equal(
            await second.evaluate(() => new window.BroadcastChannel('x').postMessage.toString().length < 20),
            true,
          )
        await until(async () => (await held(second))?.id === alice.sub, 10_000)
        const before = await signOutAndCheck(s, first)
        // the other tab: okta-auth-js shows it signed out, and its analytics was reset too
        await second.waitFor('#status[data-state="signed-out"]', { timeout: 10_000 }).catch((e) => {
          throw new Error(`the second tab still shows a user: ${e.message}${s.diag()}`)
        })
        const ok = await until(async () => (await held(second))?.id === null, 10_000)
        assert.ok(ok, `the second tab's analytics still holds ${(await held(second))?.id}${s.diag()}`)
        await assertAnonymousNow(s, second, before.anon)
        await s.settle()
        assert.equal(
          count(uniqueEvents(s.events()), 'track:Signed Out'),
          1,
          `one Signed Out, not one per tab: ${s.labels().join(', ')}${s.diag()}`,
        )
        // signOut() in one tab: signed_out, whichever tab sent it
        const [out] = uniqueEvents(s.events()).filter((e) => e.event === 'Signed Out')
        assert.equal(out.properties.reason, 'signed_out', `the Signed Out's reason${s.diag()}`)
        s.assertOnce()
        assert.deepEqual(await s.bridgeErrors(first), [])
        assert.deepEqual(await s.bridgeErrors(second), [])
        assert.deepEqual(s.problems(), [], s.diag())
      } finally {
        await s.close()
      }
    })
  }
})
