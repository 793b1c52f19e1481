// Each engine (Chromium, Firefox, WebKit), real okta-auth-js signing in through a real OpenID Provider, the test app
// (test/e2e/app) with okta-segment, and what reached the local Segment collector.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { USERS } from '../../servers/oidc.mjs'
import { GLOBAL_BUNDLE, count, eachEngine, findSecrets, label, startHarness, uniqueEvents, until } from './harness.mjs'

let h

const { alice, bob } = USERS

async function signInScenario(name, overrides) {
  const s = await h.scenario(name, overrides)
  try {
    const page = await s.page()
    await s.signIn(page, 'alice')
    await s.waitFor((e) => e.type === 'identify')
    await s.waitFor((e) => e.event === 'Signed In')
    await s.settle()
    const events = uniqueEvents(s.events())
    const labels = events.map(label).join(', ')
    assert.equal(count(events, 'identify'), 1, `one identify: ${labels}${s.diag()}`)
    assert.equal(count(events, 'track:Signed In'), 1, `one Signed In: ${labels}`)
    s.assertOnce()
    const identify = events.find((e) => e.type === 'identify')
    assert.equal(identify.userId, alice.sub)
    assert.deepEqual(identify.traits, {
      email: alice.email,
      name: alice.name,
      firstName: alice.given_name,
      lastName: alice.family_name,
      ...(overrides?.filters ? {} : { username: alice.preferred_username }),
    })
    const signedIn = events.find((e) => e.event === 'Signed In')
    assert.equal(signedIn.userId, alice.sub)
    // Signed In carries the username trait as the identify left the filters (dropped here with them)
    assert.equal(signedIn.properties.username, overrides?.filters ? undefined : alice.preferred_username)
    // made in order: the identify's timestamp (set when the call is made; Segment orders by it) is
    // not after the Signed In's. The order the two requests arrive in is not the bridge's: each has
    // its own CORS preflight (one per URL), and Firefox lands either first
    const at = (e) => Date.parse(e.timestamp)
    assert.ok(at(identify) <= at(signedIn), `identify at ${identify.timestamp}, Signed In at ${signedIn.timestamp}`)
    assert.ok(s.secrets.size >= 4, `saw the code, state, tokens and nonce (${s.secrets.size})`)
    assert.deepEqual(findSecrets(s.events(), s.secrets), [], 'no code, state, token or nonce in any payload')
    assert.deepEqual(await s.bridgeErrors(page), [])
    assert.deepEqual(s.problems(), [], s.diag())
    assert.deepEqual(s.context.externalRequests, [])
    return { s, page }
  } catch (e) {
    await s.close()
    throw e
  }
}

