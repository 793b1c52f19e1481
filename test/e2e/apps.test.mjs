// Two apps of one company (two origins, two client ids, two write keys) in one Okta session: the
// second signs in by SSO, so both ID tokens carry the same auth_time (the Okta session's). Segment
// deduplicates messageIds globally, across sources: each app's events must keep ids of their own.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { USERS } from '../../servers/oidc.mjs'
import { signOutThroughProvider } from './browser.mjs'
import { assertNoCallsMadeTwice, count, eachEngine, label, startHarness, uniqueEvents, until } from './harness.mjs'

let h

const { alice } = USERS
const authTime = (page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem('okta-token-storage') || '{}').idToken?.claims?.auth_time)

eachEngine((engine) => {
  before(async () => (h = await startHarness(engine, { secondApp: true })))
  after(() => h?.close())

  test('two apps in one Okta session (SSO) each keep their own Signed In, Signed Out and identify', async () => {
    const writeKey2 = `wk-second-app-${Date.now().toString(36)}`
    const s = await h.scenario('two-apps', { byOrigin: { [h.site2.origin]: { writeKey: writeKey2 } } })
    const second = () => h.collector.events.filter((e) => e.writeKey === writeKey2)
    try {
      const one = await s.page()
      await s.signIn(one, 'alice')
      const two = await s.page()
      await two.goto(`${h.site2.url}/`)
      await two.waitFor('#status[data-state="signed-out"]')
      await two.click('#signin')
      // no login page: the provider's session signs the second app in at once
      await two.waitForURL(`${h.site2.url}/`)
      await two.waitFor('#status[data-state="signed-in"]')
      assert.equal(await authTime(two), await authTime(one), 'SSO: both ID tokens carry the Okta session’s auth_time')
      await s.waitFor((e) => e.event === 'Signed In')
      assert.ok(
        await until(() => second().some((e) => e.event === 'Signed In'), 10_000),
        `app 2: ${second().map(label)}`,
      )

      for (const [page, url] of [
        [one, h.site.url],
        [two, h.site2.url],
      ]) {
        await signOutThroughProvider(page, h.op, `${url}/`)
        await page.waitFor('#status[data-state="signed-out"]')
      }
      await s.waitFor((e) => e.event === 'Signed Out')
      assert.ok(
        await until(() => second().some((e) => e.event === 'Signed Out'), 10_000),
        `app 2: ${second().map(label)}`,
      )
      await s.settle()

      const apps = [uniqueEvents(s.events()), uniqueEvents(second())]
      s.assertOnce()
      assertNoCallsMadeTwice(engine, 'two-apps, app 2', second(), s.diag())
      for (const [i, events] of apps.entries()) {
        for (const what of ['identify', 'track:Signed In', 'track:Signed Out'])
          assert.equal(count(events, what), 1, `app ${i + 1}: one ${what}: ${events.map(label).join(', ')}`)
        assert.ok(
          events.every((e) => e.userId === alice.sub || e.type === 'page' || e.event === 'Clicked Buy'),
          `app ${i + 1}: alice's events`,
        )
      }
      // what Segment would keep: no messageId of one app's events is also one of the other's
      const ids = apps.map((events) => new Set(events.map((e) => e.messageId)))
      assert.deepEqual(
        [...ids[0]].filter((id) => ids[1].has(id)),
        [],
        'messageIds shared by the two apps (Segment would drop one)',
      )
      assert.deepEqual(s.context.externalRequests, [])
    } finally {
      await s.close()
    }
  })
})
