// Chromium (Debian's /usr/bin/chromium, or CHROME_PATH) through playwright-core, headless.
// Off 127.0.0.1: every http(s)/ws(s) request to another host is aborted inside the browser, before
// any DNS look-up, and recorded in the context's externalRequests.
import { chromium } from 'playwright-core'
import { isLoopback } from './offline.mjs'

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

/** Playwright's own Browser on Debian's Chromium (the bench uses it as it is, with CDP). */
export const launchPlaywright = (binary = process.env.CHROME_PATH || '/usr/bin/chromium') =>
  chromium.launch({ executablePath: binary, headless: !process.env.HEADED, args: CHROME_ARGS })

export async function launch({ binary }) {
  const browser = await launchPlaywright(binary)
  return {
    version: browser.version(),
    async newContext({ viewport }) {
      const context = await browser.newContext({ viewport })
      const externalRequests = []
      await context.route(
        (url) => !isLoopback(url.hostname) && /^(https?|wss?):$/.test(url.protocol),
        (route) => {
          externalRequests.push(route.request().url())
          return route.abort('blockedbyclient')
        },
      )
      return {
        externalRequests,
        addInitScript: (fn, arg) => context.addInitScript(fn, arg),
        newPage: async () => rawPage(await context.newPage()),
        close: () => context.close().catch(() => {}),
      }
    },
    close: () => browser.close().catch(() => {}),
  }
}

/** @param {import('playwright-core').Page} page */
function rawPage(page) {
  return {
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    url: async () => page.url(),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    click: (sel) => page.locator(sel).first().click(),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    addInitScript: (fn, arg) => page.addInitScript(fn, arg),
    onConsole: (fn) => page.on('console', (m) => fn({ type: m.type(), text: m.text(), url: m.location()?.url ?? '' })),
    onPageError: (fn) => page.on('pageerror', (e) => fn(e.message)),
    close: () => page.close().catch(() => {}),
  }
}
