// `npm run bench`: the hand-written glue vs okta-segment, in real Chromium, over the same page,
// the same okta-auth-js (UMD) and the same analytics-next (standalone), in one run. Prints figures
// and ratios; never fails on a slow machine (only on a broken set-up).
//
//   BENCH_SIGNINS=100 BENCH_ROUNDS=2 BENCH_RELOADS=100 BENCH_RENEWALS=10 BENCH_CPU_THROTTLE=1 npm run bench
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants } from 'node:zlib'
import { rollup } from 'rollup'
import terser from '@rollup/plugin-terser'
import { DEFAULT_BUNDLES, cdnSettingsFor, startCollector } from '../servers/collector.mjs'
import { USERS } from '../servers/oidc.mjs'
import { VENDOR, scriptRoute, startStatic } from '../servers/static.mjs'
import { launchPlaywright as launchBrowser } from '../test/e2e/drivers/chromium.mjs'
import { ensureBuilt } from '../scripts/ensure-built.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..')
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback)
const SIGNINS = env('BENCH_SIGNINS', 100)
const ROUNDS = env('BENCH_ROUNDS', 2)
const RELOADS = env('BENCH_RELOADS', 100)
const RENEWALS = env('BENCH_RENEWALS', 10)
const THROTTLE = env('BENCH_CPU_THROTTLE', 1)
const MODES = ['glue', 'bridge']
const NAMES = { none: 'no integration', glue: 'hand-written glue', bridge: 'okta-segment' }
// reference subscribers, timed like the integrations: the floor of a callback
const REFERENCES = { empty: 'empty subscriber', task: 'bare setTimeout', idle: 'bare requestIdleCallback' }

ensureBuilt()

// ---- bytes added: each integration's own code, minified (terser) and tree-shaken as an app bundler would, then brotli;
// okta-segment's production build (what a bundler picks with the `production` condition)
async function bytesOf(code) {
  const bundle = await rollup({
    input: 'entry',
    external: () => false,
    plugins: [
      {
        name: 'entry',
        resolveId: (id, importer) => (id === 'entry' ? id : importer === 'entry' ? join(repo, id) : null),
        load: (id) => (id === 'entry' ? code : null),
      },
    ],
    treeshake: { moduleSideEffects: false },
    onwarn: () => {},
  })
  const { output } = await bundle.generate({ format: 'es', plugins: [terser()] })
  const min = output[0].code
  return {
    min: Buffer.byteLength(min),
    br: brotliCompressSync(min, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
}
const bytes = {
  glue: await bytesOf(`import { glue } from 'bench/glue.js'; window.bridge = glue(window.oktaAuth)`),
  bridge: await bytesOf(
    `import { connect } from 'dist/index.prod.js'; window.bridge = connect({ auth: window.oktaAuth, analytics: window.analytics })`,
  ),
}

// ---- servers: the page is cross-origin isolated (performance.now() to 5 µs instead of 100 µs),
// so analytics-next's settings and chunks are served from its own origin
const collector = await startCollector()
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
}
const writeKeys = {}
const { password: _, ...profile } = USERS.alice // what the bench's ID tokens claim
const site = await startStatic({
  root: here,
  // cacheable, as scripts are on a real site: a reload then costs what it costs users
  headers: { ...isolation, 'Cache-Control': 'max-age=600' },
  spaFallback: false,
  routes: {
    '/dist/': join(repo, 'dist'),
    ...VENDOR,
    '/analytics-next/bundles/': DEFAULT_BUNDLES,
    '/config.js': scriptRoute((req) => {
      const mode = new URL(req.headers.referer ?? 'http://x/?mode=none').searchParams.get('mode') ?? 'none'
      return `window.BENCH = ${JSON.stringify({ writeKey: writeKeys[mode] ?? `bench-${mode}`, apiHost: collector.apiHost, profile })}`
    }, isolation),
    '/v1/projects/': (req, res) => {
      const writeKey = decodeURIComponent(req.url.split('/')[3] ?? '')
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...isolation })
      res.end(JSON.stringify(cdnSettingsFor(collector.apiHost, writeKey)))
    },
  },
})

