// Smoke test of the real-browser stack, in each engine: okta-auth-js (UMD) + oidc-provider +
// analytics-next (standalone) + the local collector. Run: node --test test/e2e/smoke.test.mjs
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { URLSearchParams } from 'node:url'
import { USERS } from '../../servers/oidc.mjs'
import { eachEngine, loginThroughProvider, signOutThroughProvider } from './browser.mjs'
import { assertNoCallsMadeTwice, results, startPageWorld, until } from './harness.mjs'

const WRITE_KEY = 'smoke-write-key'

eachEngine((engine) => {
  let op, collector, site, context, page, consoleLines, diag, close

  before(async () => {
    ;({ op, collector, site, context, page, consoleLines, diag, close } = await startPageWorld(engine, {
      root: 'smoke',
      global: 'SMOKE',
      writeKey: WRITE_KEY,
    }))
  })

  after(() => close?.())

  // what the page's analytics-next did, for a failure's message
  const analyticsState = () =>
    page
      .evaluate(() => {
        const a = window.analytics
        return JSON.stringify({
          url: location.href,
          loaded: !!a && !Array.isArray(a),
          initialized: a?.initialized,
          queued: a?.queue?.queue?.length,
          snippetBuffer: Array.isArray(a) ? a.length : undefined,
        })
      })
      .then(
        (state) => `page: ${state}; collector requests: ${JSON.stringify(collector.requests)}`,
        (e) => `page: not readable (${e.message})`,
      )
  // the provider's answers to the page's token and revoke requests
  const answered = (path) => op.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path) && r.status)
  const grants = () =>
    answered('/v1/token').map((r) => `${new URLSearchParams(r.body ?? '').get('grant_type')}:${r.status}`)

  test('sign in through the provider, identify reaches the collector', async () => {
    await page.goto(`${site.url}/`)
    await page.waitFor('#status[data-state="signed-out"]')
    await page.click('#signin')
    await loginThroughProvider(page, 'alice')
    await page.waitForURL(`${site.url}/`)
    await page.waitFor('#status[data-state="signed-in"]').catch((e) => {
      throw new Error(e.message + diag())
    })

    const identify = await collector
      .waitFor((e) => e.type === 'identify' && e.userId === USERS.alice.sub, 10_000)
      .catch(async (e) => {
        throw new Error(`${e.message}\n${await analyticsState()}${diag()}`)
      })
    assert.equal(identify.traits.email, 'alice@example.com')
    assert.equal(identify.writeKey, WRITE_KEY)

    const claims = await page.evaluate(() => window.oktaAuth.authStateManager.getAuthState().idToken.claims)
    assert.equal(claims.sub, USERS.alice.sub)
    assert.equal(claims.iss, op.issuer)
    assert.deepEqual(claims.groups, ['Everyone', 'Admins'])
    assert.equal(claims.given_name, 'Alice')
    assert.equal(typeof claims.auth_time, 'number')
    assert.deepEqual(grants(), ['authorization_code:200'])

    // the page shows what the collector received (it polls /events every 300 ms)
    await page.waitFor('#events', { hasText: 'identify', timeout: 5_000 })
    mkdirSync(results, { recursive: true })
    await page.screenshot(join(results, `smoke-${engine}.png`))
  })

  test('tokenManager.renew("idToken") uses the refresh token', async () => {
    const r = await page.evaluate(async () => {
      const tm = window.oktaAuth.tokenManager
      const before = await tm.getTokens()
      const renewed = await tm.renew('idToken')
      const after = await tm.getTokens()
      return {
        hadRefresh: !!before.refreshToken,
        refreshRotated: before.refreshToken?.refreshToken !== after.refreshToken?.refreshToken,
        accessChanged: before.accessToken?.accessToken !== after.accessToken?.accessToken,
        sub: renewed.claims.sub,
        authTimeKept: renewed.claims.auth_time === before.idToken.claims.auth_time,
      }
    })
    assert.deepEqual(r, {
      hadRefresh: true,
      refreshRotated: true,
      accessChanged: true,
      sub: USERS.alice.sub,
      authTimeKept: true,
    })
    await until(() => grants().length >= 2)
    assert.deepEqual(grants(), ['authorization_code:200', 'refresh_token:200'])
  })

  test('signOut() revokes, ends the provider session and returns to the app', async () => {
    await signOutThroughProvider(page, op, `${site.url}/`)
    await page.waitFor('#status[data-state="signed-out"]')
    await until(() => answered('/v1/revoke').length >= 2)
    assert.deepEqual(
      answered('/v1/revoke').map((r) => r.status),
      [200, 200],
      'access and refresh token revoked',
    )
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('okta-token-storage') || '{}'))
    assert.deepEqual(Object.keys(stored), [])
    await page.screenshot(join(results, `smoke-${engine}-signed-out.png`))

    // the provider session is gone: signing in again shows the login page
    await page.click('#signin')
    await page.waitForURL(/\/interaction\//)
    assert.equal(await page.count('input[name="password"]'), 1)
  })

  test('nothing left 127.0.0.1, no call made twice', () => {
    assert.deepEqual(context.externalRequests, [])
    assert.ok(!consoleLines.some((l) => l.startsWith('[pageerror]')), diag())
    assertNoCallsMadeTwice(engine, 'smoke', collector.events, diag())
  })
})
