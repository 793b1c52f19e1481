// The script-tag bundle in each engine, in every load order of it, Segment's snippet (and the
// analytics.js it injects) and Okta's CDN bundle, `async`/`defer` included. Each order signs in
// for real through the provider's login page and asserts on what reached the collector.
// The order is forced: a local "CDN" (another origin, CORS, so SRI is checked for real) delays each
// file, and the page records the order in which the scripts ran.
// Run: npm run test:script-tag   (needs `npm run build` first)
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startOidc, USERS } from '../../servers/oidc.mjs'
import { startCollector } from '../../servers/collector.mjs'
import { VENDOR, startStatic } from '../../servers/static.mjs'
import { eachEngine, launch, loginThroughProvider, recordConsole } from './browser.mjs'
import { nameOf, render } from './script-tag/page.mjs'
import { assertNoCallsMadeTwice, sleep, uniqueEvents } from './harness.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')
// SCRIPT_TAG_BUNDLE: test another build of the bundle (default: the one `npm run build` wrote)
const BUNDLE = process.env.SCRIPT_TAG_BUNDLE ?? join(repo, 'dist', 'okta-segment.global.min.js')
const FILES = {
  okta: VENDOR['/vendor/okta-auth-js.min.js'],
  segment: VENDOR['/vendor/analytics-standalone.js'],
  bundle: BUNDLE,
}
let integrity // the bundle's SRI, read once
// Firefox checks the integrity of a download that a navigation cut off (the sign-in redirect
// leaving while the delayed bundle is on its way) and reports the hash of nothing: not a failure.
const EMPTY_SHA384 = createHash('sha384').update('').digest('base64')
const sri = () => (integrity ??= `sha384-${createHash('sha384').update(readFileSync(BUNDLE)).digest('base64')}`)

// Every completion order of the three downloads, all `async`.
const permutations = (xs) =>
  xs.length ? xs.flatMap((x) => permutations(xs.filter((y) => y !== x)).map((p) => [x, ...p])) : [[]]
const STEP = 400
// Where Okta runs last, the bridge and analytics are both ready on /login/callback before
// handleLoginRedirect() navigates away: the bridge must wait for the page the user lands on, as
// calls made there would be cut off by the redirect (the assertions below see any loss).
const SCENARIOS = [
  ...permutations(['okta', 'segment', 'bundle']).map((order) => ({
    id: `async, ran ${order.join(' → ')}`,
    layout: ['snippet', 'app', 'okta', 'bundle'],
    okta: 'async',
    bundle: 'async',
    delays: Object.fromEntries(order.map((n, i) => [n, i * STEP])),
    ran: order,
  })),
  {
    // defer keeps document order even when the bundle arrives first
    id: 'defer, Okta tag before the bundle tag (bundle downloaded first)',
    layout: ['snippet', 'app', 'okta', 'bundle'],
    okta: 'defer',
    bundle: 'defer',
    delays: { okta: STEP, bundle: 0, segment: 2 * STEP },
    ran: ['okta', 'bundle', 'segment'],
  },
  {
    id: 'defer, bundle tag before the Okta tag, analytics.js first',
    layout: ['snippet', 'app', 'bundle', 'okta'],
    okta: 'defer',
    bundle: 'defer',
    // analytics.js is large: under load it needs more than one STEP to arrive and run (WebKit, 1 in 2)
    delays: { segment: 0, bundle: 4 * STEP, okta: 0 },
    ran: ['segment', 'bundle', 'okta'],
  },
  {
    // the bundle runs before the queue line: `window.OktaSegment || []` keeps it, push runs at once
    id: 'blocking tags, bundle first in <head> before the queue line',
    layout: ['bundle', 'snippet', 'app', 'okta'],
    delays: { segment: STEP },
    ran: ['bundle', 'okta', 'segment'],
  },
  {
    // a tag manager adds Segment's snippet last: connect() gets the array the snippet then adopts
    id: "blocking tags, Segment's snippet last in <body>",
    layout: ['app', 'okta', 'bundle', 'body', 'snippet'],
    // connect() gets a bare array (no `ready` stub yet): the bridge queues its own ready call on it
    analytics: '(window.analytics = window.analytics || [])',
    delays: { segment: 2 * STEP },
    ran: ['okta', 'bundle', 'segment'],
  },
  {
    id: 'bundle tag twice (the second one keeps the first instance)',
    layout: ['snippet', 'app', 'okta', 'bundle', 'bundle'],
    okta: 'async',
    bundle: 'async',
    delays: { okta: 0, segment: STEP, bundle: 2 * STEP },
    ran: ['okta', 'segment', 'bundle', 'bundle'],
  },
]

