// Shared set-up of the browser suite: the servers (OpenID Provider, collector, the test app),
// one browser per engine and test file, and one fresh browser context per scenario.
//
//   eachEngine((engine) => { before(async () => (h = await startHarness(engine))) … })
//   const s = await h.scenario('sign-in')            // fresh context, own writeKey
//   const page = await s.page()
//   await s.signIn(page, 'alice')
//   s.events()                                       // what reached the collector for this scenario
//   await s.close(); await h.close()
import assert from 'node:assert/strict'
import net from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SECOND_CLIENT_ID, startOidc } from '../../servers/oidc.mjs'
import { startCollector } from '../../servers/collector.mjs'
import { VENDOR, scriptRoute, startStatic } from '../../servers/static.mjs'
import { ensureBuilt } from '../../scripts/ensure-built.mjs'
import { launch, loginThroughProvider } from './browser.mjs'

export { eachEngine } from './browser.mjs'

const here = dirname(fileURLToPath(import.meta.url))
export const repo = join(here, '..', '..')
export const results = join(repo, 'test-results')
export const dist = join(repo, 'dist')
export const GLOBAL_BUNDLE = join(dist, 'okta-segment.global.min.js')

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
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

/** A browser's line for a request that failed (Chromium's and the WebKit relay's; Firefox's). */
const FAILED_REQUEST =
  /Failed to load resource|Cross-Origin Request Blocked: .*\(Reason: CORS request did not succeed\)/

