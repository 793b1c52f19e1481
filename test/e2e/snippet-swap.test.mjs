// connect() in the moment analytics.js swaps Segment's snippet for the loaded instance, in each
// engine: the standalone build reads the stub for the last time a few microtasks before it sets
// window.analytics, so what is pushed onto the stub in between is never read. WebKit runs an app's
// `await oktaAuth.start()` continuation there about one page load in eight. The page runs connect()
// right there every time (a setter on window.analytics): the bridge's own calls on the stub (its
// `ready`, the filters' and the clean page's middleware) must still take effect.
// Run: node --test test/e2e/snippet-swap.test.mjs   (needs `npm run build` first)
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { USERS } from '../../servers/oidc.mjs'
import { eachEngine, loginThroughProvider } from './browser.mjs'
import { assertNoCallsMadeTwice, findSecrets, results, startPageWorld, until } from './harness.mjs'

eachEngine((engine) => {
  let collector, site, context, page, consoleLines, diag, close

  before(async () => {
    ;({ collector, site, context, page, consoleLines, diag, close } = await startPageWorld(engine, {
      root: 'snippet-swap',
      global: 'SWAP',
      writeKey: 'swap-write-key',
    }))
  })

  after(() => close?.())

  const seen = () => collector.events.map((e) => e.event ?? e.type)

  test('what the bridge pushed onto the stub takes effect: identify, the filters, the clean page', async () => {
    await page.goto(`${site.url}/`)
    await page.waitFor('#status[data-state="signed-out"]')
    // analytics.js has loaded (see the callback page in index.html)
    assert.ok(await until(() => page.evaluate(() => !!window.connectedOnStub)), `connect() never ran${diag()}`)
    await page.click('#signin')
    await loginThroughProvider(page, 'alice')
    await page.waitForURL(`${site.url}/?state=st4te-456&foo=1`)
    await page.waitFor('#status[data-state="signed-in"]')
    // connect() ran on the stub after analytics.js had read it for the last time
    assert.ok(await until(() => page.evaluate(() => !!window.connectedOnStub)), `connect() never ran${diag()}`)
    assert.deepEqual(await page.evaluate(() => window.connectedOnStub), [
      'addSourceMiddleware',
      'ready',
      'addSourceMiddleware',
    ])
    await collector
      .waitFor((e) => e.event === 'Signed In' && e.userId === USERS.alice.sub, 10_000)
      .catch((e) => {
        throw new Error(`${e.message}${diag()}`)
      })
    // the app's own calls, on the loaded instance: the filters' source middleware drops one, the
    // clean page's takes the OIDC state out of the page URL
    await page.evaluate(async () => {
      await window.analytics.track('Secret Clicked')
      await window.analytics.track('Visible Clicked')
      await window.analytics.page()
    })
    const pageCall = await collector.waitFor((e) => e.type === 'page', 10_000)
    assert.deepEqual(
      seen().filter((name) => name !== 'identify'),
      ['Signed In', 'Visible Clicked', 'page'],
      `received: ${seen().join(', ')}${diag()}`,
    )
    assert.equal(pageCall.context.page.search, '?foo=1')
    assert.equal(pageCall.context.page.url, `${site.url}/?foo=1`)
    assert.doesNotMatch(JSON.stringify(collector.events), /st4te-456/)
    assert.deepEqual(await page.evaluate(() => window.bridgeErrors), [])
    mkdirSync(results, { recursive: true })
    await page.screenshot(join(results, `snippet-swap-${engine}.png`))
  })

  test('nothing left 127.0.0.1, no secret and no call made twice', async () => {
    const storage = await page.evaluate(() => Object.keys(localStorage)).catch((e) => e.message)
    assert.deepEqual(
      context.externalRequests,
      [],
      `received: ${seen().join(', ')}; storage: ${JSON.stringify(storage)}${diag()}`,
    )
    assert.ok(!consoleLines.some((l) => l.startsWith('[pageerror]')), diag())
    assert.deepEqual(findSecrets(collector.events, ['st4te-456']), [])
    assertNoCallsMadeTwice(engine, 'snippet-swap', collector.events, diag())
  })
})
