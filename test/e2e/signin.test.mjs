// Real Chromium, real okta-auth-js signing in through a real OpenID Provider, the test app
// (test/e2e/app) with okta-segment, and what reached the local Segment collector.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { USERS } from '../../servers/oidc.mjs'
import { GLOBAL_BUNDLE, count, findSecrets, skip, startHarness, uniqueEvents } from './harness.mjs'

let h
before(async () => {
  if (!skip) h = await startHarness()
})
after(() => h?.close())

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
    const labels = events.map((e) => `${e.type}${e.event ? `:${e.event}` : ''}`).join(', ')
    assert.equal(count(events, 'identify'), 1, `one identify: ${labels}${s.diag()}`)
    assert.equal(count(events, 'track:Signed In'), 1, `one Signed In: ${labels}`)
    const identify = events.find((e) => e.type === 'identify')
    assert.equal(identify.userId, alice.sub)
    assert.deepEqual(identify.traits, {
      email: alice.email,
      name: alice.name,
      firstName: alice.given_name,
      lastName: alice.family_name,
      ...(overrides?.filters ? {} : { username: alice.preferred_username }),
    })
    assert.equal(events.find((e) => e.event === 'Signed In').userId, alice.sub)
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

test('redirect sign-in: one identify, one Signed In, no code, state, token or nonce in any payload', { skip }, async () => {
  const { s } = await signInScenario('sign-in')
  await s.close()
})

test('redirect sign-in with a filter (dropTraits): the same, without the dropped trait', { skip }, async () => {
  const { s, page } = await signInScenario('sign-in-filters', { filters: true })
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.ajs_user_traits ?? '{}').username), undefined, 'the dropped trait is not stored')
  await s.close()
})

test('redirect sign-in with the script-tag bundle (dist/okta-segment.global.min.js)', {
  skip: skip || (!existsSync(GLOBAL_BUNDLE) && 'dist/okta-segment.global.min.js not built yet'),
}, async () => {
  const { s, page } = await signInScenario('sign-in-global', { bundle: 'global' })
  assert.equal(await page.evaluate(() => typeof window.OktaSegment?.connect), 'function')
  await s.close()
})

test('reloads and a second tab send nothing new', { skip }, async () => {
  const { s, page } = await signInScenario('reload-tab')
  try {
    const before = uniqueEvents(s.events()).filter((e) => e.type !== 'page').length
    for (let i = 0; i < 3; i++) {
      await page.reload()
      await page.locator('#status[data-state="signed-in"]').waitFor()
    }
    const second = await s.page()
    await s.goHome(second)
    await second.locator('#status[data-state="signed-in"]').waitFor()
    await second.evaluate(() => window.bridge.flush())
    await page.evaluate(() => window.bridge.flush())
    await s.settle()
    const after = uniqueEvents(s.events()).filter((e) => e.type !== 'page')
    assert.equal(after.length, before, `nothing but page views: ${after.map((e) => e.type + (e.event ?? '')).join(', ')}`)
    // the page views of the reloads and of the second tab are attributed to alice
    const pages = uniqueEvents(s.events()).filter((e) => e.type === 'page' && e.properties.path === '/')
    assert.ok(pages.length >= 5)
    assert.ok(pages.slice(-4).every((e) => e.userId === alice.sub))
    assert.deepEqual(s.problems(), [], s.diag())
  } finally {
    await s.close()
  }
})

test('alice -> bob without signing out: no bob event carries alice or her anonymousId', { skip }, async () => {
  const { s, page } = await signInScenario('switch')
  try {
    const aliceAnon = s.events().find((e) => e.userId === alice.sub).anonymousId
    await s.signIn(page, 'bob', { button: '#switch' })
    await s.waitFor((e) => e.event === 'Signed In' && e.userId === bob.sub)
    await page.locator('#buy').click()
    await s.waitFor((e) => e.event === 'Clicked Buy')
    await s.settle()
    const events = uniqueEvents(s.events())
    const who = (e) => `${e.type}${e.event ? `:${e.event}` : ''}:${e.userId === alice.sub ? 'alice' : e.userId === bob.sub ? 'bob' : e.userId}`
    // arrival order is not call order (requests run in parallel, some are re-sent after a
    // navigation): compare as sets, then order by the time each call was made
    assert.deepEqual(events.filter((e) => e.type !== 'page').map(who).sort(), [
      'identify:alice',
      'identify:bob',
      'track:Clicked Buy:bob',
      'track:Signed In:alice',
      'track:Signed In:bob',
      'track:Signed Out:alice',
    ], s.diag())
    const at = (label) => Date.parse(events.find((e) => who(e) === label).timestamp)
    assert.ok(at('track:Signed Out:alice') <= at('identify:bob'), 'Signed Out (alice) before identify (bob)')
    const bobs = events.filter((e) => e.userId === bob.sub)
    assert.ok(bobs.length >= 4)
    for (const e of bobs) {
      const text = JSON.stringify(e)
      assert.ok(!/alice/i.test(text) && !text.includes(alice.sub), `bob's ${e.type} ${e.event ?? ''} mentions alice: ${text}`)
      assert.notEqual(e.anonymousId, aliceAnon, `bob's ${e.type} ${e.event ?? ''} has alice's anonymousId`)
    }
    assert.deepEqual(findSecrets(s.events(), s.secrets), [])
    assert.deepEqual(s.problems(), [], s.diag())
  } finally {
    await s.close()
  }
})
