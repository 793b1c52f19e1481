// `npm start`'s demo in real Chromium: sign in, click, renew, reload; the live view shows each
// event as it reached the collector and what each destination received. Saves
// test-results/demo.png (the demo after a real sign-in).
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

test('the demo: sign in, the live view shows what each destination received; screenshot', { skip }, async () => {
  const context = await newContext(browser, { viewport: { width: 1360, height: 860 } })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const lines = recordConsole(page)
  const diag = () => `\n--- console ---\n${lines.join('\n')}\n--- collector ---\n${demo.collector.events.map((e) => `${e.type} ${e.event ?? ''}`).join('\n')}`
  try {
    await page.goto(demo.url)
    await page.locator('#user[data-state="signed-out"]').waitFor()
    await page.locator('#signin-alice').click()
    await loginThroughProvider(page, 'alice')
    await page.waitForURL(demo.url)
    await page.locator('#user[data-state="signed-in"]').waitFor()
    await page.locator('#buy').click()
    await page.locator('#renew').click()
    await until(() => demo.collector.events.some((e) => e.event === 'Clicked Buy'), 10_000)
    await page.locator('#reload').click()
    await page.locator('#user[data-state="signed-in"]').waitFor()
    // the view: the rows, with the three destination columns when filters exist (whether the
    // sign-in's identify arrives is the sign-in scenario's business: signin.test.mjs)
    await page.locator('#rows tr.track', { hasText: 'Clicked Buy' }).waitFor().catch((e) => {
      throw new Error(e.message + diag())
    })
    const identified = await until(async () => (await page.locator('#rows tr.identify').count()) > 0, 5_000)
    const headers = await page.locator('#columns th').allTextContents()
    assert.ok(headers.some((h) => h.startsWith('Segment.io')), headers.join(' | '))
    const filtersExported = (await page.locator('#filters .chip:not(.none)').count()) > 0
    if (filtersExported) {
      assert.equal(headers.length, 5, headers.join(' | '))
      // the Demo CRM column shows the routed drop; the pixel got a hashed e-mail
      await page.locator('#rows tr.track', { hasText: 'Clicked Buy' }).locator('.dropped').first().waitFor()
      if (identified) await until(async () => (await page.locator('#rows tr.identify dd.changed').count()) > 0, 5_000)
    }
    await until(async () => (await page.locator('#log li').count()) >= 2, 5_000)
    await page.waitForTimeout(300)
    mkdirSync(results, { recursive: true })
    await page.screenshot({ path: join(results, 'demo.png'), fullPage: true })
    assert.deepEqual(lines.filter((l) => l.startsWith('[pageerror]')), [], diag())
    assert.deepEqual(context.externalRequests, [], 'nothing left 127.0.0.1')
  } finally {
    await context.close()
  }
})