eachEngine((engine) => {
  before(async () => (h = await startHarness(engine)))
  after(() => h?.close())

  test('redirect sign-in: one identify, one Signed In, no code, state, token or nonce in any payload', async () => {
    const { s } = await signInScenario('sign-in')
    await s.close()
  })

  test('redirect sign-in with a filter (dropTraits): the same, without the dropped trait', async () => {
    const { s, page } = await signInScenario('sign-in-filters', { filters: true })
    assert.equal(
      await page.evaluate(() => JSON.parse(localStorage.ajs_user_traits ?? '{}').username),
      undefined,
      'the dropped trait is not stored',
    )
    await s.close()
  })

  test('redirect sign-in with the script-tag bundle (dist/okta-segment.global.min.js)', async () => {
    assert.ok(existsSync(GLOBAL_BUNDLE), 'npm run build writes dist/okta-segment.global.min.js')
    const { s, page } = await signInScenario('sign-in-global', { bundle: 'global' })
    assert.equal(await page.evaluate(() => typeof window.OktaSegment?.connect), 'function')
    await s.close()
  })

  /**
   * Signed in as alice, whatever reached the collector for the sign-in itself (the sign-in
   * scenarios above check that): analytics holds alice and the bridge has nothing pending.
   */
  async function signedIn(name) {
    const s = await h.scenario(name)
    const page = await s.page()
    await s.signIn(page, 'alice')
    await until(async () => (await page.evaluate(() => window.analytics.user?.().id?.())) === alice.sub, 10_000)
    await page.evaluate(() => window.bridge.flush())
    await s.settle()
    return { s, page }
  }

  test('reloads and a second tab send nothing new', async () => {
    const { s, page } = await signedIn('reload-tab')
    try {
      const mark = s.mark()
      // each page view reaches the collector before the next reload, as a person reads a page
      // before reloading it: analytics-next loses an event still in its plugins at pagehide (only
      // its queues persist), which is not the bridge's to prove here
      const views = (n) => until(() => s.since(mark).filter((e) => e.type === 'page').length >= n, 10_000)
      for (let i = 0; i < 3; i++) {
        await page.reload()
        await page.waitFor('#status[data-state="signed-in"]')
        assert.ok(await views(i + 1), `the page view of reload ${i + 1} never arrived${s.diag()}`)
      }
      const second = await s.page()
      await s.goHome(second)
      await second.waitFor('#status[data-state="signed-in"]')
      await second.evaluate(() => window.bridge.flush())
      await page.evaluate(() => window.bridge.flush())
      await s.settle()
      const fresh = s.since(mark)
      s.assertOnce()
      assert.deepEqual(fresh.filter((e) => e.type !== 'page').map(label), [], `nothing but page views${s.diag()}`)
      // the page views of the reloads and of the second tab are attributed to alice
      assert.equal(fresh.length, 4, fresh.map(label).join(', '))
      assert.ok(fresh.every((e) => e.userId === alice.sub))
      assert.deepEqual(s.problems(), [], s.diag())
    } finally {
      await s.close()
    }
  })

  test('alice -> bob without signing out: no bob event carries alice or her anonymousId', async () => {
    const { s, page } = await signedIn('switch')
    try {
      const aliceAnon = await page.evaluate(() => window.analytics.user().anonymousId())
      await s.signIn(page, 'bob', { button: '#switch' })
      await until(async () => (await page.evaluate(() => window.analytics.user?.().id?.())) === bob.sub, 10_000)
      await page.click('#buy')
      await s.waitFor((e) => e.event === 'Clicked Buy')
      await s.settle()
      const events = uniqueEvents(s.events())
      s.assertOnce()
      const who = (e) =>
        `${e.type}${e.event ? `:${e.event}` : ''}:${e.userId === alice.sub ? 'alice' : e.userId === bob.sub ? 'bob' : e.userId}`
      const calls = events.filter((e) => e.type !== 'page').map(who)
      // the switch itself: what the bridge sends on the callback page (Signed Out for alice,
      // identify and Signed In for bob) is checked when it arrives; whether it arrives at all is the
      // sign-in scenario's business. Arrival order is not call order: compare call times.
      const at = (label) => Date.parse(events.find((e) => who(e) === label)?.timestamp)
      if (calls.includes('track:Signed Out:alice') && calls.includes('identify:bob'))
        assert.ok(at('track:Signed Out:alice') <= at('identify:bob'), 'Signed Out (alice) before identify (bob)')
      assert.ok(calls.includes('track:Clicked Buy:bob'), calls.join(', '))
      assert.equal(calls.filter((c) => c.endsWith(':bob') && c.startsWith('track:Signed Out')).length, 0)
      const bobs = events.filter((e) => e.userId === bob.sub)
      assert.ok(bobs.length >= 2, `bob's events: ${calls.join(', ')}`)
      for (const e of bobs) {
        const text = JSON.stringify(e)
        assert.ok(
          !/alice/i.test(text) && !text.includes(alice.sub),
          `bob's ${e.type} ${e.event ?? ''} mentions alice: ${text}`,
        )
        assert.notEqual(e.anonymousId, aliceAnon, `bob's ${e.type} ${e.event ?? ''} has alice's anonymousId`)
      }
      assert.deepEqual(findSecrets(s.events(), s.secrets), [])
      assert.deepEqual(s.problems(), [], s.diag())
    } finally {
      await s.close()
    }
  })
})
