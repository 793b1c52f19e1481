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
import { eachEngine, launch, loginThroughProvider, recordConsole, signOutThroughProvider } from './browser.mjs'
import { assertNoCallsMadeTwice, dist, uniqueEvents, until } from './harness.mjs'

const here = join(import.meta.dirname, 'okta-defaults')

eachEngine((engine) => {
  let op, collector, site, browser
  before(async () => {
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
    browser = await launch(engine)
  })
  after(async () => {
    await browser?.close()
    await Promise.all([op?.close(), collector?.close(), site?.close()])
  })
  test('an app set up as for real Okta signs in and out against the local provider unchanged', () =>
    asForRealOkta(engine, { op, collector, site, browser }))
})

async function asForRealOkta(engine, { op, collector, site, browser }) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const lines = recordConsole(page)
  // every answer of the provider to the page (the browser's own favicon requests aside): none may
  // be a 4xx or 5xx
  const answers = () =>
    op.requests.filter((r) => r.path !== '/favicon.ico').map((r) => `${r.status ?? 'no answer'} ${r.method} ${r.path}`)
  const revokes = () => op.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/v1/revoke'))
  const diag = async () => {
    const shown = await page.innerText('body').catch(() => '')
    return (
      `\n--- provider answers ---\n${answers().join('\n')}\n--- page (${(await page.url()).split('?')[0]}) ---\n${shown}` +
      `\n--- console ---\n${lines.join('\n')}`
    )
  }
  const explained = (p) =>
    p.catch(async (e) => {
      throw new Error(e.message + (await diag()))
    })
  const status = (state) => explained(page.waitFor(`#status[data-state="${state}"]`))
  try {
    await page.goto(`${site.url}/`)
    await status('signed-out')
    await page.click('#signin')
    await loginThroughProvider(page, 'alice')
    await page.waitForURL(`${site.url}/`)
    await status('signed-in')
    await until(async () => collector.events.some((e) => e.event === 'Signed In'), 10_000)

    const logouts = await explained(signOutThroughProvider(page, op, `${site.url}/`))
    await status('signed-out')

    // okta-auth-js's defaults reached the provider, and it took them
    await until(() => revokes().every((r) => r.status), 5_000)
    assert.ok(revokes().length >= 1, `no revoke request${await diag()}`)
    for (const r of revokes()) {
      assert.equal(r.status, 200, `revoke answered ${r.status}${await diag()}`)
      const basic = `Basic ${Buffer.from(op.clientId).toString('base64')}`
      assert.equal(r.authorization, basic, 'okta-auth-js’s own header')
      assert.ok(!/client_id=/.test(r.body ?? ''), 'no client_id in the body as sent')
    }
    assert.deepEqual(
      logouts.map((r) => new URL(r.url).searchParams.get('post_logout_redirect_uri')),
      [site.origin],
    )
    assert.deepEqual(
      answers().filter((a) => !/^[23]\d\d /.test(a)),
      [],
      await diag(),
    )
    assert.deepEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('okta-token-storage') || '{}')), {})

    // the bridge's Signed Out reached the collector (once, as Segment keeps it)
    await until(() => collector.events.some((e) => e.event === 'Signed Out'), 10_000)
    const out = uniqueEvents(collector.events).filter((e) => e.event === 'Signed Out')
    assert.equal(out.length, 1, collector.events.map((e) => e.event ?? e.type).join(', '))
    assert.equal(out[0].userId, USERS.alice.sub)
    assertNoCallsMadeTwice(engine, 'okta-defaults', collector.events, await diag())

    // the provider session ended: signing in again shows the login page
    await page.click('#signin')
    await page.waitForURL(/\/interaction\//)
    assert.equal(await page.count('input[name="password"]'), 1)
    assert.deepEqual(
      lines.filter((l) => /^\[(pageerror|error)\]/.test(l)),
      [],
      await diag(),
    )
    assert.deepEqual(context.externalRequests, [], 'nothing left 127.0.0.1')
  } finally {
    await context.close()
  }
}