let op, collector, site, cdn, browser
let current // the scenario the servers are serving
let config

const delayed = (name) => (req, res) => {
  const send = () => {
    res.writeHead(200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-store',
      'Access-Control-Allow-Origin': '*',
    })
    res.end(readFileSync(FILES[name]))
  }
  setTimeout(send, current?.delays?.[name] ?? 0)
}

async function startServers(engine) {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} missing: run \`npm run build\` first`)
  collector = await startCollector()
  cdn = await startStatic({
    root: join(here, 'script-tag'),
    routes: {
      '/okta-auth-js.min.js': delayed('okta'),
      '/okta-segment.global.min.js': delayed('bundle'),
      '/analytics.js/v1/': delayed('segment'),
    },
  })
  const page = (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(render(current, { ...config, writeKey: current.writeKey }))
  }
  site = await startStatic({ root: join(here, 'script-tag'), routes: { '/': page, '/login/callback': page } })
  op = await startOidc({ clientOrigins: [site.origin] })
  config = {
    issuer: op.issuer,
    clientId: op.clientId,
    cdn: cdn.url,
    segmentCDN: cdn.url,
    settingsCDN: collector.url,
    apiHost: collector.apiHost,
  }
  browser = await launch(engine)
}

async function stopServers() {
  await browser?.close()
  await Promise.all([op?.close(), collector?.close(), site?.close(), cdn?.close()])
}

/** A fresh profile on the scenario's page; returns the page and its console lines. */
const open = async (scenario) => {
  current = {
    ...scenario,
    writeKey: `key-${SCENARIOS.indexOf(scenario)}-${Date.now()}`,
    integrity: scenario.integrity ?? sri(),
  }
  const context = await browser.newContext()
  const page = await context.newPage()
  const lines = recordConsole(page)
  const events = () => collector.events.filter((e) => e.writeKey === current.writeKey)
  const diag = () =>
    `\n--- events ---\n${events()
      .map((e) => `${e.type} ${e.event ?? ''} ${e.userId ?? ''}`)
      .join('\n')}\n--- console ---\n${lines.join('\n')}`
  return { context, page, lines, events, diag }
}

const signIn = async (page, diag) => {
  await page.goto(`${site.url}/`)
  await page.waitFor('#status[data-state="signed-out"]')
  await page.click('#signin')
  await loginThroughProvider(page, 'alice')
  await page.waitForURL(`${site.url}/`)
  await page.waitFor('#status[data-state="signed-in"]').catch((e) => assert.fail(e.message + diag()))
}

eachEngine((engine) => {
  before(() => startServers(engine))
  after(stopServers)
  describe('every load order, with a real sign-in', () => loadOrders(engine))
  describe('the bundle blocked', bundleBlocked)
})

