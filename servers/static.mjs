// A tiny static file server for test and demo pages (127.0.0.1, no caching).
//
//   const s = await startStatic({
//     root: 'test/e2e/smoke',
//     routes: {
//       '/node_modules/': '/abs/path/node_modules',           // prefix -> directory
//       '/okta.js': '/abs/path/okta-auth-js.min.js',           // exact path -> file
//       '/config.js': (req, res) => { res.setHeader('content-type', 'text/javascript'); res.end('...') },
//     },
//   })
//   s.url // http://127.0.0.1:PORT
//
// Unknown extension-less GET paths (e.g. /login/callback) fall back to <root>/index.html
// (set `spaFallback: false` to turn that off).
import http from 'node:http'
import { createReadStream, statSync } from 'node:fs'
import { dirname, extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { injectHookScript, pageHook } from './page-hook.mjs'

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The scripts every local page loads from /vendor/: Okta's and Segment's browser builds, the snippet's stub and the OktaAuth set up for the local provider. */
export const VENDOR = {
  '/vendor/okta-auth-js.min.js': join(repo, 'node_modules/@okta/okta-auth-js/dist/okta-auth-js.min.js'),
  '/vendor/analytics-standalone.js': join(repo, 'node_modules/@segment/analytics-next/dist/umd/standalone.js'),
  '/vendor/segment-snippet.js': join(repo, 'servers/segment-snippet.js'),
  '/vendor/local-okta.js': join(repo, 'servers/local-okta.js'),
}

/** A route answering a script written at request time (a page's config), never cached. */
export const scriptRoute =
  (body, headers = {}) =>
  (req, res) => {
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.js'], 'Cache-Control': 'no-store', ...headers })
    res.end(body(req))
  }

/** Listens on host:port: the port, and a close() that ends open connections (keep-alive) first. */
export async function listen(server, port, host) {
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  const sockets = new Set()
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  return {
    port: server.address().port,
    close() {
      for (const s of sockets) s.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

/** The file to serve for `p` (a directory serves its index.html), or null. */
function fileFor(p) {
  try {
    const st = statSync(p)
    if (st.isFile()) return { file: p, size: st.size }
    if (st.isDirectory()) return fileFor(join(p, 'index.html'))
  } catch {
    // missing or unreadable: not served
  }
  return null
}

/** Resolve `rel` inside `dir`, refusing anything that escapes it. */
function inside(dir, rel) {
  const base = resolve(dir)
  const full = resolve(base, '.' + sep + rel)
  if (full !== base && !full.startsWith(base + sep)) return null
  return full
}

/**
 * @param {{ root: string, port?: number, host?: string,
 *   routes?: Record<string, string | ((req: http.IncomingMessage, res: http.ServerResponse) => void)>,
 *   spaFallback?: boolean, headers?: Record<string,string>, onRequest?: (req: http.IncomingMessage) => void }} opts
 *   onRequest: sees every request first (a test records what the browser asked for)
 */
export async function startStatic({
  root,
  port = 0,
  host = '127.0.0.1',
  routes = {},
  spaFallback = true,
  headers = {},
  onRequest,
}) {
  const rootDir = resolve(root)
  // longest prefix first
  const entries = Object.entries(routes).sort((a, b) => b[0].length - a[0].length)

  function sendFile(req, res, path) {
    const found = fileFor(path)
    if (!found) return false
    const { file, size } = found
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-store',
      ...headers,
    })
    if (req.method === 'HEAD') res.end()
    else createReadStream(file).pipe(res)
    return true
  }

  const server = http.createServer((req, res) => {
    try {
      onRequest?.(req)
      const u = new URL(req.url, 'http://x')
      let path
      try {
        path = decodeURIComponent(u.pathname)
      } catch {
        res.writeHead(400).end('bad path')
        return
      }
      // a browser driver's hook (servers/page-hook.mjs): its own routes, and its script in every page
      const hook = pageHook()
      if (hook && path.startsWith('/__e2e/')) return hook.serve(req, res)
      if (hook) injectHookScript(res)
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        // allow route handlers to take other methods
        const h = entries.find(([k, v]) => typeof v === 'function' && k === path)
        if (h) return h[1](req, res)
        res.writeHead(405, { Allow: 'GET, HEAD' }).end()
        return
      }
      for (const [prefix, target] of entries) {
        if (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix) {
          if (typeof target === 'function') return target(req, res)
          const file = prefix.endsWith('/') ? inside(target, path.slice(prefix.length)) : target
          if (file && sendFile(req, res, file)) return
          res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end('not found')
          return
        }
      }
      const file = inside(rootDir, path)
      if (file && sendFile(req, res, file)) return
      if (spaFallback && !extname(path) && sendFile(req, res, join(rootDir, 'index.html'))) return
      res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end('not found')
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' })
      res.end(String(err?.message ?? err))
    }
  })

  const { port: actualPort, close } = await listen(server, port, host)
  return {
    url: `http://${host}:${actualPort}`,
    origin: `http://${host}:${actualPort}`,
    port: actualPort,
    server,
    close,
  }
}

// `node servers/static.mjs <root> [port]`
if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startStatic({ root: process.argv[2] ?? '.', port: Number(process.argv[3] ?? 0) })
  console.log(`static ${s.url}`)
}
