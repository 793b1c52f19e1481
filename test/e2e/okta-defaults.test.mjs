// The local OpenID Provider takes what okta-auth-js sends by default, as Okta does: a page set up
// exactly as for real Okta (`new OktaAuth({ issuer, clientId, redirectUri })`, no interceptor, no
// postLogoutRedirectUri) signs in through the provider's login page and out with signOut(): the
// revoke's `Authorization: Basic base64(clientId)` is taken, the logout returns to
// `location.origin`, and no provider answer is a 4xx.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { startOidc, USERS } from '../../servers/oidc.mjs'
import { startCollector } from '../../servers/collector.mjs'
import { VENDOR, scriptRoute, startStatic } from '../../servers/static.mjs'
import { ensureBuilt } from '../../scripts/ensure-built.mjs'
import { launchBrowser, loginThroughProvider, newContext, recordConsole } from './browser.mjs'
import { dist, skip, uniqueEvents, until } from './harness.mjs'

const here = join(import.meta.dirname, 'okta-defaults')
let op, collector, site, browser

before(async () => {
  if (skip) return
  ensureBuilt()
  const config = {}
  collector = await startCollector()
  site = await startStatic({
    root: here,
    routes: { '/dist/': dist, ...VENDOR, '/config.js': scriptRoute(() => `window.CFG = ${JSON.stringify(config)};`) },
  })
  op = await startOidc({ clientOrigins: [site.origin] })
  const { cdnURL, apiHost } = collector
  Object.assign(config, { issuer: op.issuer, clientId: op.clientId, writeKey: 'okta-defaults', cdnURL, apiHost })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await Promise.all([op?.close(), collector?.close(), site?.close()])
})

test('an app set up as for real Okta signs in and out against the local provider unchanged', { skip }, async () => {
  const context = await newContext(browser)
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const lines = recordConsole(page)
  // every answer of the provider to the page (documents, fetches): none may be a 4xx or 5xx
  const answers = []
  const revokes = []
  page.on('response', (r) => {
    const req = r.request()
    if (!r.url().startsWith(op.url) || !['document', 'fetch', 'xhr'].includes(req.resourceType())) return
    answers.push(`${r.status()} ${req.method()} ${r.url().replace(op.url, '').split('?')[0]}`)
    if (r.url().startsWith(`${op.issuer}/v1/revoke`) && req.method() === 'POST')
      revokes.push({ status: r.status(), authorization: req.headers().authorization, body: req.postData() })
  })
  const logouts = []
  page.on('request', (r) => r.url().startsWith(`${op.issuer}/v1/logout?`) && logouts.push(new URL(r.url())))
  const diag = async () => {
    const shown = await page
      .locator('body')
      .innerText()
      .catch(() => '')
    return (
      `\n--- provider answers ---\n${answers.join('\n')}\n--- page (${page.url().split('?')[0]}) ---\n${shown}` +
      `\n--- console ---\n${lines.join('\n')}`
    )
  }
  const explained = (p) =>
    p.catch(async (e) => {
      throw new Error(e.message + (await diag()))
    })
  const status = (state) => explained(page.locator(`#status[data-state="${state}"]`).waitFor())
  try {
    await page.goto(`${site.url}/`)
    await status('signed-out')
    await page.locator('#signin').click()
    await loginThroughProvider(page, 'alice')
    await page.waitForURL(`${site.url}/`)
    await status('signed-in')
    await until(async () => collector.events.some((e) => e.event === 'Signed In'), 10_000)

    await page.locator('#signout').click()
    await explained(page.waitForURL((u) => u.href.startsWith(`${op.issuer}/v1/logout`)))
    await explained(page.waitForURL(`${site.url}/`))
    await status('signed-out')

    // okta-auth-js's defaults reached the provider, and it took them
    assert.ok(revokes.length >= 1, `no revoke request${await diag()}`)
    for (const r of revokes) {
      assert.equal(r.status, 200, `revoke answered ${r.status}${await diag()}`)
      const basic = `Basic ${Buffer.from(op.clientId).toString('base64')}`
      assert.equal(r.authorization, basic, 'okta-auth-js’s own header')
      assert.ok(!/client_id=/.test(r.body ?? ''), 'no client_id in the body as sent')
    }
    assert.deepEqual(
      logouts.map((u) => u.searchParams.get('post_logout_redirect_uri')),
      [site.origin],
    )
    assert.deepEqual(
      answers.filter((a) => !/^[23]\d\d /.test(a)),
      [],
      await diag(),
    )
    assert.deepEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('okta-token-storage') || '{}')), {})

    // the bridge's Signed Out reached the collector (once, as Segment keeps it)
    await until(() => collector.events.some((e) => e.event === 'Signed Out'), 10_000)
    const out = uniqueEvents(collector.events).filter((e) => e.event === 'Signed Out')
    assert.equal(out.length, 1, collector.events.map((e) => e.event ?? e.type).join(', '))
    assert.equal(out[0].userId, USERS.alice.sub)

    // the provider session ended: signing in again shows the login page
    await page.locator('#signin').click()
    await page.waitForURL(/\/interaction\//)
    assert.equal(await page.locator('input[name="password"]').count(), 1)
    assert.deepEqual(
      lines.filter((l) => /^\[(pageerror|error)\]/.test(l)),
      [],
      await diag(),
    )
    assert.deepEqual(context.externalRequests, [], 'nothing left 127.0.0.1')
  } finally {
    await context.close()
  }
})
