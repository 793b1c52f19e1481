// Smoke test of the real-browser stack: Chromium + okta-auth-js (UMD) + oidc-provider +
// analytics-next (standalone) + the local collector. Run: node --test test/e2e/smoke.test.mjs
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, URLSearchParams } from 'node:url'
import { startOidc, USERS } from '../../servers/oidc.mjs'
import { startCollector } from '../../servers/collector.mjs'
import { VENDOR, scriptRoute, startStatic } from '../../servers/static.mjs'
import { hasChrome, launchBrowser, loginThroughProvider, newContext, recordConsole } from './browser.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')
const results = join(repo, 'test-results')
const WRITE_KEY = 'smoke-write-key'

let op, collector, site, browser, context, page, consoleLines
const tokenRequests = []

before(async () => {
  if (!hasChrome()) return
  const config = {}
  collector = await startCollector()
  site = await startStatic({
    root: join(here, 'smoke'),
    routes: {
      ...VENDOR,
      '/config.js': scriptRoute(() => `window.SMOKE = ${JSON.stringify(config)};`),
    },
  })
  op = await startOidc({ clientOrigins: [site.origin] })
  Object.assign(config, {
    issuer: op.issuer,
    clientId: op.clientId,
    writeKey: WRITE_KEY,
    cdnURL: collector.cdnURL,
    apiHost: collector.apiHost,
    collectorURL: collector.url,
  })
  browser = await launchBrowser()
  context = await newContext(browser)
  page = await context.newPage()
  page.setDefaultTimeout(10_000)
  consoleLines = recordConsole(page)
  page.on('requestfinished', async (req) => {
    if (req.method() === 'POST' && req.url().startsWith(`${op.issuer}/v1/token`)) {
      const res = await req.response()
      tokenRequests.push({ grant: new URLSearchParams(req.postData() ?? '').get('grant_type'), status: res?.status() })
    }
  })
})

after(async () => {
  await browser?.close()
  await Promise.all([op?.close(), collector?.close(), site?.close()])
})

const skip = !hasChrome() && 'no Chromium (apt-get install -y chromium or set CHROME_PATH)'
const until = async (fn, ms = 5_000) => {
  for (const end = Date.now() + ms; !fn() && Date.now() < end;) await new Promise((r) => setTimeout(r, 20))
}
const diag = () => `\n--- browser console ---\n${consoleLines?.join('\n')}`

test('sign in through the provider, identify reaches the collector', { skip }, async () => {
  await page.goto(`${site.url}/`)
  await page.locator('#status[data-state="signed-out"]').waitFor({ timeout: 10_000 })
  await page.click('#signin')
  await loginThroughProvider(page, 'alice')
  await page.waitForURL(`${site.url}/`, { timeout: 10_000 })
  await page
    .locator('#status[data-state="signed-in"]')
    .waitFor({ timeout: 10_000 })
    .catch((e) => {
      throw new Error(e.message + diag())
    })

  const identify = await collector.waitFor((e) => e.type === 'identify' && e.userId === USERS.alice.sub, 10_000)
  assert.equal(identify.traits.email, 'alice@example.com')
  assert.equal(identify.writeKey, WRITE_KEY)

  const claims = await page.evaluate(() => window.oktaAuth.authStateManager.getAuthState().idToken.claims)
  assert.equal(claims.sub, USERS.alice.sub)
  assert.equal(claims.iss, op.issuer)
  assert.deepEqual(claims.groups, ['Everyone', 'Admins'])
  assert.equal(claims.given_name, 'Alice')
  assert.equal(typeof claims.auth_time, 'number')
  assert.deepEqual(
    tokenRequests.map((t) => `${t.grant}:${t.status}`),
    ['authorization_code:200'],
  )

  // the page shows what the collector received (it polls /events every 300 ms)
  await page.locator('#events', { hasText: 'identify' }).waitFor({ timeout: 5_000 })
  mkdirSync(results, { recursive: true })
  await page.screenshot({ path: join(results, 'smoke.png'), fullPage: true })
})

test('tokenManager.renew("idToken") uses the refresh token', { skip }, async () => {
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
  await until(() => tokenRequests.length >= 2)
  assert.deepEqual(
    tokenRequests.map((t) => `${t.grant}:${t.status}`),
    ['authorization_code:200', 'refresh_token:200'],
  )
})

test('signOut() revokes, ends the provider session and returns to the app', { skip }, async () => {
  const revokes = []
  page.on('requestfinished', async (req) => {
    if (req.url().startsWith(`${op.issuer}/v1/revoke`)) revokes.push((await req.response())?.status())
  })
  await page.click('#signout')
  await page.waitForURL((u) => u.pathname.startsWith('/oauth2/default/v1/logout'), { timeout: 10_000 })
  await page.waitForURL(`${site.url}/`, { timeout: 10_000 })
  await page.locator('#status[data-state="signed-out"]').waitFor({ timeout: 10_000 })
  await until(() => revokes.length >= 2)
  assert.deepEqual(revokes, [200, 200], 'access and refresh token revoked')
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('okta-token-storage') || '{}'))
  assert.deepEqual(Object.keys(stored), [])
  await page.screenshot({ path: join(results, 'smoke-signed-out.png') })

  // the provider session is gone: signing in again shows the login page
  await page.click('#signin')
  await page.waitForURL(/\/interaction\//, { timeout: 10_000 })
  assert.equal(await page.locator('input[name="password"]').count(), 1)
})

test('nothing left 127.0.0.1', { skip }, () => {
  assert.deepEqual(context.externalRequests, [])
  assert.ok(!consoleLines.some((l) => l.startsWith('[pageerror]')), diag())
})
