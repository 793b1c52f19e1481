// Token renewal in the real browser: short-lived tokens renewed by okta-auth-js's autoRenew with
// the refresh token. Every renewal re-emits the auth state; none may send anything.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { URLSearchParams } from 'node:url'
import { USERS } from '../../servers/oidc.mjs'
import { eachEngine, startHarness, until, uniqueEvents } from './harness.mjs'

// okta-auth-js renews 30 s before expiry (expireEarlySeconds is fixed off localhost):
// tokens that live 32 s are renewed about 2 s after each issue.
const TTL = 32
let h
eachEngine((engine) => {
  before(async () => (h = await startHarness(engine, { oidc: { idTokenTTL: TTL, accessTokenTTL: TTL } })))
  after(() => h?.close())
  test('token renewal with a refresh token (short-lived tokens, autoRenew) sends nothing new', renewal)
})

async function renewal() {
  const s = await h.scenario('renewal')
  try {
    const page = await s.page()
    // the token requests the provider answered (one provider per engine: all of them this scenario's)
    const from = h.op.requests.length
    const grants = () =>
      h.op.requests
        .slice(from)
        .filter((r) => r.method === 'POST' && r.url === `${h.op.issuer}/v1/token` && r.status)
        .map((r) => `${new URLSearchParams(r.body ?? '').get('grant_type')}:${r.status}`)
    await s.signIn(page, 'alice')
    const first = await page.evaluate(() => JSON.parse(localStorage['okta-token-storage']).idToken.idToken)
    await until(async () => (await page.evaluate(() => window.analytics.user?.().id?.())) === USERS.alice.sub, 10_000)
    await page.evaluate(() => window.bridge.flush())
    await s.settle(1_500)
    const before = uniqueEvents(s.events()).filter((e) => e.type !== 'page')
    // count the auth-state emissions the bridge sees
    await page.evaluate(() => {
      window.emissions = 0
      window.oktaAuth.authStateManager.subscribe(() => window.emissions++)
    })
    const renewals = () => grants().filter((g) => g === 'refresh_token:200').length
    const already = renewals()
    const renewed = await until(() => renewals() >= already + 2, 20_000, 100)
    assert.ok(renewed, `two renewals with the refresh token: ${grants().join(', ')}${s.diag()}`)
    await s.rememberTokens(page)
    const now = await page.evaluate(() => JSON.parse(localStorage['okta-token-storage']).idToken.idToken)
    assert.notEqual(now, first, 'the ID token was renewed')
    // the provider counts a grant before the page has its answer: wait for the page's emissions
    const emitted = await until(async () => (await page.evaluate(() => window.emissions)) >= 2, 10_000, 100)
    assert.ok(emitted, 'okta-auth-js re-emitted the auth state on renewal')
    await page.evaluate(() => window.bridge.flush())
    await s.settle(1_500)
    const after = uniqueEvents(s.events()).filter((e) => e.type !== 'page')
    assert.deepEqual(
      after.map((e) => e.type + (e.event ?? '')),
      before.map((e) => e.type + (e.event ?? '')),
      `nothing new after the renewals${s.diag()}`,
    )
    s.assertOnce()
    assert.equal(await page.attr('#status', 'data-state'), 'signed-in')
    assert.deepEqual(await s.bridgeErrors(page), [])
    assert.deepEqual(s.problems(), [], s.diag())
  } finally {
    await s.close()
  }
}
