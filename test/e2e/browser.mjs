// What the browser tests share beyond the driver layer (drivers/index.mjs): the provider's login
// page, and the console lines of a page.
//
//   const browser = await launch(engine)          // chromium | firefox | webkit
//   const context = await browser.newContext()    // fresh profile (cookies, storage) each time
//   const page = await context.newPage()
//   await loginThroughProvider(page, 'alice')     // on the provider's login page
import assert from 'node:assert/strict'

export { eachEngine, engines, launch } from './drivers/index.mjs'

/** Collect console messages and page errors of a page (for assertion messages). */
export function recordConsole(page) {
  const lines = []
  page.on('console', (m) => lines.push(`[${m.type}] ${m.text}`))
  page.on('pageerror', (message) => lines.push(`[pageerror] ${message}`))
  return lines
}

/**
 * Fill the provider's login page (servers/oidc.mjs: input[name=username], input[name=password],
 * button[type=submit]) and submit. Waits for the login page first (the app must already have
 * started `signInWithRedirect`), and until the browser has left it. Does not wait for the app's
 * callback: do that in the test, e.g. `await page.waitForURL(appOrigin + '/')`.
 * @param {string | { username: string, password?: string }} user  'alice' | 'bob' | {...}
 */
export async function loginThroughProvider(page, user, { timeout = 15_000 } = {}) {
  const username = typeof user === 'string' ? user : user.username
  const password = typeof user === 'string' ? user : (user.password ?? user.username)
  await page.waitForURL(/\/interaction\/[^/]+$/, { timeout })
  await page.waitFor('input[name="password"]', { timeout })
  await page.fill('input[name="username"]', username)
  await page.fill('input[name="password"]', password)
  await page.click('button[type="submit"]', { timeout })
  await page.waitForURL((u) => !/\/interaction\//.test(u.pathname), { timeout })
}

/**
 * Clicks Sign out and waits until the page is back at `back` (a new document there), having been
 * through the provider's logout (`op`'s request log says so: the logout page itself passes too
 * quickly to be seen from outside the browser). Returns the provider's logout requests.
 */
export async function signOutThroughProvider(page, op, back, { button = '#signout' } = {}) {
  const from = op.requests.length
  await page.navigation(() => page.click(button), back)
  const logouts = op.requests.slice(from).filter((r) => r.method === 'GET' && /\/v1\/logout$/.test(r.path))
  assert.ok(logouts.length, `the sign-out did not go through ${op.issuer}/v1/logout`)
  return logouts
}
