// Analytics that cannot load or cannot deliver: the page keeps working, no error reaches it,
// and what could not be delivered arrives, once, when the collector recovers.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { USERS } from '../../servers/oidc.mjs'
import { signOutThroughProvider } from './browser.mjs'
import { closedPort, count, eachEngine, label, startHarness, until, uniqueEvents } from './harness.mjs'

let h

const { alice } = USERS

/** Sign in, reload, click, sign out and in again: everything the app does must keep working. */
async function useTheApp(s, page) {
  await s.signIn(page, 'alice')
  await page.evaluate(() => window.bridge.flush())
  await page.reload()
  await page.waitFor('#status[data-state="signed-in"]')
  await page.click('#buy')
  await page.click('#buy')
  assert.equal(await page.text('#clicks'), '2', 'the page still handles clicks')
  await signOutThroughProvider(page, h.op, `${h.site.url}/`)
  await page.waitFor('#status[data-state="signed-out"]')
  await page.evaluate(() => window.bridge.flush())
}

// Blocked as a content blocker or a dead network blocks them, the same in every engine: the server
// closes the connection of the script's request; the collector's address has nothing listening.
const blocked = {
  'the analytics script is blocked': async () => ({ analyticsSrc: '/blocked/analytics-standalone.js' }),
  'the collector is unreachable': async () => {
    const port = await closedPort()
    return { cdnURL: `http://127.0.0.1:${port}`, apiHost: `127.0.0.1:${port}/v1` }
  },
}

async function analyticsBlocked(what) {
  const s = await h.scenario(what.split(' ')[1], await blocked[what]())
  try {
    const page = await s.page()
    await useTheApp(s, page)
    await s.settle(1_000)
    assert.deepEqual(s.events(), [], 'nothing reached the collector')
    const pageErrors = s.lines.filter((l) => l.includes('[pageerror]'))
    assert.deepEqual(pageErrors, [], s.diag())
    // okta-segment itself says nothing at warn/error level (it reports to onError)
    assert.deepEqual(
      s.problems().filter((l) => /okta-segment/i.test(l)),
      [],
      s.diag(),
    )
    assert.deepEqual(s.problems(), [], `console errors or warnings on the page${s.diag()}`)
  } finally {
    await s.close()
  }
}

eachEngine((engine) => {
  before(async () => (h = await startHarness(engine)))
  after(() => h?.close())
  for (const what of Object.keys(blocked))
    test(`analytics blocked (${what}): the app works and no error reaches the page`, () => analyticsBlocked(what))
  test('the collector answers 500, then recovers: every event arrives once', collectorFails)
})

async function collectorFails() {
  const s = await h.scenario('fail500')
  const attempted = new Map() // messageId -> label, of every event sent (refused ones too)
  const onRequest = ({ events }) => {
    for (const e of events) if (e.writeKey === s.writeKey) attempted.set(e.messageId, label(e))
  }
  h.collector.on('request', onRequest)
  try {
    const page = await s.page()
    await s.signIn(page, 'alice')
    await until(async () => (await page.evaluate(() => window.analytics.user?.().id?.())) === alice.sub, 10_000)
    await s.settle(1_000)
    attempted.clear()
    const before = new Set(s.events().map((e) => e.messageId))

    // the collector fails; meanwhile the session ends and alice signs in again (no navigation:
    // the tokens are cleared, then stored again), she clicks, and the page reloads
    h.collector.mode = 'fail500'
    await page.evaluate(async () => {
      const saved = await window.oktaAuth.tokenManager.getTokens()
      window.oktaAuth.tokenManager.clear()
      await window.bridge.flush()
      await new Promise((r) => setTimeout(r, 300))
      window.oktaAuth.tokenManager.setTokens(saved)
      await new Promise((r) => setTimeout(r, 300))
      await window.bridge.flush()
    })
    await page.click('#buy')
    const labels = () => [...attempted.values()]
    const expected = ['track:Signed Out', 'identify', 'track:Signed In', 'track:Clicked Buy']
    const tried = await until(() => expected.every((l) => labels().includes(l)), 10_000)
    assert.ok(tried, `${expected.join(', ')} were attempted: ${labels().join(', ')}${s.diag()}`)
    await page.reload() // the retry queue survives a reload
    await page.waitFor('#status[data-state="signed-in"]')
    await page.click('#buy')
    await until(() => labels().filter((l) => l === 'track:Clicked Buy').length >= 2, 5_000)
    const fresh = () => s.events().filter((e) => !before.has(e.messageId))
    assert.deepEqual(fresh(), [], 'nothing recorded while failing')
    const failures = h.collector.requests.filter((r) => r.mode === 'fail500').length
    assert.ok(failures >= 5, `the collector refused ${failures} requests`)

    h.collector.mode = 'ok'
    const arrived = await until(
      () => [...attempted.keys()].every((id) => s.events().some((e) => e.messageId === id)),
      30_000,
      100,
    )
    await s.settle(1_000)
    const missing = [...attempted].filter(([id]) => !s.events().some((e) => e.messageId === id)).map(([, l]) => l)
    assert.ok(arrived, `every attempted event arrives after recovery; missing: ${missing.join(', ')}${s.diag()}`)
    const events = uniqueEvents(fresh())
    // the Signed In sent again on purpose (the same authentication came back, below) is not in fresh()
    s.assertOnce(fresh())
    assert.equal(count(events, 'track:Signed Out'), 1, s.labels().join(', '))
    assert.equal(count(events, 'identify'), 1)
    // the same authentication came back: its Signed In carries the first one's messageId
    // (okta-segment-in-…), so Segment keeps one per authentication; it is not among the fresh ids
    assert.equal(count(events, 'track:Signed In'), 0)
    assert.ok(
      [...attempted.values()].includes('track:Signed In'),
      'Signed In was sent again, under its first messageId',
    )
    assert.equal(count(events, 'track:Clicked Buy'), 2)
    assert.equal(events.find((e) => e.type === 'identify').userId, alice.sub)
    const dup = fresh().length - events.length
    if (dup)
      console.log(
        `# ${dup} event(s) delivered twice with the same messageId (analytics-next is at-least-once; Segment dedupes on messageId)`,
      )
    assert.deepEqual(
      s.lines.filter((l) => l.includes('[pageerror]')),
      [],
    )
  } finally {
    h.collector.off('request', onRequest)
    h.collector.mode = 'ok'
    await s.close()
  }
}
