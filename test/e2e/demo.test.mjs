// `npm start`'s demo in real Chromium: sign in, click, renew, reload, sign out; the live view shows
// each event as it reached the collector and what each destination received, an event delivered
// twice as one row that says so, and the bridge's decisions. Saves test-results/demo.png (the demo
// after a real sign-in) and test-results/demo-signed-out.png (after the sign-out).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startDemo } from '../../scripts/start.mjs'
import { launchBrowser, loginThroughProvider, newContext, recordConsole } from './browser.mjs'
import { results, skip, until } from './harness.mjs'

let demo, browser
before(async () => {
  if (skip) return
  demo = await startDemo({ port: 0, oidcPort: 0, collectorPort: 0 })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await demo?.close()
})

/**
 * Holds the collector's answer to the first `Clicked Buy` until `release()`: the collector has the
 * event, but analytics-next still has it in flight when the page reloads, so it keeps it and the
 * next page sends it again with the same messageId (a re-send, as a slow answer makes one).
 */
async function holdFirstBuy(context) {
  const held = { messageId: undefined, release: () => {} }
  const released = new Promise((resolve) => (held.release = resolve))
  await context.route(`${demo.collector.url}/v1/t`, async (route) => {
    let body
    try {
      body = route.request().postDataJSON()
    } catch {
      body = undefined
    }
    if (held.messageId || body?.event !== 'Clicked Buy') return route.fallback()
    held.messageId = body.messageId
    const response = await route.fetch()
    await released
    await route.fulfill({ response }).catch(() => {}) // the page that asked has gone
  })
  return held
}

test('the demo: sign in, a re-send, sign out; the live view shows what each destination got', { skip }, async () => {
  const context = await newContext(browser, { viewport: { width: 1360, height: 860 } })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const lines = recordConsole(page)
  const collected = () => demo.collector.events.filter((e) => e.writeKey === 'demo-write-key')
  const diag = () =>
    `\n--- console ---\n${lines.join('\n')}\n--- collector ---\n${collected()
      .map((e) => `${e.type} ${e.event ?? ''} ${e.messageId}`)
      .join('\n')}`
  const row = (text) => page.locator('#rows tr', { hasText: text })
  const decisions = () => page.locator('#log li').allTextContents()
  try {
    const held = await holdFirstBuy(context)
    await page.goto(demo.url)
    await page.locator('#user[data-state="signed-out"]').waitFor()
    await page.locator('#signin-alice').click()
    await loginThroughProvider(page, 'alice')
    await page.waitForURL(demo.url)
    await page.locator('#user[data-state="signed-in"]').waitFor()
    await page.locator('#buy').click()
    await page.locator('#renew').click()
    await until(() => collected().some((e) => e.event === 'Clicked Buy'), 10_000)
    await page.locator('#reload').click()
    await page.locator('#user[data-state="signed-in"]').waitFor()
    held.release()
    // the re-send: the next page sent the held Clicked Buy again; the view shows one row that says so
    const twice = await until(() => collected().filter((e) => e.messageId === held.messageId).length === 2, 10_000)
    assert.ok(twice, `Clicked Buy was not sent again after the reload${diag()}`)
    await row('Clicked Buy')
      .locator('.resend-note', { hasText: 'delivered 2×' })
      .waitFor()
      .catch((e) => {
        throw new Error(e.message + diag())
      })
    assert.equal(await row('Clicked Buy').count(), 1, 'one row for one event')
    assert.match(await row('Clicked Buy').innerText(), /delivered 2× with one messageId: Segment keeps one/)

    // the view: the rows, with the three destination columns when filters exist (whether the
    // sign-in's identify arrives is the sign-in scenario's business: signin.test.mjs)
    const identified = await until(async () => (await page.locator('#rows tr.identify').count()) > 0, 5_000)
    const headers = await page.locator('#columns th').allTextContents()
    assert.ok(
      headers.some((h) => h.startsWith('Segment.io')),
      headers.join(' | '),
    )
    const filtersExported = (await page.locator('#filters .chip:not(.none)').count()) > 0
    if (filtersExported) {
      assert.equal(headers.length, 5, headers.join(' | '))
      // the Demo CRM column shows the routed drop; the pixel got a hashed e-mail
      await row('Clicked Buy').locator('.dropped').first().waitFor()
      if (identified) await until(async () => (await page.locator('#rows tr.identify dd.changed').count()) > 0, 5_000)
    }
    // the bridge's decisions (one-string debug lines) reach the panel, without their prefix
    const signedIn = await until(async () => (await decisions()).some((t) => /Signed In/.test(t)), 5_000)
    assert.ok(signedIn, `no decision in the panel: ${(await decisions()).join(' | ')}${diag()}`)
    assert.ok(!(await decisions()).some((t) => t.includes('[okta-segment]')), (await decisions()).join(' | '))
    await page.waitForTimeout(300)
    mkdirSync(results, { recursive: true })
    await page.screenshot({ path: join(results, 'demo.png'), fullPage: true })

    // sign-out with okta-auth-js's defaults, back on the demo; Signed Out is one row
    await page.locator('#signout').click()
    await page.waitForURL((u) => u.pathname.endsWith('/v1/logout'))
    await page.waitForURL(demo.url)
    await page.locator('#user[data-state="signed-out"]').waitFor()
    await row('Signed Out')
      .waitFor()
      .catch((e) => {
        throw new Error(e.message + diag())
      })
    await until(async () => (await decisions()).some((t) => /Signed Out/.test(t)), 5_000)
    await page.waitForTimeout(1_500) // a re-send of the Signed Out, if any, has arrived
    assert.equal(await row('Signed Out').count(), 1, `one row for Signed Out${diag()}`)
    const ids = new Set(collected().map((e) => e.messageId))
    assert.equal(await page.locator('#rows tr').count(), ids.size, `one row per messageId${diag()}`)
    await page.screenshot({ path: join(results, 'demo-signed-out.png'), fullPage: true })
    assert.deepEqual(
      lines.filter((l) => l.startsWith('[pageerror]')),
      [],
      diag(),
    )
    assert.deepEqual(context.externalRequests, [], 'nothing left 127.0.0.1')
  } finally {
    await context.close()
  }
})