/** `identify`, `track:Signed In`, `page`… */
export const label = (e) => `${e.type}${e.event ? `:${e.event}` : ''}`
export const count = (events, what) => events.filter((e) => label(e) === what).length

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
    async scenario(name, overrides = {}) {
      const writeKey = `wk-${name.replace(/\W+/g, '-')}-${Date.now().toString(36)}`
      const keys = new Set([writeKey, ...Object.values(overrides.byOrigin ?? {}).map((o) => o.writeKey)])
      const context = await browser.newContext()
      // `byOrigin` overrides apply to the pages of one origin (a second app) only
      await context.addInitScript(
        (o) => {
          window.APP_OVERRIDES = { ...o, ...o.byOrigin?.[location.origin] }
        },
        { writeKey, ...overrides },
      )
      const pages = []
      const t0 = Date.now()
      const at = () => `${String(Date.now() - t0).padStart(6)} ms`
      const s = {
        name,
        writeKey,
        context,
        /** console lines and page errors of every page of the scenario */
        lines: [],
        /** okta token strings, code/state values and the nonce seen in the scenario */
        secrets: new Set(),
        /** what each page did, in order: navigations, collector requests, the bridge's debug lines */
        timeline: [],
        /** messageId -> label of every event the pages tried to send, in the order first tried */
        attempted: new Map(),
        /** A mark: `s.since(mark)` is then the events first tried after it (a re-send is not new). */
        mark() {
          return new Set(s.attempted.keys())
        },
        since(mark) {
          return uniqueEvents(s.events()).filter((e) => !mark.has(e.messageId))
        },
        async page({ initScript } = {}) {
          const page = await context.newPage()
          if (initScript) await page.addInitScript(initScript)
          const tag = `p${pages.length + 1}`
          page.on('console', ({ type, text, url }) => {
            const from = url.replace(site.origin, '').split('?')[0]
            s.lines.push(`${tag} [${type}] ${text}${from ? `  (${from})` : ''}`)
            if (/okta-segment/.test(text)) s.timeline.push(`${at()} ${tag} ${text}`)
          })
          page.on('pageerror', (message) => s.lines.push(`${tag} [pageerror] ${message}`))
          pages.push(page)
          return page
        },
        /** A request to the collector (collector.on('request')): attempted events, the timeline. */
        sent({ events, from, mode }) {
          const ours = events.filter((e) => keys.has(e.writeKey))
          for (const e of ours) if (!s.attempted.has(e.messageId)) s.attempted.set(e.messageId, label(e))
          for (const e of ours)
            s.timeline.push(
              `${at()} sends ${label(e)} ${String(e.messageId).slice(-6)} anon ${String(e.anonymousId).slice(-6)} from ${from}${mode === 'ok' ? '' : ` (${mode})`}`,
            )
        },
        /** A page of the app asked for (static server): the timeline, and the callback's code and state. */
        navigated(req) {
          const u = new URL(req.url, site.origin)
          if (u.pathname.startsWith('/__e2e/')) return
          s.timeline.push(
            `${at()} at ${u.pathname}${u.search.replace(/([?&](code|state|id_token_hint)=)[^&]+/g, '$1…')}`,
          )
          for (const k of ['code', 'state', 'session_state', 'id_token', 'access_token'])
            if (u.searchParams.get(k)) s.secrets.add(u.searchParams.get(k))
        },
        /** Events that reached the collector for this scenario, in order of arrival. */
        events() {
          return collector.events.filter((e) => e.writeKey === writeKey)
        },
        labels() {
          return s.events().map(label)
        },
        /** Resolves with the first event of this scenario matching pred (waits up to `timeout`). */
        waitFor(pred, timeout = 10_000) {
          return collector
            .waitFor((e) => e.writeKey === writeKey && pred(e), timeout)
            .catch((e) => {
              throw new Error(`${e.message}\nthis scenario: ${s.labels().join(', ')}${s.diag()}`)
            })
        },
        /** Waits until the scenario's events stop changing for `quiet` ms. */
        async settle(quiet = 1_200, max = 15_000) {
          let n = -1
          let since = Date.now()
          for (const end = Date.now() + max; Date.now() < end; await sleep(100)) {
            const m = s.events().length
            if (m !== n) [n, since] = [m, Date.now()]
            else if (Date.now() - since >= quiet) return
          }
        },
        async goHome(page) {
          await page.goto(`${site.url}/`)
          await page.waitFor('#status:not([data-state="loading"])')
        },
        /** Signs in through the provider's login page; returns once the app shows the user. */
        async signIn(page, user = 'alice', { button = '#signin' } = {}) {
          if (!(await page.url()).startsWith(site.origin)) await s.goHome(page)
          await page.click(button)
          await loginThroughProvider(page, user, { timeout: 15_000 })
          await page.waitForURL(`${site.url}/`)
          await page.waitFor('#status[data-state="signed-in"]').catch((e) => {
            throw new Error(e.message + s.diag())
          })
          await s.rememberTokens(page)
        },
        /** Adds the page's current okta tokens (and the nonce) to `secrets`. */
        async rememberTokens(page) {
          const found = await page.evaluate(() => {
            const t = JSON.parse(localStorage.getItem('okta-token-storage') || '{}')
            return [
              t.idToken?.idToken,
              t.accessToken?.accessToken,
              t.refreshToken?.refreshToken,
              t.idToken?.claims?.nonce,
              t.idToken?.claims?.at_hash,
            ]
          })
          for (const v of found) if (v) s.secrets.add(v)
        },
        /**
         * Page errors, and console errors/warnings other than the browser's failed-request lines
         * and analytics-next's own complaints (it logs when it cannot load or send).
         */
        problems() {
          return s.lines.filter(
            (l) =>
              /\[(pageerror|error|warning)\]/.test(l) &&
              !FAILED_REQUEST.test(l.split('\n')[0]) &&
              !/\(\/vendor\/analytics-standalone\.js\)$/.test(l),
          )
        },
        diag() {
          return `\n--- timeline (${engine}, ${name}) ---\n${s.timeline.join('\n')}\n--- browser console ---\n${s.lines.join('\n')}`
        },
        /** Prints the calls made twice and fails on one; see assertNoCallsMadeTwice. */
        assertOnce(events = s.events()) {
          assertNoCallsMadeTwice(engine, name, events, s.diag())
        },
        async bridgeErrors(page) {
          return page.evaluate(() => window.bridgeErrors ?? [])
        },
        async close() {
          open.delete(s)
          await context.close().catch(() => {})
        },
      }
      open.add(s)
      return s
    },
    async close() {
      await Promise.all([...open].map((s) => s.close()))
      await browser.close()
      await Promise.all([op.close(), collector.close(), site.close(), site2?.close()])
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

/**
 * Every place a secret could hide in the scenario's payloads: returns a list of findings
 * (`<event label>: <what>`), empty when clean. Looks for the exact code/state/token/nonce values
 * seen in the browser, any JWT, and OIDC callback parameters in URLs.
 */
export function findSecrets(events, secrets) {
  const found = []
  for (const e of events) {
    const text = JSON.stringify(e)
    for (const v of secrets) if (v && text.includes(v)) found.push(`${label(e)}: contains ${v.slice(0, 12)}…`)
    if (/eyJ[\w-]{2,}\.[\w-]{2,}\./.test(text)) found.push(`${label(e)}: contains a JWT`)
    const m = /[?&#](code|state|session_state|id_token|access_token|nonce)=/.exec(text)
    if (m) found.push(`${label(e)}: a URL with ${m[1]}= (${where(e, m[1])})`)
  }
  return found
}

// The JSON path(s) of the string values that carry `param=`.
function where(e, param) {
  const paths = []
  const walk = (v, p) => {
    if (typeof v === 'string') {
      if (new RegExp(`[?&#]${param}=`).test(v)) paths.push(p)
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k)
  }
  walk(e, '')
  return paths.join(', ')
}

/**
 * The events as Segment stores them: one per messageId. analytics-next delivers at least once
 * (an event in flight when the page navigates away is persisted and sent again on the next
 * load, with the same messageId), and Segment deduplicates on messageId.
 */
export function uniqueEvents(events) {
  const seen = new Set()
  return events.filter((e) => !seen.has(e.messageId) && seen.add(e.messageId))
}

/**
 * Calls made twice: one messageId that reached the collector from two separate calls, told apart by
 * their `timestamp` (analytics-next's own retry of one event keeps its timestamp: not counted here;
 * Segment would keep one of two calls, but a call made twice is the bridge deciding twice).
 * @returns {{ messageId: string, label: string, timestamps: string[] }[]} one entry per extra call
 */
export function callsMadeTwice(events) {
  const byId = new Map()
  for (const e of events) {
    const seen =
      byId.get(e.messageId) ?? byId.set(e.messageId, { label: label(e), timestamps: new Set() }).get(e.messageId)
    seen.timestamps.add(e.timestamp)
  }
  return [...byId]
    .filter(([, v]) => v.timestamps.size > 1)
    .flatMap(([messageId, v]) =>
      [...v.timestamps].slice(1).map(() => ({ messageId, label: v.label, timestamps: [...v.timestamps] })),
    )
}

/**
 * Prints how many calls the scenario made twice (`calls made twice (engine, scenario): N`, which
 * scripts/loop-browser.mjs adds up per engine) and fails when there is one: every call the bridge
 * makes is made once (README rule 1), in every engine.
 */
export function assertNoCallsMadeTwice(engine, scenario, events, why = '') {
  const twice = callsMadeTwice(events)
  const which = twice.map((t) => `${t.label} ${t.messageId.slice(-8)}`).join(', ')
  console.log(`calls made twice (${engine}, ${scenario}): ${twice.length}${which ? ` — ${which}` : ''}`)
  if (twice.length) assert.fail(`calls made twice: ${which}${why}`)
}
