// A Segment-compatible collector (tracking API + the bits of the CDN analytics-next needs),
// recording every event it receives. Everything on 127.0.0.1.
//
//   const c = await startCollector()
//   c.apiHost   // '127.0.0.1:PORT/v1'  -> integrations['Segment.io'] = { apiHost, protocol: 'http' }
//   c.cdnURL    // 'http://127.0.0.1:PORT' -> AnalyticsBrowser.load({ writeKey, cdnURL }) or snippet `analytics._cdn`
//   await c.waitFor((e) => e.type === 'identify')
//
// Routes:
//   POST /v1/{i,t,p,g,a,s,b} and /v1/{identify,track,page,group,alias,screen,batch}  events
//        (text/plain or application/json; CORS preflight answered; batches flattened)
//   GET  /v1/projects/:writeKey/settings     offline CDN settings pointing back here
//   GET  /analytics-next/bundles/*           analytics-next's lazy chunks (standalone build)
//   GET  /analytics.js/v1/:writeKey/analytics.min.js   analytics-next's standalone build, where
//        Segment's snippet loads it from (the snippet's CDN host set to this collector)
//   GET  /events                             recorded events as JSON  (DELETE /events clears)
//   GET  /events/stream                      server-sent events, one `data:` per event
//   GET|POST /mode[?mode=ok|fail500]         read/set the mode (for demos)
// Each recorded event is the payload as sent plus `receivedAt` (ISO string, as Segment adds)
// and `writeKey` (from the Basic Authorization header or the body) when known.
// In mode 'fail500' every event request answers 500 and nothing is recorded. Every event request,
// refused or not, is also emitted as 'request' ({ path, mode, events, from: the Referer }).
import http from 'node:http'
import { EventEmitter } from 'node:events'
import { createReadStream, statSync } from 'node:fs'
import { dirname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listen } from './static.mjs'

const here = dirname(fileURLToPath(import.meta.url))
/** analytics-next's lazy chunks (standalone build), as its CDN serves them. */
export const DEFAULT_BUNDLES = join(here, '..', 'node_modules', '@segment', 'analytics-next', 'dist', 'umd')

const SHORT = { i: 'identify', t: 'track', p: 'page', g: 'group', a: 'alias', s: 'screen' }
const LONG = new Set(['identify', 'track', 'page', 'group', 'alias', 'screen'])

/** CDN settings that make analytics-next send here and nowhere else. */
export function cdnSettingsFor(apiHost, writeKey = 'test-write-key', extra = {}) {
  return {
    integrations: {
      'Segment.io': {
        apiKey: writeKey,
        apiHost,
        protocol: 'http',
        unbundledIntegrations: [],
        addBundledMetadata: true,
        maybeBundledConfigIds: {},
        versionSettings: { version: '4.4.7', componentTypes: ['browser'] },
      },
    },
    plan: {
      track: { __default: { enabled: true, integrations: {} } },
      identify: { __default: { enabled: true } },
      group: { __default: { enabled: true } },
    },
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0 },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
    ...extra,
  }
}

function cors(req, res) {
  const origin = req.headers.origin
  res.setHeader('Access-Control-Allow-Origin', origin || '*')
  if (origin) {
    res.setHeader('Vary', 'Origin')
    res.setHeader('Access-Control-Allow-Credentials', 'true')
  }
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS')
  res.setHeader(
    'Access-Control-Allow-Headers',
    req.headers['access-control-request-headers'] || 'Content-Type, Authorization',
  )
  res.setHeader('Access-Control-Max-Age', '600')
  // Chromium Private Network Access preflights
  if (req.headers['access-control-request-private-network'])
    res.setHeader('Access-Control-Allow-Private-Network', 'true')
}

function writeKeyFrom(req, body) {
  const auth = req.headers.authorization
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8')
    const key = decoded.split(':')[0]
    if (key) return key
  }
  return body?.writeKey
}

/**
 * @param {{ port?: number, host?: string, writeKey?: string, bundlesDir?: string, settings?: object, quiet?: boolean }} [opts]
 */