const browser = await launchBrowser()
const open = async (mode, writeKey) => {
  writeKeys[mode] = writeKey
  const context = await browser.newContext()
  const page = await context.newPage()
  page.on('pageerror', (e) => console.error(`[${mode}] page error: ${e.message}`))
  if (THROTTLE > 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: THROTTLE })
  await page.goto(`${site.url}/index.html?mode=${mode}`)
  await page.waitForFunction(() => window.bench, null, { timeout: 30_000 })
  return { context, page }
}
const eventsOf = (writeKey) => {
  const seen = new Set()
  return collector.events.filter((e) => e.writeKey === writeKey && !seen.has(e.messageId) && seen.add(e.messageId))
}
const quiet = async (ms = 150) => {
  for (let n = -1; n !== collector.requests.length; await new Promise((r) => setTimeout(r, ms)))
    n = collector.requests.length
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN
}
const us = (ms) => `${(ms * 1000).toFixed(ms < 0.01 ? 1 : 0)} µs`
const fmt = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : us(ms))

try {
  // ---- 1. sign-ins: callback time and long tasks (rounds interleaved, so drift hits both)
  console.log(
    `okta-segment benchmark: Chromium ${browser.version()}, ${SIGNINS} sign-ins × ${ROUNDS} rounds per integration${THROTTLE > 1 ? `, CPU throttled ${THROTTLE}×` : ''}`,
  )
  const timed = ['none', ...MODES, ...Object.keys(REFERENCES)]
  const timing = Object.fromEntries(timed.map((m) => [m, { callback: [], cold: [], longtasks: [], longtasksCold: [] }]))
  let isolated = true
  for (let r = 0; r < ROUNDS; r++)
    for (const mode of timed) {
      const { context, page } = await open(mode, `bench-${mode}-signins-${r}`)
      isolated &&= await page.evaluate(() => window.bench.isolated)
      const out = await page.evaluate((n) => window.bench.signIns(n), SIGNINS)
      for (const k of Object.keys(timing[mode])) timing[mode][k].push(...out[k])
      await context.close()
    }
  if (!isolated) console.log('(the page was not cross-origin isolated: performance.now() is coarsened to 100 µs)')

  // ---- 2. calls sent for RELOADS reloads of a signed-in user plus RENEWALS renewals (both modes at once)
  const calls = {}
  const latency = {} // ms from the sign-in to its first call at the collector
  await Promise.all(
    MODES.map(async (mode) => {
      const writeKey = `bench-${mode}-reloads`
      const { context, page } = await open(mode, writeKey)
      // what the browser sent during the first sign-in: re-sent after a reload, these are not new calls
      const first = new Map() // messageId -> label
      let signingIn = true
      context.on('request', (r) => {
        if (!signingIn || r.method() !== 'POST' || !r.url().startsWith(`${collector.url}/v1/`)) return
        const b = JSON.parse(r.postData() ?? '{}')
        for (const e of b.batch ?? [b]) first.set(e.messageId, `${e.type}${e.event ? `:${e.event}` : ''}`)
      })
      const before = collector.requests.length
      const signedInAt = Date.now()
      await page.evaluate(() => window.bench.signIn())
      // the integration's first call for the sign-in (okta-segment: an idle period, then its turn)
      for (const end = Date.now() + 5000; collector.requests.length === before && Date.now() < end;)
        await new Promise((r) => setTimeout(r, 5))
      latency[mode] = (collector.requests[before]?.receivedAt ?? NaN) - signedInAt
      await quiet()
      signingIn = false
      for (let i = 0; i < RELOADS; i++) {
        await page.reload({ waitUntil: 'commit' })
        await page.waitForFunction(() => window.bench, null, { timeout: 30_000, polling: 20 })
        await page.evaluate(() => window.bench.start())
      }
      for (let i = 0; i < RENEWALS; i++) await page.evaluate(() => window.bench.renew())
      await quiet(300)
      const after = eventsOf(writeKey).filter((e) => !first.has(e.messageId))
      const by = (t) => after.filter((e) => `${e.type}${e.event ? `:${e.event}` : ''}` === t).length
      const signIn = [...first.values()]
      calls[mode] = {
        signIn: signIn.length,
        signInIdentify: signIn.filter((l) => l === 'identify').length,
        total: after.length,
        identify: by('identify'),
        signedIn: by('track:Signed In'),
        other: after.length - by('identify') - by('track:Signed In'),
      }
      await context.close()
    }),
  )

  // ---- report
  const row = (cells, widths = [36, 36, 36, 12]) => cells.map((c, i) => String(c).padEnd(widths[i])).join('')
  const med = (m) => pct(timing[m].callback, 50)
  const p95 = (m) => pct(timing[m].callback, 95)
  const ltText = (m, key = 'longtasks') => {
    const lt = timing[m][key]
    if (!lt.length) return '0'
    const inside = lt.filter((t) => t.inCallback).length
    return `${lt.length}, ${inside} in the callback, max ${lt.reduce((a, t) => Math.max(a, t.ms), 0).toFixed(0)} ms`
  }
  const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}×` : a > 0 ? `${a} vs none` : '–')
  console.log('')
  console.log(row(['', NAMES.glue, NAMES.bridge, 'glue / okta-segment']))
  console.log(
    row(['callback per sign-in, median', fmt(med('glue')), fmt(med('bridge')), ratio(med('glue'), med('bridge'))]),
  )
  console.log(
    row(['callback per sign-in, p95', fmt(p95('glue')), fmt(p95('bridge')), ratio(p95('glue'), p95('bridge'))]),
  )
  for (const [m, name] of Object.entries(REFERENCES))
    console.log(
      row([
        `  ref: ${name}`,
        '',
        `${fmt(med(m))} / ${fmt(p95(m))} (median / p95)`,
        `okta-segment: +${fmt(Math.max(0, med('bridge') - med(m)))}`,
      ]),
    )
  console.log(
    row([
      'callback, first sign-in of a page',
      fmt(pct(timing.glue.cold, 50)),
      fmt(pct(timing.bridge.cold, 50)),
      `${ratio(pct(timing.glue.cold, 50), pct(timing.bridge.cold, 50))} (median of ${ROUNDS})`,
    ]),
  )
  console.log(
    row([
      `long tasks, ${ROUNDS} first sign-ins`,
      ltText('glue', 'longtasksCold'),
      ltText('bridge', 'longtasksCold'),
      `without integration: ${ltText('none', 'longtasksCold')}`,
    ]),
  )
  console.log(
    row([
      `long tasks, ${(SIGNINS - 1) * ROUNDS} more sign-ins`,
      ltText('glue'),
      ltText('bridge'),
      `without integration: ${ltText('none')}`,
    ]),
  )
  const c = (m) => calls[m]
  const both = (m) => c(m).signIn + c(m).total
  const identifies = (m) => c(m).signInIdentify + c(m).identify
  console.log(
    row([
      'calls for the sign-in itself',
      `${c('glue').signIn} (${c('glue').signInIdentify} identify)`,
      `${c('bridge').signIn} (${c('bridge').signInIdentify} identify)`,
      '',
    ]),
  )
  console.log(row(['sign-in to first call (collector)', `${latency.glue} ms`, `${latency.bridge} ms`, '']))
  console.log(
    row([
      `calls, ${RELOADS} reloads + ${RENEWALS} renewals`,
      `${c('glue').total} (${c('glue').identify} identify)`,
      `${c('bridge').total} (${c('bridge').identify} identify)`,
      ratio(c('glue').total, c('bridge').total),
    ]),
  )
  console.log(
    row([
      'calls in all (sign-in included)',
      `${both('glue')} (${identifies('glue')} identify)`,
      `${both('bridge')} (${identifies('bridge')} identify)`,
      `${ratio(both('glue'), both('bridge'))} (identify ${ratio(identifies('glue'), identifies('bridge'))})`,
    ]),
  )
  console.log(
    row([
      'bytes added, prod. build (min / br)',
      `${bytes.glue.min} / ${bytes.glue.br} B`,
      `${bytes.bridge.min} / ${bytes.bridge.br} B`,
      `okta-segment is ${(bytes.bridge.br / bytes.glue.br).toFixed(1)}× the glue`,
    ]),
  )
  console.log('')
  console.log(
    `callback samples: ${timing.glue.callback.length} (glue), ${timing.bridge.callback.length} (okta-segment); timer resolution ${isolated ? '5 µs' : '100 µs'}.`,
  )
  console.log(
    "Callback: synchronous time in the integration's authStateManager subscriber when a sign-in emits (okta-segment defers its work to an idle period).",
  )
  console.log(
    'Long tasks (> 50 ms, PerformanceObserver) from each sign-in and sign-out until the page is idle again; "in the callback" = the task ran the subscriber.',
  )
  console.log(
    'Calls: events that reached the collector, one per messageId (a call re-sent after a reload counts once).',
  )
} finally {
  await browser.close()
  await Promise.all([collector.close(), site.close()])
}
