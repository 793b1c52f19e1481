// Shared set-up of the browser suite: the servers (OpenID Provider, collector, the test app),
// one browser per engine and test file, and one fresh browser context per scenario.
//
//   eachEngine((engine) => { before(async () => (h = await startHarness(engine))) … })
//   const s = await h.scenario('sign-in')            // fresh context, own writeKey
//   const page = await s.page()
//   await s.signIn(page, 'alice')
//   s.events()                                       // what reached the collector for this scenario
//   await s.close(); await h.close()
//
// A page of its own (test/e2e/<root>/index.html) with the same servers and one browser page:
//   before(async () => (w = await startPageWorld(engine, { root: 'smoke', global: 'SMOKE', writeKey })))
import net from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SECOND_CLIENT_ID, startOidc } from '../../servers/oidc.mjs'
import { startCollector } from '../../servers/collector.mjs'
import { VENDOR, scriptRoute, startStatic } from '../../servers/static.mjs'
import { ensureBuilt } from '../../scripts/ensure-built.mjs'
import { launch, recordConsole } from './browser.mjs'
import { openScenario, sleep } from './scenario.mjs'

export { eachEngine } from './browser.mjs'
export { sleep } from './scenario.mjs'
export { assertNoCallsMadeTwice, callsMadeTwice, count, findSecrets, label, uniqueEvents } from './events.mjs'

const here = dirname(fileURLToPath(import.meta.url))
export const repo = join(here, '..', '..')
export const results = join(repo, 'test-results')
export const dist = join(repo, 'dist')
export const GLOBAL_BUNDLE = join(dist, 'okta-segment.global.min.js')

export const until = async (fn, ms = 5_000, step = 25) => {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(step)) if (await fn()) return true
  return !!(await fn())
}

/**
 * What a page's analytics holds ({ id, anon }, or null before analytics.js loaded), read from its
 * stores: analytics-next's user().id() would write this page's copy back into the shared storage
 * (getAndSync) and so change what the other tabs hold.
 */
export const held = (page) =>
  page.evaluate(() => {
    const user = typeof window.analytics.user === 'function' ? window.analytics.user() : undefined
    if (!user) return null
    const get = (key) => (user.identityStore ? (user.identityStore.get(key) ?? null) : undefined)
    return { id: get(user.idKey), anon: get('ajs_anonymous_id') }
  })

/**
 * @param {'chromium' | 'firefox' | 'webkit'} engine
 * @param {{ oidc?: object, collector?: object, secondApp?: boolean }} [opts] extra options for startOidc /
 *   startCollector; `secondApp`: a second app (own origin, client id SECOND_CLIENT_ID) as `site2`
 */
export async function startHarness(engine, opts = {}) {
  ensureBuilt()
  const config = {}
  const open = new Set()
  const collector = await startCollector(opts.collector)
  // what the pages sent and where they went, read at the servers (the same in every engine)
  collector.on('request', (r) => {
    for (const s of open) s.sent(r)
  })
  const app = (extra = {}) =>
    startStatic({
      root: join(here, 'app'),
      onRequest: (req) => /text\/html/.test(req.headers.accept ?? '') && [...open].forEach((s) => s.navigated(req)),
      routes: {
        '/dist/': dist,
        ...VENDOR,
        // a script a blocker refuses (APP.analyticsSrc = '/blocked/…'): the connection just closes
        '/blocked/': (req) => req.socket.destroy(),
        '/config.js': scriptRoute(
          () => `window.APP = Object.assign(${JSON.stringify({ ...config, ...extra })}, window.APP_OVERRIDES || {});`,
        ),
      },
    })
  const site = await app()
  // opts.secondApp: another app of the same company (its own origin and client id), same provider
  const site2 = opts.secondApp ? await app({ clientId: SECOND_CLIENT_ID }) : undefined
  const op = await startOidc({ clientOrigins: [site.origin, ...(site2 ? [site2.origin] : [])], ...opts.oidc })
  Object.assign(config, {
    issuer: op.issuer,
    clientId: op.clientId,
    writeKey: 'test-write-key',
    debug: true, // the bridge's decisions go to the console, and so into each scenario's timeline
    cdnURL: collector.cdnURL,
    apiHost: collector.apiHost,
  })
  const browser = await launch(engine).catch(async (e) => {
    await Promise.all([op.close(), collector.close(), site.close(), site2?.close()])
    throw e
  })

  return {
    engine,
    op,
    collector,
    site,
    site2,
    browser,
    config,
    /**
     * A fresh browser context (own storage, cookies, BroadcastChannel scope) with its own writeKey,
     * so that what reached the collector can be told apart per scenario.
     * @param {string} name
     * @param {object} [overrides] merged into window.APP (e.g. { bundle: 'global' })
     */
    scenario(name, overrides = {}) {
      return openScenario({ engine, browser, collector, site, open }, name, overrides)
    },
    async close() {
      await Promise.all([...open].map((s) => s.close()))
      await browser.close()
      await Promise.all([op.close(), collector.close(), site.close(), site2?.close()])
    },
  }
}

/**
 * The provider, the collector, a static site serving test/e2e/<root> (with /vendor/ and /dist/), a
 * browser and one page in a fresh context. The page's /config.js sets `window[global]` to
 * { issuer, clientId, writeKey, cdnURL, apiHost, collectorURL }.
 * @param {'chromium' | 'firefox' | 'webkit'} engine
 * @param {{ root: string, global: string, writeKey: string }} what
 */
export async function startPageWorld(engine, { root, global, writeKey }) {
  const config = {}
  const collector = await startCollector()
  const site = await startStatic({
    root: join(here, root),
    routes: {
      ...VENDOR,
      '/dist/': dist,
      '/config.js': scriptRoute(() => `window.${global} = ${JSON.stringify(config)};`),
    },
  })
  const op = await startOidc({ clientOrigins: [site.origin] })
  const { cdnURL, apiHost, url: collectorURL } = collector
  Object.assign(config, { issuer: op.issuer, clientId: op.clientId, writeKey, cdnURL, apiHost, collectorURL })
  const servers = () => Promise.all([op.close(), collector.close(), site.close()])
  const browser = await launch(engine).catch(async (e) => {
    await servers()
    throw e
  })
  const context = await browser.newContext()
  const page = await context.newPage()
  page.timeout = 10_000
  const consoleLines = recordConsole(page)
  return {
    op,
    collector,
    site,
    browser,
    context,
    page,
    consoleLines,
    diag: () => `\n--- browser console ---\n${consoleLines.join('\n')}`,
    async close() {
      await browser.close()
      await servers()
    },
  }
}

/** A port on 127.0.0.1 where nothing listens (a connection to it is refused). */
export async function closedPort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}
