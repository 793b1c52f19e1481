// Shared set-up of the browser suite: the servers (OpenID Provider, collector, the test app),
// one Chromium per test file, and one fresh browser context per scenario.
//
//   const h = await startHarness()                  // in before()
//   const s = await h.scenario('sign-in')            // fresh context, own writeKey
//   const page = await s.page()
//   await s.signIn(page, 'alice')
//   s.events()                                       // what reached the collector for this scenario
//   await s.close(); await h.close()
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SECOND_CLIENT_ID, startOidc } from '../../servers/oidc.mjs'
import { startCollector } from '../../servers/collector.mjs'
import { VENDOR, scriptRoute, startStatic } from '../../servers/static.mjs'
import { ensureBuilt } from '../../scripts/ensure-built.mjs'
import { hasChrome, launchBrowser, loginThroughProvider, newContext } from './browser.mjs'

const here = dirname(fileURLToPath(import.meta.url))
export const repo = join(here, '..', '..')
export const results = join(repo, 'test-results')
export const dist = join(repo, 'dist')
export const skip = !hasChrome() && 'no Chromium (apt-get install -y chromium or set CHROME_PATH)'
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

/** `identify`, `track:Signed In`, `page`… */
export const label = (e) => `${e.type}${e.event ? `:${e.event}` : ''}`
export const count = (events, what) => events.filter((e) => label(e) === what).length

/**
 * @param {{ oidc?: object, collector?: object, secondApp?: boolean }} [opts] extra options for startOidc /
 *   startCollector; `secondApp`: a second app (own origin, client id SECOND_CLIENT_ID) as `site2`
 */
export async function startHarness(opts = {}) {
  ensureBuilt()
  const config = {}
  const collector = await startCollector(opts.collector)
  const app = (extra = {}) =>
    startStatic({
      root: join(here, 'app'),
      routes: {
        '/dist/': dist,
        ...VENDOR,
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
  const browser = await launchBrowser()
  const open = new Set()

  return {
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
      const context = await newContext(browser)
      // `byOrigin` overrides apply to the pages of one origin (a second app) only
      await context.addInitScript(
        (o) => {
          window.APP_OVERRIDES = { ...o, ...o.byOrigin?.[location.origin] }
        },
        { writeKey, ...overrides },
      )
      const pages = []
      const t0 = Date.now()
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
          page.setDefaultTimeout(15_000)
          if (initScript) await page.addInitScript(initScript)
          const tag = `p${pages.length + 1}`
          page.on('console', (m) => {
            const from = (m.location()?.url ?? '').replace(site.origin, '').split('?')[0]
            s.lines.push(`${tag} [${m.type()}] ${m.text()}${from ? `  (${from})` : ''}`)
          })
          page.on('pageerror', (e) => s.lines.push(`${tag} [pageerror] ${e.message}`))
          const at = () => `${String(Date.now() - t0).padStart(6)} ms ${tag}`
          page.on('console', (m) => /okta-segment/.test(m.text()) && s.timeline.push(`${at()} ${m.text()}`))
          page.on('request', (r) => {
            if (r.method() !== 'POST' || !r.url().startsWith(`${collector.url}/v1/`)) return
            let b = {}
            try {
              b = JSON.parse(r.postData() ?? '{}')
            } catch {
              // not JSON: not an event
            }
            for (const e of b.batch ?? [b]) if (!s.attempted.has(e.messageId)) s.attempted.set(e.messageId, label(e))
            s.timeline.push(
              `${at()} sends ${b.type}${b.event ? `:${b.event}` : ''} ${String(b.messageId).slice(-6)} from ${page.url().replace(site.origin, '')}`,
            )
          })
          page.on('requestfailed', (r) => {
            if (r.url().startsWith(collector.url))
              s.timeline.push(`${at()} request ${r.url().replace(collector.url, '')} ${r.failure()?.errorText}`)
          })
          page.on('framenavigated', (f) => {
            if (f !== page.mainFrame()) return
            s.timeline.push(
              `${at()} at ${f
                .url()
                .replace(site.origin, '')
                .replace(/([?&](code|state|id_token_hint)=)[^&]+/g, '$1…')}`,
            )
            const u = new URL(f.url())
            for (const k of ['code', 'state', 'session_state', 'id_token', 'access_token'])
              if (u.searchParams.get(k) && f.url().startsWith(site.origin)) s.secrets.add(u.searchParams.get(k))
          })
          pages.push(page)
          return page
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
          await page.locator('#status:not([data-state="loading"])').waitFor()
        },
        /** Signs in through the provider's login page; returns once the app shows the user. */
        async signIn(page, user = 'alice', { button = '#signin' } = {}) {
          if (!/^http/.test(page.url()) || !page.url().startsWith(site.origin)) await s.goHome(page)
          await page.locator(button).click()
          await loginThroughProvider(page, user, { timeout: 15_000 })
          await page.waitForURL(`${site.url}/`)
          await page
            .locator('#status[data-state="signed-in"]')
            .waitFor()
            .catch((e) => {
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
              !/Failed to load resource/.test(l.split('\n')[0]) &&
              !/\(\/vendor\/analytics-standalone\.js\)$/.test(l),
          )
        },
        diag() {
          return `\n--- timeline (${name}) ---\n${s.timeline.join('\n')}\n--- browser console ---\n${s.lines.join('\n')}`
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
      await browser.close().catch(() => {})
      await Promise.all([op.close(), collector.close(), site.close(), site2?.close()])
    },
  }
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
