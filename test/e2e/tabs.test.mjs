// Several tabs, the normal case: 1 to 4 tabs of the app, opened before and after the sign-in, with
// and without an app that enriches its auth state asynchronously (transformAuthState calling
// /userinfo, which answers 300 ms later here, as a real Okta is a round trip away). Sign-in in one
// tab, sign-out in another. What reached the collector must be exactly one `Signed In` and one
// `Signed Out` (by messageId) for the session; no `Signed Out` before the sign-out and no identify
// after it; the anonymousId unchanged by the sign-in; every tab reset after the sign-out.
// `npm run test:tabs -- 20` runs this file 20 times in a row and prints the count.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { USERS } from '../../servers/oidc.mjs'
import { signOutThroughProvider } from './browser.mjs'
import { eachEngine, findSecrets, held, label, startHarness, until, uniqueEvents } from './harness.mjs'

let h

const { alice } = USERS

async function openTab(s) {
  const page = await s.page()
  await s.goHome(page)
  // analytics.js has loaded (the snippet stub has no user()) and the app's page view has given the
  // browser its anonymousId (the app makes it on the loaded instance, up to 50 ms after the load)
  await until(async () => !!(await held(page))?.anon, 10_000)
  return page
}

/**
 * @param {{ tabs: number, before: number, transform: boolean, signOutIn: number }} o
 *   `before` tabs open beside the first before the sign-in (in tab 0), the rest after it;
 *   `signOutIn`: the index of the tab whose Sign out is clicked.
 */
async function scenario({ tabs, before: opened, transform, signOutIn }) {
  const s = await h.scenario(`tabs-${tabs}-${opened}-${transform ? 'transform' : 'plain'}`, { transform })
  try {
    const pages = [await openTab(s)]
    for (let i = 0; i < opened; i++) pages.push(await openTab(s))
    const anon = (await held(pages[0])).anon
    await s.signIn(pages[0], 'alice')
    for (let i = pages.length; i < tabs; i++) pages.push(await openTab(s))
    for (const [i, page] of pages.entries()) {
      await page.waitFor('#status[data-state="signed-in"]', { timeout: 15_000 }).catch((e) => {
        throw new Error(`tab ${i} never showed the user: ${e.message}${s.diag()}`)
      })
      const ok = await until(async () => (await held(page))?.id === alice.sub, 10_000)
      assert.ok(ok, `tab ${i}'s analytics does not hold alice${s.diag()}`)
    }
    await s.waitFor((e) => e.event === 'Signed In')
    await s.settle()
    const signingOut = s.mark()

    const page = pages[signOutIn]
    await signOutThroughProvider(page, h.op, `${h.site.url}/`)
    for (const [i, p] of pages.entries()) {
      await p.waitFor('#status[data-state="signed-out"]', { timeout: 15_000 }).catch((e) => {
        throw new Error(`tab ${i} still shows a user: ${e.message}${s.diag()}`)
      })
      const ok = await until(async () => (await held(p))?.id === null, 10_000)
      assert.ok(ok, `tab ${i}'s analytics still holds ${(await held(p))?.id}${s.diag()}`)
    }
    await s.waitFor((e) => e.event === 'Signed Out')
    await s.settle()

    const stored = uniqueEvents(s.events())
    s.assertOnce()
    const ids = (what) => stored.filter((e) => label(e) === what)
    const why = `${s.labels().join(', ')}${s.diag()}`
    assert.equal(ids('track:Signed In').length, 1, `one Signed In messageId: ${why}`)
    assert.equal(ids('track:Signed Out').length, 1, `one Signed Out messageId: ${why}`)
    const early = [...signingOut].filter((id) => s.attempted.get(id) === 'track:Signed Out')
    assert.deepEqual(early, [], `a Signed Out was sent before the sign-out: ${why}`)
    const late = s.since(signingOut).filter((e) => e.type === 'identify')
    assert.deepEqual(late, [], `an identify after the sign-out: ${why}`)
    const [signedIn] = ids('track:Signed In')
    const [signedOut] = ids('track:Signed Out')
    assert.equal(signedIn.anonymousId, anon, `the sign-in changed the anonymousId: ${why}`)
    assert.equal(ids('identify')[0]?.anonymousId, anon, `the identify carries another anonymousId: ${why}`)
    assert.equal(signedOut.userId, alice.sub, 'Signed Out is attributed to alice')
    assert.equal(signedIn.properties.username, alice.preferred_username, 'Signed In carries the username')
    assert.equal(signedOut.properties.username, alice.preferred_username, 'Signed Out carries the username')
    // a click on sign-out (signOut()) in any tab: signed_out, whichever tab sent it
    assert.equal(signedOut.properties.reason, 'signed_out', `the Signed Out's reason: ${why}`)
    // every tab is anonymous now: its next event carries no user and not the old anonymousId
    for (const [i, p] of pages.entries()) {
      // once its bridge has run (a lagging copy of the cookies can bring the old one back: README rule 8)
      await until(async () => (await held(p))?.anon !== anon, 10_000)
      const mark = s.mark()
      await p.click('#buy')
      const buy = await s.waitFor((e) => e.event === 'Clicked Buy' && !mark.has(e.messageId))
      assert.equal(buy.userId ?? null, null, `tab ${i}: a track after the sign-out carries ${buy.userId}${s.diag()}`)
      assert.notEqual(
        buy.anonymousId,
        anon,
        `tab ${i}: a track after the sign-out carries the old anonymousId${s.diag()}`,
      )
    }
    assert.deepEqual(findSecrets(s.events(), s.secrets), [])
    for (const p of pages) assert.deepEqual(await s.bridgeErrors(p), [], s.diag())
    // okta-auth-js warns when the app's transformAuthState calls getUserInfo() while another of its
    // async methods runs: the same warnings, as many, with the bridge left out (APP.bridge = false)
    const ours = s
      .problems()
      .filter((l) => !(transform && /\[okta-auth-sdk\] WARN: Async method is being called/.test(l)))
    assert.deepEqual(ours, [], s.diag())
    assert.deepEqual(s.context.externalRequests, [])
  } finally {
    await s.close()
  }
}

const SCENARIOS = [
  { tabs: 1, before: 0, signOutIn: 0 },
  { tabs: 2, before: 1, signOutIn: 1 },
  { tabs: 2, before: 0, signOutIn: 1 },
  { tabs: 3, before: 1, signOutIn: 2 },
  { tabs: 4, before: 2, signOutIn: 1 },
]
eachEngine((engine) => {
  before(async () => (h = await startHarness(engine, { oidc: { userinfoDelayMs: 300 } })))
  after(() => h?.close())
  for (const transform of [false, true])
    for (const o of SCENARIOS) {
      const where = `${o.before} opened before the sign-in, ${o.tabs - 1 - o.before} after; sign-out in tab ${o.signOutIn}`
      test(`${o.tabs} tab(s) (${where})${transform ? ', async transformAuthState + /userinfo' : ''}`, () =>
        scenario({ ...o, transform }))
    }
})
