// One scenario of the browser suite: a fresh browser context with its own writeKey, its pages,
// what they sent and did (the timeline), the secrets they saw, and the checks on them. Opened by
// `h.scenario(name)` (test/e2e/harness.mjs).
import { loginThroughProvider } from './browser.mjs'
import { assertNoCallsMadeTwice, label, uniqueEvents } from './events.mjs'

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** A browser's line for a request that failed (Chromium's and the WebKit relay's; Firefox's). */
const FAILED_REQUEST =
  /Failed to load resource|Cross-Origin Request Blocked: .*\(Reason: CORS request did not succeed\)/

/**
 * @param {{ engine: string, browser: object, collector: object, site: object, open: Set<object> }} h
 *   the harness's parts; `open`: its scenarios not yet closed (each is told of collector requests
 *   and page loads)
 * @param {string} name
 * @param {object} [overrides] merged into window.APP (e.g. { bundle: 'global' })
 */
export async function openScenario({ engine, browser, collector, site, open }, name, overrides = {}) {
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
      s.timeline.push(`${at()} at ${u.pathname}${u.search.replace(/([?&](code|state|id_token_hint)=)[^&]+/g, '$1…')}`)
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
}
