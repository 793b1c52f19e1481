// The examples as built by `npm run examples`, each served against the local OpenID Provider and
// Segment collector (examples/serve.mjs): sign in, then out, through the real pages; screenshots
// go to test-results/example-<name>-<engine>*.png; in each engine.
// Run: npm run examples && node --test test/e2e/examples.test.mjs
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { USERS } from '../../servers/oidc.mjs'
import { serveExample } from '../../examples/serve.mjs'
import { eachEngine, launch, loginThroughProvider, recordConsole } from './browser.mjs'
import { assertNoCallsMadeTwice } from './harness.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')
const results = join(repo, 'test-results')
const EXAMPLES = ['script-tag', 'vanilla-esm', 'react-spa']
const built = (name) => existsSync(join(repo, 'examples', name, 'dist', 'index.html'))

eachEngine((engine) => {
  let browser
  before(async () => (browser = await launch(engine)))
  after(() => browser?.close())
  for (const name of EXAMPLES) {
    const skip = !built(name) && `examples/${name}/dist missing: run \`npm run examples\``
    test(name, { skip }, () => signInAndOut(engine, browser, name))
  }
})

async function signInAndOut(engine, browser, name) {
  const served = await serveExample(name)
  const context = await browser.newContext()
  const page = await context.newPage()
  const lines = recordConsole(page)
  const diag = () =>
    `\n--- received ---\n${served.collector.events.map((e) => `${e.type} ${e.event ?? ''} ${e.userId ?? ''}`).join('\n')}\n--- console ---\n${lines.join('\n')}`
  const waitFor = (what, pred) =>
    served.collector.waitFor(pred, 10_000).catch((e) => assert.fail(`${what}: ${e.message}${diag()}`))
  try {
    await page.goto(served.url)
    await page.waitFor('#status[data-state="signed-out"]')
    await page.click('#signin')
    await loginThroughProvider(page, 'alice')
    await page.waitFor('#status[data-state="signed-in"]')
    const identify = await waitFor('identify', (e) => e.type === 'identify')
    await waitFor('Signed In', (e) => e.type === 'track' && e.event === 'Signed In')
    assert.equal(identify.userId, USERS.alice.sub)
    assert.equal(identify.traits.email, 'alice@example.com')
    mkdirSync(results, { recursive: true })
    if (name === 'script-tag') await page.waitFor('#events', { hasText: 'Signed In' })
    await page.screenshot(join(results, `example-${name}-${engine}.png`))

    await page.click('#signout')
    await page.waitFor('#status[data-state="signed-out"]')
    await waitFor('Signed Out', (e) => e.type === 'track' && e.event === 'Signed Out')
    if (name === 'script-tag') await page.waitFor('#events', { hasText: 'Signed Out' })
    await page.screenshot(join(results, `example-${name}-${engine}-signed-out.png`))
    assertNoCallsMadeTwice(engine, `example ${name}`, served.collector.events, diag())
    assert.deepEqual(context.externalRequests, [])
    assert.deepEqual(
      lines.filter((l) => l.startsWith('[pageerror]')),
      [],
    )
  } finally {
    await context.close()
    await served.close()
  }
}