export async function startCollector({
  port = 0,
  host = '127.0.0.1',
  bundlesDir = DEFAULT_BUNDLES,
  settings = {},
  quiet = true,
} = {}) {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  const streams = new Set()
  /** @type {any[]} */
  const events = []
  const requests = []
  const holds = []

  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x')
    const path = u.pathname
    cors(req, res)
    res.setHeader('Cache-Control', 'no-store')
    if (req.method === 'OPTIONS') {
      res.writeHead(204)
      return res.end()
    }
    const json = (status, obj) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(obj))
    }

    try {
      // ---- tracking API
      const m = /^\/v1\/([a-z]+)$/.exec(path)
      if (
        m &&
        req.method === 'POST' &&
        (SHORT[m[1]] || LONG.has(m[1]) || m[1] === 'b' || m[1] === 'batch' || m[1] === 'm')
      ) {
        const chunks = []
        for await (const c of req) chunks.push(c)
        const text = Buffer.concat(chunks).toString('utf8')
        requests.push({ path, receivedAt: Date.now(), mode: api.mode })
        if (m[1] === 'm') return json(200, {}) // metrics endpoint, never recorded
        let body
        try {
          body = JSON.parse(text)
        } catch {
          if (api.mode === 'fail500') return json(500, { success: false, error: 'collector in fail500 mode' })
          return json(400, { success: false, error: 'invalid JSON' })
        }
        const writeKey = writeKeyFrom(req, body)
        const list = m[1] === 'b' || m[1] === 'batch' ? (Array.isArray(body.batch) ? body.batch : []) : [body]
        const sent = list.map((ev) => ({
          ...ev,
          type: ev.type ?? SHORT[m[1]] ?? (LONG.has(m[1]) ? m[1] : undefined),
          writeKey: ev.writeKey ?? writeKey,
        }))
        // every request as the browser sent it, refused or not (`from`: the page that sent it)
        emitter.emit('request', { path, mode: api.mode, events: sent, from: req.headers.referer ?? '' })
        if (api.mode === 'fail500') return json(500, { success: false, error: 'collector in fail500 mode' })
        const receivedAt = new Date().toISOString()
        for (const e of sent) {
          e.receivedAt = receivedAt
          events.push(e)
          if (!quiet) console.log(`[collector] ${e.type} ${e.event ?? e.userId ?? ''}`)
          emitter.emit('event', e)
          const line = `data: ${JSON.stringify(e)}\n\n`
          for (const s of streams) s.write(line)
        }
        const held = holds.find((h) => sent.some(h.pred))
        if (held) {
          holds.splice(holds.indexOf(held), 1)
          held.took(sent.find(held.pred))
          await held.released
        }
        return json(200, { success: true })
      }

      // ---- CDN settings
      const s = /^\/v1\/projects\/([^/]+)\/settings$/.exec(path)
      if (s && req.method === 'GET') {
        return json(200, api.cdnSettings(decodeURIComponent(s[1])))
      }

      // ---- analytics-next lazy chunks, and the standalone build where the snippet loads it
      const snippetPath = /^\/analytics\.js\/v1\/[^/]+\/analytics\.min\.js$/.test(path)
      if ((snippetPath || path.startsWith('/analytics-next/bundles/')) && req.method === 'GET') {
        const rel = snippetPath
          ? 'standalone.js'
          : normalize(decodeURIComponent(path.slice('/analytics-next/bundles/'.length)))
        const file = join(bundlesDir, rel)
        if (rel.startsWith('..') || !file.startsWith(bundlesDir + sep)) return json(403, { error: 'forbidden' })
        let st
        try {
          st = statSync(file)
        } catch {
          st = null
        }
        if (!st?.isFile()) return json(404, { error: 'not found' })
        res.writeHead(200, {
          'Content-Type': file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8',
          'Content-Length': st.size,
        })
        return createReadStream(file).pipe(res)
      }

      // ---- inspection
      if (path === '/events' && req.method === 'GET') return json(200, events)
      if (path === '/events' && req.method === 'DELETE') {
        api.clear()
        return json(200, { cleared: true })
      }
      if (path === '/events/stream' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' })
        res.write(`retry: 1000\n\n`)
        for (const e of events) res.write(`data: ${JSON.stringify(e)}\n\n`)
        streams.add(res)
        req.on('close', () => streams.delete(res))
        return
      }
      if (path === '/mode') {
        const next = u.searchParams.get('mode')
        if (next && (req.method === 'POST' || req.method === 'GET')) {
          if (next !== 'ok' && next !== 'fail500') return json(400, { error: 'mode must be ok or fail500' })
          api.mode = next
        }
        return json(200, { mode: api.mode })
      }
      if (path === '/' && req.method === 'GET')
        return json(200, { ok: true, apiHost: api.apiHost, events: events.length })
      json(404, { error: 'not found' })
    } catch (err) {
      if (!res.headersSent) json(500, { error: String(err?.message ?? err) })
      else res.end()
    }
  })

  const { port: actualPort, close } = await listen(server, port, host)
  const url = `http://${host}:${actualPort}`

  const api = Object.assign(emitter, {
    url,
    port: actualPort,
    cdnURL: url,
    apiHost: `${host}:${actualPort}/v1`,
    events,
    /** raw POSTs seen (path, receivedAt ms, mode), including failed ones */
    requests,
    /** @type {'ok' | 'fail500'} */
    mode: 'ok',
    cdnSettings(writeKey) {
      return cdnSettingsFor(api.apiHost, writeKey, settings)
    },
    clear() {
      events.length = 0
      requests.length = 0
    },
    /**
     * Records the next request with an event matching pred as usual, but answers it only on
     * `release()` (a slow collector: the page may have gone by then). `taken` resolves with the event.
     * @param {(e: any) => boolean} pred
     */
    hold(pred) {
      const h = { pred }
      h.released = new Promise((resolve) => (h.release = resolve))
      h.taken = new Promise((resolve) => (h.took = resolve))
      holds.push(h)
      return { taken: h.taken, release: () => h.release() }
    },
    /**
     * Resolve with the first recorded event (already received or future) matching pred.
     * @param {(e: any) => boolean} pred
     * @param {number} [timeout=5000]
     */
    waitFor(pred = () => true, timeout = 5000) {
      const found = events.find(pred)
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const onEvent = (e) => {
          let ok = false
          try {
            ok = pred(e)
          } catch {
            ok = false
          }
          if (ok) {
            clearTimeout(t)
            emitter.off('event', onEvent)
            resolve(e)
          }
        }
        const t = setTimeout(() => {
          emitter.off('event', onEvent)
          const seen = events.map((e) => `${e.type}${e.event ? `:${e.event}` : ''}`).join(', ') || 'none'
          reject(new Error(`collector.waitFor timed out after ${timeout} ms; received: ${seen}`))
        }, timeout)
        emitter.on('event', onEvent)
      })
    },
    close() {
      for (const s of streams) s.end()
      streams.clear()
      return close()
    },
  })
  return api
}

// `node servers/collector.mjs [port]`
if (import.meta.url === `file://${process.argv[1]}`) {
  const c = await startCollector({ port: Number(process.argv[2] ?? 0), quiet: false })
  console.log(`collector ${c.url} apiHost ${c.apiHost}`)
}
