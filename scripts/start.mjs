// `npm start`: the demo. A local OpenID Provider (users alice/alice and bob/bob), a local
// Segment-compatible collector, and the demo page: a small app using okta-segment (the npm build,
// dist/index.js) with a live view of what reached the collector and what each destination
// receives after the filters. Everything on 127.0.0.1; Ctrl-C stops it.
//
//   PORT=3000 OIDC_PORT=3001 COLLECTOR_PORT=3002 npm start
//   APP_ORIGINS=http://localhost:5173 npm start    # also register your own app with the provider
//
// Also importable (the browser suite starts it on free ports): `await startDemo({ port: 0, ... })`.
import './quiet-oidc.mjs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCollector } from '../servers/collector.mjs'
import { startOidc } from '../servers/oidc.mjs'
import { VENDOR, scriptRoute, startStatic } from '../servers/static.mjs'
import { ensureBuilt } from './ensure-built.mjs'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const WRITE_KEY = 'demo-write-key'
/** The device-mode destination the demo loads into the page (demo/pixel.js). */
const PIXEL = 'Demo Pixel'

/**
 * Records what the in-page (device-mode) destinations received and the bridge's debug lines,
 * posted by the demo page, and streams them as server-sent events.
 */
function createRecorder() {
  const items = []
  const streams = new Set()
  const send = (res, item) => res.write(`data: ${JSON.stringify(item)}\n\n`)
  return {
    items,
    async record(req, res) {
      const chunks = []
      for await (const c of req) chunks.push(c)
      try {
        const item = { ...JSON.parse(Buffer.concat(chunks).toString('utf8')), at: new Date().toISOString() }
        items.push(item)
        for (const s of streams) send(s, item)
        res.writeHead(204).end()
      } catch {
        res.writeHead(400).end()
      }
    },
    stream(req, res) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' })
      res.write('retry: 1000\n\n')
      for (const item of items) send(res, item)
      streams.add(res)
      req.on('close', () => streams.delete(res))
    },
    clear() {
      items.length = 0
      for (const s of streams) send(s, { kind: 'clear' })
    },
    close() {
      for (const s of streams) s.end()
    },
  }
}

/**
 * @param {{ port?: number, oidcPort?: number, collectorPort?: number, host?: string, appOrigins?: string[] }} [opts]
 *   appOrigins: more apps the provider takes (redirect URIs, sign-out returns and CORS), beside the demo's
 */
export async function startDemo({
  port = 3000,
  oidcPort = 3001,
  collectorPort = 3002,
  host = '127.0.0.1',
  appOrigins = [],
} = {}) {
  ensureBuilt()
  const config = {}
  const recorder = createRecorder()
  const site = await startStatic({
    root: join(repo, 'demo'),
    port,
    host,
    routes: {
      '/dist/': join(repo, 'dist'),
      ...VENDOR,
      '/config.js': scriptRoute(() => `window.DEMO = ${JSON.stringify(config)};`),
      '/recorder': (req, res) => (req.method === 'POST' ? recorder.record(req, res) : recorder.stream(req, res)),
      '/recorder/clear': (req, res) => {
        recorder.clear()
        res.writeHead(204).end()
      },
    },
  })
  const collector = await startCollector({
    port: collectorPort,
    host,
    settings: {
      // a device-mode destination, loaded into the page like any Segment action destination
      remotePlugins: [
        {
          name: PIXEL,
          creationName: PIXEL,
          libraryName: 'demoPixelDestination',
          url: `${site.origin}/pixel.js`,
          settings: {},
        },
      ],
    },
  })
  let op
  try {
    op = await startOidc({ port: oidcPort, host, clientOrigins: [site.origin, ...appOrigins] })
  } catch (e) {
    await Promise.all([site.close(), collector.close()])
    throw e
  }
  Object.assign(config, {
    issuer: op.issuer,
    clientId: op.clientId,
    writeKey: WRITE_KEY,
    cdnURL: collector.cdnURL,
    apiHost: collector.apiHost,
    collectorURL: collector.url,
    pixel: PIXEL,
  })
  // the demo page's "Clear" also clears the recorder; the collector clears itself (DELETE /events)
  return {
    url: `${site.url}/`,
    /** The app origins the provider takes: the demo's, then appOrigins. */
    origins: [site.origin, ...appOrigins],
    site,
    collector,
    op,
    recorder,
    async close() {
      recorder.close()
      await Promise.all([site.close(), collector.close(), op.close()])
    },
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const num = (name, fallback) => {
    const v = process.env[name]
    if (v === undefined || v === '') return fallback
    const n = Number(v)
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got ${v}`)
    return n
  }
  // APP_ORIGINS: your own apps' origins (comma or space separated), e.g. http://localhost:5173
  const appOrigins = (process.env.APP_ORIGINS ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((o) => {
      let u
      try {
        u = new URL(o)
      } catch {
        u = undefined
      }
      if (/^https?:$/.test(u?.protocol ?? '')) return u.origin
      console.error(`APP_ORIGINS: ${o} is not an origin; write it as http://localhost:5173`)
      process.exit(1)
    })
  let demo
  try {
    demo = await startDemo({
      port: num('PORT', 3000),
      oidcPort: num('OIDC_PORT', 3001),
      collectorPort: num('COLLECTOR_PORT', 3002),
      appOrigins,
    })
  } catch (e) {
    if (e.code === 'EADDRINUSE') {
      console.error(`Port ${e.port} is in use. Choose others: PORT=4000 OIDC_PORT=4001 COLLECTOR_PORT=4002 npm start`)
      process.exit(1)
    }
    throw e
  }
  console.log(`
  okta-segment demo
    app        ${demo.url}          <- open this; sign in as alice/alice or bob/bob
    provider   ${demo.op.issuer}   client id ${demo.op.clientId}
               takes ${demo.origins.join(', ')} (more: APP_ORIGINS=http://localhost:5173 npm start)
    collector  ${demo.collector.url}/events   write key ${WRITE_KEY} (any other works too)

  Ctrl-C to stop.
`)
  let stopping = false
  const stop = async () => {
    if (stopping) return process.exit(1)
    stopping = true
    console.log('\nstopping…')
    await demo.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
