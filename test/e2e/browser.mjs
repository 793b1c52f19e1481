// What the browser tests share beyond the driver layer (drivers/index.mjs): the provider's login
// page, and the console lines of a page.
//
//   const browser = await launch(engine)          // chromium | firefox | webkit
//   const context = await browser.newContext()    // fresh profile (cookies, storage) each time
//   const page = await context.newPage()
//   await loginThroughProvider(page, 'alice')     // on the provider's login page
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