function loadOrders(engine) {
  for (const scenario of SCENARIOS) {
    test(scenario.id, async () => {
      const { context, page, lines, events, diag } = await open(scenario)
      try {
        await signIn(page, diag)
        const key = current.writeKey
        await collector
          .waitFor((e) => e.writeKey === key && e.type === 'track' && e.event === 'Signed In', 10_000)
          .catch((e) => assert.fail(e.message + diag()))
        await sleep(1_000) // anything more would be a duplicate

        const sent = uniqueEvents(events())
        const identifies = sent.filter((e) => e.type === 'identify')
        const signedIn = sent.filter((e) => e.type === 'track' && e.event === 'Signed In')
        assert.equal(identifies.length, 1, `one identify${diag()}`)
        assert.equal(signedIn.length, 1, `one Signed In${diag()}`)
        assertNoCallsMadeTwice(engine, `script tag, ${scenario.id}`, events(), diag())
        assert.equal(identifies[0].userId, USERS.alice.sub)
        assert.equal(identifies[0].traits.email, 'alice@example.com')
        assert.equal(identifies[0].traits.firstName, 'Alice')
        assert.equal(signedIn[0].userId, USERS.alice.sub)
        for (const e of [...identifies, ...signedIn])
          assert.doesNotMatch(e.context.page.url, /[?&](code|state)=/, 'no OIDC callback parameters')

        const state = await page.evaluate(() => {
          let pushedLater = false
          window.OktaSegment.push(() => (pushedLater = true))
          return {
            loaded: window.__loaded,
            connects: window.__connects,
            connect: typeof window.OktaSegment.connect,
            pushedLater,
          }
        })
        assert.deepEqual(
          state.loaded.map(nameOf).filter(Boolean),
          scenario.ran,
          'the scripts ran in the intended order',
        )
        assert.deepEqual(
          { ...state, loaded: undefined },
          { loaded: undefined, connects: 1, connect: 'function', pushedLater: true },
        )
        // Firefox, now and then: analytics-next's settings request is cut off by the sign-in redirect
        // on a page that is leaving; it logs a failed start and reports it to Segment's own host
        // (refused here). The page the user lands on loaded (the events above arrived).
        const cutOff = lines.some((l) => l.includes('[analytics.js] Failed to load Analytics.js'))
        const ownReport = (u) => cutOff && /^https:\/\/api\.segment\.io(:443|\/v1\/m)$/.test(u)
        assert.deepEqual(
          context.externalRequests.filter((u) => !ownReport(u)),
          [],
          `a page reached beyond 127.0.0.1${diag()}`,
        )
        assert.deepEqual(
          lines.filter(
            (l) =>
              /^\[(pageerror|error)\]/.test(l) &&
              !l.includes(EMPTY_SHA384) &&
              !(cutOff && /\[analytics\.js\] Failed to load|NetworkError when attempting to fetch/.test(l)),
          ),
          [],
        )
        if (cutOff) console.log(`# ${engine}: analytics-next's start was cut off on a page that left (${scenario.id})`)
      } finally {
        await context.close()
      }
    })
  }
}

function bundleBlocked() {
  test('a wrong integrity blocks the bundle; Okta sign-in still works and the queue just waits', async () => {
    const scenario = {
      layout: ['snippet', 'app', 'okta', 'bundle'],
      okta: 'async',
      bundle: 'async',
      delays: {},
      integrity: `sha384-${'A'.repeat(64)}`,
    }
    const { context, page, lines, events, diag } = await open(scenario)
    try {
      await signIn(page, diag)
      await sleep(1_500)
      assert.deepEqual(
        events()
          .filter((e) => e.type !== 'page')
          .map((e) => e.type),
        [],
        'the bridge sent nothing',
      )
      assert.ok(
        events().some((e) => e.type === 'page'),
        `analytics itself still works${diag()}`,
      )
      assert.equal(await page.evaluate(() => Array.isArray(window.OktaSegment) && window.OktaSegment.length), 1)
      // the bundle was served whole: the browser refused it for its integrity
      assert.deepEqual((await page.evaluate(() => window.__failed)).map(nameOf), ['bundle'], diag())
      assert.deepEqual(
        lines.filter((l) => l.startsWith('[pageerror]')),
        [],
      )
    } finally {
      await context.close()
    }
  })
}
