// Runs a built example against local stand-ins for Okta and Segment: a real OpenID Provider
// (demo users alice/alice, bob/bob), a Segment-compatible collector, and a static server for the
// example's dist/. Nothing leaves 127.0.0.1.
//
//   npm run examples && node examples/serve.mjs script-tag     # or react-spa, vanilla-esm
//
// The example reads its settings from /config.js: the built dist/config.js holds placeholders for
// your own Okta org and Segment source; this server answers /config.js with the local ones.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startOidc } from '../servers/oidc.mjs'
import { startCollector } from '../servers/collector.mjs'
import { VENDOR, scriptRoute, startStatic } from '../servers/static.mjs'

const here = dirname(fileURLToPath(import.meta.url))

/** Starts the three servers for examples/<name>/dist; `url` is the page to open. */
export async function serveExample(
  name,
  { port = 0, writeKey = `example-${name}`, root = join(here, name, 'dist') } = {},
) {
  if (!existsSync(join(root, 'index.html'))) throw new Error(`${root} is missing: run \`npm run examples\` first`)
  const collector = await startCollector()
  const config = {}
  const site = await startStatic({
    root,
    port,
    routes: {
      '/config.js': scriptRoute(() => `window.EXAMPLE = ${JSON.stringify(config, null, 2)}\n`),
      // what Segment's snippet loads from cdn.segment.com
      '/analytics.js/v1/': (req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' })
        res.end(readFileSync(VENDOR['/vendor/analytics-standalone.js']))
      },
    },
  })
  const op = await startOidc({ clientOrigins: [site.origin] })
  Object.assign(config, {
    issuer: op.issuer,
    clientId: op.clientId,
    writeKey,
    segmentCDN: site.origin,
    settingsCDN: collector.url,
    apiHost: collector.apiHost,
    collectorURL: collector.url,
    localProvider: true,
  })
  return {
    url: `${site.url}/`,
    op,
    collector,
    site,
    close: () => Promise.all([op.close(), collector.close(), site.close()]),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const name = process.argv[2] ?? 'script-tag'
  const s = await serveExample(name, { port: Number(process.env.PORT ?? 5173) })
  console.log(`${name}: ${s.url}  (sign in as alice/alice or bob/bob; events: ${s.collector.url}/events)`)
}
