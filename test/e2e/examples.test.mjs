// The examples as built by `npm run examples`, each served against the local OpenID Provider and
// Segment collector (examples/serve.mjs): sign in, then out, through the real pages; screenshots
// go to test-results/example-<name>*.png.
// Run: npm run examples && node --test test/e2e/examples.test.mjs
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { USERS } from '../../servers/oidc.mjs'
import { serveExample } from '../../examples/serve.mjs'
import { hasChrome, launchBrowser, loginThroughProvider, newContext, recordConsole } from './browser.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')
const results = join(repo, 'test-results')
const EXAMPLES = ['script-tag', 'vanilla-esm', 'react-spa']
const built = (name) => existsSync(join(repo, 'examples', name, 'dist', 'index.html'))

let browser
before(async () => {
  if (hasChrome()) browser = await launchBrowser()
})
after(() => browser?.close())

describe('examples, signed in and out in Chromium', () => {
  for (const name of EXAMPLES) {
    const skip = !hasChrome()
      ? 'no Chromium'
      : !built(name) && `examples/${name}/dist missing: run \`npm run examples\``
    test(name, { skip }, async () => {
      const served = await serveExample(name)
      const context = await newContext(browser)
      const page = await context.newPage()
      page.setDefaultTimeout(15_000)
      const lines = recordConsole(page)
      const diag = () =>
        `\n--- received ---\n${served.collector.events.map((e) => `${e.type} ${e.event ?? ''} ${e.userId ?? ''}`).join('\n')}\n--- console ---\n${lines.join('\n')}`
      const waitFor = (what, pred) =>
        served.collector.waitFor(pred, 10_000).catch((e) => assert.fail(`${what}: ${e.message}${diag()}`))
      try {
        await page.goto(served.url)
        await page.locator('#status[data-state="signed-out"]').waitFor()
        await page.click('#signin')
        await loginThroughProvider(page, 'alice')
        await page.locator('#status[data-state="signed-in"]').waitFor()
        const identify = await waitFor('identify', (e) => e.type === 'identify')
        await waitFor('Signed In', (e) => e.type === 'track' && e.event === 'Signed In')
        assert.equal(identify.userId, USERS.alice.sub)
        assert.equal(identify.traits.email, 'alice@example.com')
        mkdirSync(results, { recursive: true })
        if (name === 'script-tag') await page.locator('#events', { hasText: 'Signed In' }).waitFor()
        await page.screenshot({ path: join(results, `example-${name}.png`), fullPage: true })

        await page.click('#signout')
        await page.locator('#status[data-state="signed-out"]').waitFor()
        await waitFor('Signed Out', (e) => e.type === 'track' && e.event === 'Signed Out')
        if (name === 'script-tag') await page.locator('#events', { hasText: 'Signed Out' }).waitFor()
        await page.screenshot({ path: join(results, `example-${name}-signed-out.png`), fullPage: true })
        assert.deepEqual(context.externalRequests, [])
        assert.deepEqual(
          lines.filter((l) => l.startsWith('[pageerror]')),
          [],
        )
      } finally {
        await context.close()
        await served.close()
      }
    })
  }
})
