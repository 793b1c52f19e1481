// The script-tag bundle under a strict Content-Security-Policy, in each engine:
//   script-src 'self'; object-src 'none'; require-trusted-types-for 'script'
// A real OktaAuth (Okta's CDN bundle, offline) signs in and out through the bridge, a filter on,
// and hashTraits runs (WebCrypto); no violation may be reported, by the page's
// `securitypolicyviolation` listener nor to the policy's report-uri. A control page proves the policy
// is enforced and that both channels see a violation.
// In WebKit the page also loads the driver's relay (/__e2e/page.js, same origin: 'self' allows it).
// Run: npm run build && node --test test/e2e/csp.test.mjs
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { VENDOR, startStatic } from '../../servers/static.mjs'
import { eachEngine, launch, recordConsole } from './browser.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')
const BUNDLE = process.env.SCRIPT_TAG_BUNDLE ?? join(repo, 'dist', 'okta-segment.global.min.js')
const POLICY = "script-src 'self'; object-src 'none'; require-trusted-types-for 'script'; report-uri /csp-report"

eachEngine((engine) => {
  let server
  let browser
  const reports = []
  before(async () => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} missing: run \`npm run build\` first`)
    server = await startStatic({
      root: join(here, 'csp'),
      spaFallback: false,
      headers: { 'Content-Security-Policy': POLICY },
      routes: {
        '/okta-segment.global.min.js': BUNDLE,
        '/okta-auth-js.min.js': VENDOR['/vendor/okta-auth-js.min.js'],
        '/csp-report': (req, res) => {
          let body = ''
          req.on('data', (c) => (body += c))
          req.on('end', () => {
            reports.push(body)
            res.writeHead(204).end()
          })
        },
      },
    })
    browser = await launch(engine)
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  const open = async (path) => {
    const served = await fetch(`${server.url}${path}`)
    assert.equal(served.headers.get('content-security-policy'), POLICY)
    const context = await browser.newContext()
    const page = await context.newPage()
    const lines = recordConsole(page)
    await page.goto(`${server.url}${path}`)
    return { context, page, lines }
  }
  const settleReports = () => new Promise((r) => setTimeout(r, 300)) // report-uri posts are asynchronous

  test('control: the policy is enforced, and both channels report a violation', async () => {
    reports.length = 0
    const { context, page } = await open('/control.html')
    assert.match(await page.evaluate(() => window.__evalBlocked), /EvalError|unsafe-eval/)
    // Chromium and WebKit name the Trusted Type; Firefox says "Sink type mismatch violation"
    const trustedTypes = /TrustedScriptURL|Trusted Type|Sink type mismatch/
    assert.match(await page.evaluate(() => window.__trustedTypesBlocked), trustedTypes)
    assert.ok((await page.evaluate(() => window.__violations.length)) >= 2)
    await settleReports()
    assert.ok(reports.length >= 1, 'the report-uri receives violations')
    await context.close()
  })

  test('the script-tag bundle, a real OktaAuth and filters run with no violation', async () => {
    reports.length = 0
    const { context, page, lines } = await open('/index.html')
    const result = await page.evaluate(() => window.__result)
    const violations = await page.evaluate(() => window.__violations)
    await settleReports()
    assert.deepEqual(violations, [], `violations: ${JSON.stringify(violations)}\n${lines.join('\n')}`)
    assert.deepEqual(reports, [])
    assert.deepEqual(
      lines.filter((l) => /Content Security Policy|Trusted Type|Refused to/i.test(l)),
      [],
    )
    // The bridge really ran: identify (phone dropped by the filter), Signed In, Signed Out, reset.
    assert.deepEqual(result.errors, [])
    assert.deepEqual(
      result.calls.map((c) => (c[0] === 'track' ? `track:${c[1]}` : c[0])),
      ['identify', 'track:Signed In', 'track:Signed Out', 'reset'],
    )
    assert.deepEqual(result.calls[0][2], { email: 'csp@example.com', name: 'Csp User' })
    assert.equal(result.middleware, 2) // the clean page context's source middleware, and the filters'
    // SHA-256 of 'csp@example.com' (trimmed, lower-cased)
    assert.equal(result.hashed, createHash('sha256').update('csp@example.com').digest('hex'))
    await context.close()
  })
})
