// `npm start`'s demo in each engine: sign in, click, renew, reload, sign out; the live view shows
// each event as it reached the collector and what each destination received, an event delivered
// twice as one row that says so, and the bridge's decisions. Saves test-results/demo-<engine>.png
// (the demo after a real sign-in) and test-results/demo-<engine>-signed-out.png (after the sign-out).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startDemo } from '../../scripts/start.mjs'
import { eachEngine, launch, loginThroughProvider, recordConsole, signOutThroughProvider } from './browser.mjs'
import { assertNoCallsMadeTwice, results, sleep, until } from './harness.mjs'

eachEngine((engine) => {
  let demo, browser
  before(async () => {
    demo = await startDemo({ port: 0, oidcPort: 0, collectorPort: 0 })
    browser = await launch(engine)
  })
  after(async () => {
    await browser?.close()
    await demo?.close()
  })
  test('the demo: sign in, a re-send, sign out; the live view shows what each destination got', () =>
    theDemo(engine, demo, browser))
})

async function theDemo(engine, demo, browser) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } })
  const page = await context.newPage()
  const lines = recordConsole(page)
  const collected = () => demo.collector.events.filter((e) => e.writeKey === 'demo-write-key')
  const diag = () =>
    `\n--- console ---\n${lines.join('\n')}\n--- collector ---\n${collected()
      .map((e) => `${e.type} ${e.event ?? ''} ${e.messageId}`)
      .join('\n')}`
  const explained = (p) =>
    p.catch((e) => {
      throw new Error(e.message + diag())
    })
  const rows = (text) => page.count('#rows tr', { hasText: text })
  const decisions = () => page.texts('#log li')
  try {
    // the collector takes the first Clicked Buy but answers only after the reload: analytics-next
    // still has it in flight when the page goes, keeps it, and the next page sends it again with the
    // same messageId (a re-send, as a slow answer makes one)
    const held = demo.collector.hold((e) => e.event === 'Clicked Buy')
    await page.goto(demo.url)
    await page.waitFor('#user[data-state="signed-out"]')
    await page.click('#signin-alice')
    await loginThroughProvider(page, 'alice')
    await page.waitForURL(demo.url)
    await page.waitFor('#user[data-state="signed-in"]')
    await page.click('#buy')
    await page.click('#renew')
    const { messageId } = await held.taken
    await page.click('#reload')
    await page.waitFor('#user[data-state="signed-in"]')
    held.release()
    // the re-send: the next page sent the held Clicked Buy again; the view shows one row that says so
    const twice = await until(() => collected().filter((e) => e.messageId === messageId).length === 2, 10_000)
    assert.ok(twice, `Clicked Buy was not sent again after the reload${diag()}`)
    await explained(page.waitFor('#rows tr .resend-note', { hasText: 'delivered 2×' }))
    assert.equal(await rows('Clicked Buy'), 1, 'one row for one event')
    assert.match(
      await page.innerText('#rows tr', { hasText: 'Clicked Buy' }),
      /delivered 2× with one messageId: Segment keeps one/,
    )

    // the view: the rows, with the three destination columns when filters exist (whether the
    // sign-in's identify arrives is the sign-in scenario's business: signin.test.mjs)
    const identified = await until(async () => (await page.count('#rows tr.identify')) > 0, 5_000)
    const headers = await page.texts('#columns th')
    assert.ok(
      headers.some((h) => h.startsWith('Segment.io')),
      headers.join(' | '),
    )
    if ((await page.count('#filters .chip:not(.none)')) > 0) {
      assert.equal(headers.length, 5, headers.join(' | '))
      // the Demo CRM column shows the routed drop; the pixel got a hashed e-mail
      const dropped = () =>
        page.evaluate(() =>
          [...document.querySelectorAll('#rows tr')].some(
            (tr) => tr.textContent.includes('Clicked Buy') && tr.querySelector('.dropped'),
          ),
        )
      assert.ok(await until(dropped, 5_000), `no routed drop in the Clicked Buy row${diag()}`)
      if (identified) await until(async () => (await page.count('#rows tr.identify dd.changed')) > 0, 5_000)
    }
    // the bridge's decisions (one-string debug lines) reach the panel, without their prefix
    const signedIn = await until(async () => (await decisions()).some((t) => /Signed In/.test(t)), 5_000)
    assert.ok(signedIn, `no decision in the panel: ${(await decisions()).join(' | ')}${diag()}`)
    assert.ok(!(await decisions()).some((t) => t.includes('[okta-segment]')), (await decisions()).join(' | '))
    await sleep(300)
    mkdirSync(results, { recursive: true })
    await page.screenshot(join(results, `demo-${engine}.png`))

    // sign-out with okta-auth-js's defaults, back on the demo; Signed Out is one row
    await signOutThroughProvider(page, demo.op, demo.url)
    await page.waitFor('#user[data-state="signed-out"]')
    await explained(page.waitFor('#rows tr', { hasText: 'Signed Out' }))
    await until(async () => (await decisions()).some((t) => /Signed Out/.test(t)), 5_000)
    await sleep(1_500) // a re-send of the Signed Out, if any, has arrived
    assert.equal(await rows('Signed Out'), 1, `one row for Signed Out${diag()}`)
    const ids = new Set(collected().map((e) => e.messageId))
    assert.equal(await page.count('#rows tr'), ids.size, `one row per messageId${diag()}`)
    await page.screenshot(join(results, `demo-${engine}-signed-out.png`))
    // the held Clicked Buy was sent twice by analytics-next (one call, one timestamp): not counted
    assertNoCallsMadeTwice(engine, 'demo', collected(), diag())
    assert.deepEqual(
      lines.filter((l) => l.startsWith('[pageerror]')),
      [],
      diag(),
    )
    assert.deepEqual(context.externalRequests, [], 'nothing left 127.0.0.1')
  } finally {
    await context.close()
  }
}
