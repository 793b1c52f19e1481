// The page every test uses, the same in each engine. A driver gives the primitives (goto, reload,
// url, evaluate, click, screenshot, addInitScript, onConsole, onPageError, close); everything that
// waits or reads the DOM is written here once, through evaluate(), so that it means the same thing
// in Chromium, Firefox and WebKit:
//
//   await page.goto(url)                            // resolves once the page has loaded
//   await page.click('#signin')                     // waits until it is visible, then a real click
//   await page.fill('input[name="username"]', 'alice')
//   await page.waitFor('#status[data-state="signed-in"]', { timeout: 15_000 })
//   await page.waitFor('#rows tr', { hasText: 'Clicked Buy' })   // state: 'visible' (default) | 'attached'
//   await page.count('#rows tr', { hasText: 'Signed Out' }); await page.text('#clicks')
//   await page.waitForURL(`${origin}/`)             // a string (exact), a RegExp or (URL) => boolean
//   await page.navigation(() => page.click('#signout'), `${origin}/`)   // a new document there
//   page.on('console', ({ type, text, url }) => …); page.on('pageerror', (message) => …)

/** The elements matching `sel` (and containing `hasText`), read in the page. */
function inPage({ sel, hasText, what, name }) {
  const all = [...document.querySelectorAll(sel)].filter((e) => !hasText || e.textContent.includes(hasText))
  const visible = (e) => e.getClientRects().length > 0 && window.getComputedStyle(e).visibility !== 'hidden'
  if (what === 'count') return all.length
  if (what === 'visible') return all.some(visible)
  if (what === 'texts') return all.map((e) => e.textContent)
  if (!all.length) return null
  if (what === 'text') return all[0].textContent
  if (what === 'innerText') return all[0].innerText
  return all[0].getAttribute(name)
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** A page's primitives -> the page the tests use. */
export function wrapPage(raw) {
  const page = {
    /** default wait of waitFor, click and waitForURL */
    timeout: 15_000,
    goto: (url) => raw.goto(url),
    reload: () => raw.reload(),
    url: () => raw.url(),
    evaluate: (fn, arg) => raw.evaluate(fn, arg),
    screenshot: (path) => raw.screenshot(path),
    addInitScript: (fn, arg) => raw.addInitScript(fn, arg),
    close: () => raw.close(),
    on(event, fn) {
      if (event === 'console') raw.onConsole(fn)
      else if (event === 'pageerror') raw.onPageError(fn)
      else throw new Error(`page.on: no ${event} event in the driver layer`)
    },
    read: (sel, what, { hasText, name } = {}) => raw.evaluate(inPage, { sel, hasText, what, name: name ?? null }),
    count: (sel, opts) => page.read(sel, 'count', opts),
    text: (sel, opts) => page.read(sel, 'text', opts),
    innerText: (sel, opts) => page.read(sel, 'innerText', opts),
    texts: (sel, opts) => page.read(sel, 'texts', opts),
    attr: (sel, name) => page.read(sel, 'attr', { name }),
    /** Waits until `sel` (with `hasText`) is visible, or only in the DOM with `state: 'attached'`. */
    async waitFor(sel, { hasText, state = 'visible', timeout = page.timeout } = {}) {
      const what = state === 'attached' ? 'count' : 'visible'
      const ok = await poll(() => page.read(sel, what, { hasText }).then((v) => !!v), timeout)
      if (!ok)
        throw new Error(`waitFor ${sel}${hasText ? ` with "${hasText}"` : ''} (${state}): not within ${timeout} ms`)
    },
    async click(sel, { timeout = page.timeout } = {}) {
      await page.waitFor(sel, { timeout })
      await raw.click(sel)
    },
    fill: (sel, value) =>
      raw.evaluate(
        ({ sel, value }) => {
          const e = document.querySelector(sel)
          e.value = value
          e.dispatchEvent(new window.Event('input', { bubbles: true }))
          e.dispatchEvent(new window.Event('change', { bubbles: true }))
        },
        { sel, value },
      ),
    /**
     * Runs `action` (a click that navigates, however many redirects follow) and waits until a new
     * document is at `match` and has loaded: a page seen only in passing (a provider's logout
     * page) is checked at the server, not here.
     */
    async navigation(action, match, { timeout = page.timeout } = {}) {
      const mark = `doc-${Math.random()}`
      await raw.evaluate((m) => void (window.__e2eDocument = m), mark)
      await action()
      const left = () => raw.evaluate((m) => window.__e2eDocument !== m, mark)
      await page.waitForURL(match, { timeout, also: left })
    },
    /** Waits until the page is at `match` and has loaded. */
    async waitForURL(match, { timeout = page.timeout, also = async () => true } = {}) {
      const test =
        typeof match === 'string'
          ? (u) => u.href === match
          : match instanceof RegExp
            ? (u) => match.test(u.href)
            : match
      let last = ''
      const at = async () => {
        last = await raw.url()
        if (!/^https?:/.test(last) || !test(new URL(last))) return false
        return (await raw.evaluate(() => document.readyState)) === 'complete' && (await also())
      }
      if (!(await poll(at, timeout))) throw new Error(`waitForURL ${match}: still at ${last} after ${timeout} ms`)
    },
  }
  return page
}

/** true once `fn()` resolves truthy; a throw (the page navigating) counts as not yet. */
async function poll(fn, timeout, step = 50) {
  for (const end = Date.now() + timeout; ; await sleep(step)) {
    const ok = await fn().catch(() => false)
    if (ok) return true
    if (Date.now() > end) return false
  }
}
