// One driver layer for the browser suite, so that each test is written once and runs in Chromium,
// Firefox and WebKit (all from Debian's packages; nothing is downloaded by a test runner):
//
//   for (const engine of engines()) describe(engine, () => { ... })  // BROWSERS=chromium,firefox,webkit
//   const browser = await launch(engine)        // throws, with the install command, when it is missing
//   const context = await browser.newContext()  // a fresh profile: own cookies, storage, BroadcastChannel
//   await context.addInitScript(fn, arg)        // runs before the page's own scripts, in every page opened after
//   const page = await context.newPage()        // a window of its own, visible (see page.mjs for its methods)
//   context.externalRequests                    // what the pages asked of any host but 127.0.0.1 (refused)
//
// chromium.mjs: playwright-core. firefox.mjs: puppeteer-core over WebDriver BiDi. webkit.mjs:
// WebKitWebDriver (classic WebDriver) and MiniBrowser under Xvfb.
import { existsSync } from 'node:fs'
import http from 'node:http'
import { describe } from 'node:test'
import { wrapPage } from './page.mjs'

const ENGINES = {
  chromium: {
    binaries: () => [process.env.CHROME_PATH || '/usr/bin/chromium'],
    install: 'apt-get install -y chromium (or set CHROME_PATH)',
    driver: () => import('./chromium.mjs'),
  },
  firefox: {
    binaries: () => [process.env.FIREFOX_PATH || '/usr/bin/firefox-esr'],
    install: 'apt-get install -y firefox-esr (or set FIREFOX_PATH)',
    driver: () => import('./firefox.mjs'),
  },
  webkit: {
    binaries: () => [process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver', '/usr/bin/Xvfb'],
    install: 'apt-get install -y webkit2gtk-driver xvfb xauth (or set WEBKIT_DRIVER_PATH)',
    driver: () => import('./webkit.mjs'),
  },
}

/** The engines to run: `BROWSERS` (comma-separated), all three by default. An unknown name throws. */
export function engines() {
  const chosen = (process.env.BROWSERS || Object.keys(ENGINES).join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = chosen.filter((e) => !ENGINES[e])
  if (unknown.length) throw new Error(`BROWSERS: unknown ${unknown.join(', ')}; choose from ${Object.keys(ENGINES)}`)
  return chosen
}

/** `fn(engine)` inside a `describe(engine)` for each engine of `engines()`. */
export function eachEngine(fn) {
  for (const engine of engines()) describe(engine, () => fn(engine))
}

/**
 * Launch one engine. A missing engine is an error that says how to install it (never a skip).
 * Prints which of requestIdleCallback, navigator.locks and BroadcastChannel its pages have.
 * @param {'chromium' | 'firefox' | 'webkit'} engine
 */
export async function launch(engine) {
  const spec = ENGINES[engine]
  if (!spec) throw new Error(`unknown engine ${engine}; choose from ${Object.keys(ENGINES)}`)
  const missing = spec.binaries().filter((b) => !existsSync(b))
  if (missing.length) throw new Error(`${engine}: ${missing.join(', ')} not found; install it: ${spec.install}`)
  const raw = await (await spec.driver()).launch({ binary: spec.binaries()[0] })
  const browser = {
    engine,
    version: raw.version,
    /** @param {{ viewport?: { width: number, height: number } }} [opts] */
    async newContext(opts = {}) {
      const context = await raw.newContext({ viewport: { width: 1000, height: 720 }, ...opts })
      return {
        /** what the pages asked of hosts other than 127.0.0.1 (all refused) */
        get externalRequests() {
          return context.externalRequests
        },
        addInitScript: (fn, arg) => context.addInitScript(fn, arg),
        newPage: async () => wrapPage(await context.newPage()),
        close: () => context.close(),
      }
    },
    close: () => raw.close(),
  }
  try {
    browser.features = await probe(browser)
  } catch (e) {
    await browser.close().catch(() => {})
    throw e
  }
  const yes = (k) => `${k} ${browser.features[k] ? 'yes' : 'NO'}`
  console.log(`# ${engine} ${raw.version}: ${Object.keys(browser.features).map(yes).join(', ')}`)
  return browser
}

/** What a page on http://127.0.0.1 (a secure context) has of the APIs the bridge chooses between. */
async function probe(browser) {
  const server = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>probe'))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.goto(`http://127.0.0.1:${server.address().port}/`)
    return await page.evaluate(() => ({
      requestIdleCallback: typeof window.requestIdleCallback === 'function',
      'navigator.locks': !!navigator.locks,
      BroadcastChannel: typeof window.BroadcastChannel === 'function',
    }))
  } finally {
    await context.close()
    server.close()
  }
}
