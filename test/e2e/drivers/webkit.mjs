// WebKit: WebKitGTK's MiniBrowser, started by WebKitWebDriver (Debian's webkit2gtk-driver, classic
// WebDriver), under an Xvfb of its own. A context is a session (MiniBrowser in automation mode keeps
// its data in memory: a fresh profile each time), a page a window of its own (a tab in the background
// is hidden; a window is not). Off 127.0.0.1: MiniBrowser's proxy is the dead end in offline.mjs,
// loopback exempt. Console and init scripts: relay.mjs (classic WebDriver has neither).
import { writeFileSync } from 'node:fs'
import { LOOPBACK, startDeadEnd } from './offline.mjs'
import { openRelay } from './relay.mjs'
import { executeScript, newSession, startDriver, startXvfb } from './webdriver.mjs'

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'
let contexts = 0

export async function launch({ binary }) {
  const x = await startXvfb()
  const deadEnd = await startDeadEnd()
  const open = new Set()
  const browser = {
    version: 'WebKitGTK',
    async newContext({ viewport }) {
      const context = await newContext({ binary, display: x.display, deadEnd, viewport })
      browser.version = `WebKitGTK ${context.version}`
      open.add(context)
      const close = context.close
      context.close = () => (open.delete(context), close())
      return context
    },
    async close() {
      await Promise.all([...open].map((c) => c.close()))
      await deadEnd.close()
      x.stop()
    },
  }
  return browser
}

async function newContext({ binary, display, deadEnd, viewport }) {
  const id = `wk${process.pid}x${++contexts}`
  const { driver, session } = await startSession(binary, display, deadEnd)
  const relay = await openRelay(id)
  const since = deadEnd.seen.length
  const first = await session.cmd('GET', '/window')
  await session.cmd('POST', '/url', { url: relay.hello })
  let pages = 0
  return {
    version: session.capabilities.browserVersion,
    get externalRequests() {
      return deadEnd.seen.slice(since)
    },
    addInitScript: async (fn, arg) => relay.addInitScript(fn, arg),
    async newPage() {
      const handle = ++pages === 1 ? first : (await session.cmd('POST', '/window/new', { type: 'window' })).handle
      const page = rawPage(session, handle, relay.tab(`${id}-p${pages}`), `${id}-p${pages}`)
      await page.setViewport(viewport)
      return page
    },
    async close() {
      await session.close()
      driver.stop()
      relay.close()
    },
  }
}

// The proxy goes to MiniBrowser through the environment (GLib reads http_proxy, https_proxy and
// no_proxy): with WebDriver's proxy capability instead, about 1 new session in 5 never started here.
// A session that does not start in 20 s is started again, saying so (3 tries).
async function startSession(binary, display, deadEnd) {
  const proxy = `http://127.0.0.1:${deadEnd.port}`
  const env = { http_proxy: proxy, https_proxy: proxy, no_proxy: LOOPBACK.join(',') }
  for (let attempt = 1; ; attempt++) {
    const driver = await startDriver(binary, display, env)
    try {
      const capabilities = {
        'webkitgtk:browserOptions': { args: ['--automation'] },
        timeouts: { script: 30_000, pageLoad: 60_000, implicit: 0 },
      }
      return { driver, session: await newSession(driver.url, capabilities, { timeout: 20_000 }) }
    } catch (e) {
      driver.stop()
      if (attempt === 3) throw e
      console.log(`# webkit: no session from WebKitWebDriver (${e.message}); starting it again`)
    }
  }
}

function rawPage(session, handle, tab, tabId) {
  // each command of this page runs in its window
  const inWindow = (fn) =>
    session.serial(async (cmd) => {
      await cmd('POST', '/window', { handle })
      return fn(cmd)
    })
  const tagged = new Set() // origins where this window's sessionStorage says which tab it is
  const evaluate = async (fn, arg) => {
    const r = await inWindow((cmd) => cmd('POST', '/execute/async', executeScript(fn, arg)))
    if (!r.ok) throw new Error(r.e)
    return r.undef ? undefined : r.v
  }
  return {
    async setViewport({ width, height }) {
      // the window's size gives the viewport less MiniBrowser's own chrome: measure it once
      await inWindow((cmd) => cmd('POST', '/window/rect', { width, height }))
      const inner = await evaluate(() => [window.innerWidth, window.innerHeight])
      await inWindow((cmd) =>
        cmd('POST', '/window/rect', { width: 2 * width - inner[0], height: 2 * height - inner[1] }),
      )
    },
    async goto(url) {
      const { origin } = new URL(url)
      await inWindow(async (cmd) => {
        if (!tagged.has(origin)) await cmd('POST', '/url', { url: `${origin}/__e2e/tab?id=${tabId}` })
        tagged.add(origin)
        await cmd('POST', '/url', { url })
      })
    },
    reload: () => inWindow((cmd) => cmd('POST', '/refresh', {})),
    url: () => inWindow((cmd) => cmd('GET', '/url')),
    evaluate,
    click: (sel) =>
      inWindow(async (cmd) => {
        const el = await cmd('POST', '/element', { using: 'css selector', value: sel })
        await cmd('POST', `/element/${el[ELEMENT]}/click`, {})
      }),
    async screenshot(path) {
      // WebDriver takes the viewport: make the window as tall as the page for the picture
      const [height, inner] = await evaluate(() => [document.documentElement.scrollHeight, window.innerHeight])
      const rect = await inWindow((cmd) => cmd('GET', '/window/rect'))
      const tall = Math.min(3900, rect.height + Math.max(0, height - inner))
      const png = await inWindow(async (cmd) => {
        await cmd('POST', '/window/rect', { width: rect.width, height: tall })
        const shot = await cmd('GET', '/screenshot')
        await cmd('POST', '/window/rect', { width: rect.width, height: rect.height })
        return shot
      })
      writeFileSync(path, Buffer.from(png, 'base64'))
    },
    addInitScript: async (fn, arg) => tab.addInitScript(fn, arg),
    onConsole: (fn) => tab.onConsole(({ type, text, url }) => type !== 'pageerror' && fn({ type, text, url })),
    onPageError: (fn) => tab.onConsole(({ type, text }) => type === 'pageerror' && fn(text)),
    close: () => inWindow((cmd) => cmd('DELETE', '/window')).catch(() => {}),
  }
}
