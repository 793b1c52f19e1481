// Real Chromium for the browser suite, driven by playwright-core (never downloads a browser).
//
//   const browser = await launchBrowser()
//   const context = await newContext(browser)     // fresh profile (cookies, storage) each time
//   const page = await context.newPage()
//   await loginThroughProvider(page, 'alice')     // on the provider's login page
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

function chromePath() {
  return process.env.CHROME_PATH || '/usr/bin/chromium'
}

/** true when a Chromium binary is present (tests can `skip` otherwise). */
export function hasChrome() {
  return existsSync(chromePath())
}

/**
 * Launch Chromium headless. Every `browser.newContext()` is an isolated, fresh profile
 * (incognito-like: own cookies, localStorage, BroadcastChannel scope).
 * @param {import('playwright-core').LaunchOptions} [opts]
 */
export async function launchBrowser(opts = {}) {
  const executablePath = chromePath()
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}; apt-get install -y chromium or set CHROME_PATH`)
  }
  return chromium.launch({
    executablePath,
    headless: process.env.HEADED ? false : true,
    ...opts,
    args: [...CHROME_ARGS, ...(opts.args ?? [])],
  })
}

/**
 * A fresh context that may only talk to 127.0.0.1/localhost: any other request is aborted and
 * recorded in `context.externalRequests` (so a test can assert nothing left the machine).
 * @param {import('playwright-core').Browser} browser
 * @param {import('playwright-core').BrowserContextOptions} [opts]
 */
export async function newContext(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 720 }, ...opts })
  const external = []
  await context.route(
    (url) => !/^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname) && /^(https?|wss?):$/.test(url.protocol),
    (route) => {
      external.push(route.request().url())
      return route.abort('blockedbyclient')
    },
  )
  context.externalRequests = external
  return context
}

/** Collect console messages and page errors of a page (for assertion messages). */
export function recordConsole(page) {
  const lines = []
  page.on('console', (m) => lines.push(`[${m.type()}] ${m.text()}`))
  page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`))
  return lines
}

/**
 * Fill the provider's login page (servers/oidc.mjs: input[name=username], input[name=password],
 * button[type=submit]) and submit. Waits for the login page first (the app must already have
 * started `signInWithRedirect`). Does not wait for the app's callback: do that in the test,
 * e.g. `await page.waitForURL(appOrigin + '/**')`.
 * @param {import('playwright-core').Page} page
 * @param {string | { username: string, password?: string }} user  'alice' | 'bob' | {...}
 */
export async function loginThroughProvider(page, user, { timeout = 10_000 } = {}) {
  const username = typeof user === 'string' ? user : user.username
  const password = typeof user === 'string' ? user : (user.password ?? user.username)
  await page.waitForURL(/\/interaction\/[^/]+$/, { timeout })
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(password)
  await Promise.all([
    page.waitForURL((u) => !/\/interaction\//.test(u.pathname), { timeout }),
    page.locator('button[type="submit"]').click(),
  ])
}
