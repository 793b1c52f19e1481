// WebKit's console and init scripts, through the page's own server (classic WebDriver has neither).
// While a WebKit context is open, startStatic puts `/__e2e/page.js` first in every HTML page
// (servers/page-hook.mjs). That script, written here per context, relays console calls, uncaught
// errors and failed loads to `POST /__e2e/console`, then runs the context's init scripts and those
// of its tab. Which context: a cookie, `__e2e_ctx` (cookies ignore the port, so one visit to
// /__e2e/hello on any 127.0.0.1 port sets it for all). Which tab: sessionStorage `__e2e_tab`
// (per tab and origin), set by /__e2e/tab before a tab's first page on an origin.
// What the relay cannot see: the browser's own console messages (CSP, integrity, failed requests
// are seen only as the page's `error` events), and pages of servers without the hook (the provider).
import http from 'node:http'
import { setPageHook } from '../../../servers/page-hook.mjs'

/** id -> { init: [source], tabs: Map<tabId, { init: [source], console: fn[] }>, console: fn[] } */
const contexts = new Map()
let hub

const source = (fn, arg) => `;(${fn})(${arg === undefined ? '' : JSON.stringify(arg)});\n`

// In the page, before its own scripts: relay the console, errors and failed loads.
function relayConsole(ctx) {
  let tab = window.sessionStorage.getItem('__e2e_tab')
  if (!tab) window.sessionStorage.setItem('__e2e_tab', (tab = `?${Math.random().toString(36).slice(2, 6)}`))
  const send = (type, text, url = location.href) => {
    const body = JSON.stringify({ ctx, tab, type, text: String(text).slice(0, 20_000), url })
    fetch('/__e2e/console', { method: 'POST', body, keepalive: true }).catch(() => {})
  }
  const show = (a) => {
    if (typeof a === 'string') return a
    if (a instanceof Error) return String(a)
    try {
      return JSON.stringify(a) ?? String(a)
    } catch {
      return String(a)
    }
  }
  for (const [m, type] of Object.entries({
    log: 'log',
    info: 'info',
    warn: 'warning',
    error: 'error',
    debug: 'debug',
  })) {
    const own = console[m]
    console[m] = function (...args) {
      // the script that called (WebKit's frames read `name@url:line:column`)
      const caller = /(https?:\/\/[^\s@]+?):\d+:\d+\)?$/.exec(String(new Error().stack).split('\n')[1] ?? '')
      send(type, args.map(show).join(' '), caller?.[1])
      return own.apply(this, args)
    }
  }
  // a load that fails because the page is going away (a redirect) is not reported, as Chromium does not
  let leaving = false
  for (const e of ['beforeunload', 'pagehide']) window.addEventListener(e, () => (leaving = true))
  const failed = (t) => `Failed to load resource: ${t.src || t.href || t.tagName}`
  window.addEventListener(
    'error',
    (e) => (e.target === window ? send('pageerror', e.message) : leaving || send('error', failed(e.target))),
    true,
  )
  window.addEventListener('unhandledrejection', (e) => send('pageerror', e.reason?.message ?? String(e.reason)))
}

function pageScript(id) {
  const c = contexts.get(id)
  if (!c) return ''
  const tabs = [...c.tabs].map(
    ([tab, t]) => `if (window.sessionStorage.getItem('__e2e_tab') === ${JSON.stringify(tab)}) {\n${t.init.join('')}}\n`,
  )
  return `${source(relayConsole, id)}${c.init.join('')}${tabs.join('')}`
}

const cookie = (req) => /(?:^|;\s*)__e2e_ctx=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1]

function serve(req, res) {
  const u = new URL(req.url, 'http://x')
  const send = (type, body, headers = {}) =>
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...headers }).end(body)
  if (u.pathname === '/__e2e/page.js') return send('text/javascript', pageScript(cookie(req)))
  if (u.pathname === '/__e2e/hello')
    return send('text/html', '<p>hello', {
      'set-cookie': `__e2e_ctx=${u.searchParams.get('ctx')}; Path=/; SameSite=Lax`,
    })
  const id = JSON.stringify(u.searchParams.get('id') ?? '')
  if (u.pathname === '/__e2e/tab')
    return send('text/html', `<script src="/__e2e/tab.js?id=${encodeURIComponent(JSON.parse(id))}"></script>`)
  if (u.pathname === '/__e2e/tab.js')
    return send('text/javascript', `window.sessionStorage.setItem('__e2e_tab', ${id})`)
  if (u.pathname === '/__e2e/console' && req.method === 'POST') {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      res.writeHead(204).end()
      let line
      try {
        line = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        return
      }
      const c = contexts.get(line.ctx)
      const listeners = c?.tabs.get(line.tab)?.console ?? c?.console ?? []
      for (const fn of listeners) fn(line)
    })
    return
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
}

/** Registers a context; returns its id, the hub URL that sets its cookie, and its init-script lists. */
export async function openRelay(id) {
  if (!hub) {
    hub = http.createServer(serve)
    await new Promise((resolve) => hub.listen(0, '127.0.0.1', resolve))
    setPageHook({ serve })
  }
  const c = { init: [], tabs: new Map(), console: [] }
  contexts.set(id, c)
  return {
    hello: `http://127.0.0.1:${hub.address().port}/__e2e/hello?ctx=${id}`,
    addInitScript: (fn, arg) => void c.init.push(source(fn, arg)),
    tab(tabId) {
      const t = { init: [], console: [] }
      c.tabs.set(tabId, t)
      if (!c.console.length) c.console = t.console // lines of a tab not yet known go to the first
      return {
        addInitScript: (fn, arg) => void t.init.push(source(fn, arg)),
        onConsole: (fn) => void t.console.push(fn),
      }
    },
    close() {
      contexts.delete(id)
      if (contexts.size || !hub) return
      setPageHook(undefined)
      hub.closeAllConnections?.()
      hub.close()
      hub = undefined
    },
  }
}
