/**
 * A real, offline AnalyticsBrowser whose deliveries are captured from `globalThis.fetch`.
 *
 * Observed with @segment/analytics-next 1.84.3 under vitest 4 + happy-dom 21 (by running it):
 * - With `cdnSettings` inline, load makes no request at all and takes ~10 ms; the only requests
 *   are deliveries. Vitest sets NODE_ENV=test, which (browser/index.js) skips classic (device-mode)
 *   destinations and routing middleware: only the Segment.io plugin and your own plugins run.
 * - Wire format (standard delivery): one POST per event to `http://<apiHost>/<type[0]>`, here
 *   `http://collector.test/h<n>/v1/i` (identify), `/t` track, `/p` page, `/g` group, `/a` alias;
 *   headers `Content-Type: text/plain` and `Authorization: Basic base64(writeKey + ':')`; body is
 *   the JSON event with `writeKey`, `sentAt`, `_metadata`, `context`, `messageId`, `anonymousId`.
 *   Batching (`batching: true`) posts `{ batch: [...events], sentAt, writeKey }` to `/v1/b`;
 *   `sent` flattens it (each event gets url .../b).
 * - The plugin reads `getGlobal().fetch` (globalThis first) at every send, so stubbing
 *   globalThis.fetch after load still captures. Track payloads carry no `traits`.
 * - `identify()` persists before sending: localStorage `ajs_user_id` = '"u1"' (JSON-encoded),
 *   `ajs_user_traits`, `ajs_anonymous_id`, and cookies `ajs_user_id` / `ajs_anonymous_id` (raw).
 * - 'fail500' / 'throw' make the plugin retry with backoff (each attempt is recorded, with its
 *   status, 0 for 'throw'). Retries outlive the test: so the recorder is NOT removed by restore()
 *   while a failing harness existed; it then answers 200, unrecorded, so nothing reaches a network.
 */
import { AnalyticsBrowser } from '@segment/analytics-next'
import type { Analytics, CDNSettings, InitOptions } from '@segment/analytics-next'

export { SNIPPET_METHODS, createSnippetStub, readAjs, resetBrowserState } from './browser'
export type { SnippetStub } from './browser'

/** `hang`: the request reaches the collector and is never answered (a page cut off while it is in flight). */
export type Deliver = 'ok' | 'fail500' | 'throw' | 'hang'
export type EventType = 'identify' | 'track' | 'page' | 'group' | 'alias' | 'screen'
export interface SentEvent {
  url: string
  type: EventType
  body: Record<string, any>
  status: number
}
export interface RawRequest {
  url: string
  headers: Record<string, string>
  body: string
  status: number
}

const HOST = 'collector.test'
/** Each harness posts to its own path (`http://collector.test/h<n>/v1/…`), so that harnesses (tabs
 * of one site) can share a writeKey, as a site's pages do, and still be told apart. */
const apiHostOf = (id: number) => `${HOST}/h${id}/v1`

interface Sink {
  writeKey: string
  deliver: Deliver
  record(req: RawRequest, events: Record<string, any>[]): void
}
const sinks = new Map<number, Sink>()
let originalFetch: typeof fetch | undefined
let lingering = false
let counter = 0
/** Requests to anything but the collector (rejected); tests can assert it stays empty. */
export const unexpectedRequests: string[] = []

/** Header names lower-cased (happy-dom 21's Headers keeps the case it was given, unlike the spec). */
function headersOf(init?: RequestInit): Record<string, string> {
  const out: Record<string, string> = {}
  new Headers(init?.headers).forEach((v, k) => {
    out[k.toLowerCase()] = v
  })
  return out
}

async function recorder(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  const harness = new RegExp(`^http://${HOST}/h(\\d+)/v1/`).exec(url)
  if (!harness) {
    unexpectedRequests.push(url)
    throw new TypeError(`segment test harness: network disabled (${url})`)
  }
  const body = typeof init?.body === 'string' ? init.body : ''
  let parsed: Record<string, any> = {}
  try {
    parsed = JSON.parse(body) as Record<string, any>
  } catch {
    /* keep {} */
  }
  const sink = sinks.get(Number(harness[1]))
  if (!sink) return new Response('{}', { status: 200 }) // a stale instance of a finished test
  const status = sink.deliver === 'ok' ? 200 : sink.deliver === 'fail500' ? 500 : 0
  const events = Array.isArray(parsed.batch) ? (parsed.batch as Record<string, any>[]) : [parsed]
  sink.record({ url, headers: headersOf(init), body, status }, events)
  if (sink.deliver === 'throw') throw new TypeError('Failed to fetch')
  if (sink.deliver === 'hang') return new Promise<Response>(() => {})
  return new Response('{}', { status })
}

function install(): void {
  if (globalThis.fetch === recorder) return
  originalFetch = globalThis.fetch
  globalThis.fetch = recorder as typeof fetch
}

function uninstall(): void {
  if (sinks.size > 0 || lingering || globalThis.fetch !== recorder) return
  globalThis.fetch = originalFetch as typeof fetch
}

export interface CreateAnalyticsOptions {
  /** Default `test-write-key`: the same for every harness, as for every page of one site. */
  writeKey?: string
  deliver?: Deliver
  /** deliveryStrategy batching (posts to /v1/b); default config { size: 1, timeout: 1 } */
  batching?: boolean | { size?: number; timeout?: number }
  /** InitOptions for load(), e.g. { disableClientPersistence: true } */
  options?: InitOptions
  /** merged over the inline cdnSettings (shallow; integrations merged one level) */
  cdnSettings?: Partial<CDNSettings>
  plugins?: NonNullable<Parameters<AnalyticsBrowser['load']>[0]['plugins']>
}

export interface AnalyticsHarness {
  analytics: AnalyticsBrowser
  instance: Promise<Analytics>
  /** analytics-next still has events in its queue, or is flushing them (a slow machine). */
  busy(): boolean
  writeKey: string
  /** Where this harness's analytics posts: `${collector}/i`, `${collector}/t`… */
  collector: string
  sent: SentEvent[]
  requests: RawRequest[]
  /** first event in `sent` (present or future) matching predicate; rejects after timeoutMs */
  waitFor(predicate: (e: SentEvent) => boolean, timeoutMs?: number): Promise<SentEvent>
  /** Loads an AnalyticsBrowser made elsewhere (late) with this harness's writeKey and settings. */
  loadLate(browser: AnalyticsBrowser): void
  setDeliver(mode: Deliver): void
  restore(): void
}

export function createAnalytics(opts: CreateAnalyticsOptions = {}): AnalyticsHarness {
  const writeKey = opts.writeKey ?? 'test-write-key'
  const id = ++counter
  const sent: SentEvent[] = []
  const requests: RawRequest[] = []
  const waiters = new Set<() => void>()
  // Calls made on the loaded instance that have neither reached the wire (their messageId) nor
  // settled (dropped by a filter, or failed): analytics-next takes an event through its plugins
  // without its queue when the queue is empty, and on a loaded machine that can outlast `quiet`'s
  // window with nothing else to show for it.
  const inFlight = new Map<object, string | undefined>()
  const sink: Sink = {
    writeKey,
    deliver: opts.deliver ?? 'ok',
    record(req, events) {
      requests.push(req)
      for (const body of events) sent.push({ url: req.url, type: body.type as EventType, body, status: req.status })
      for (const body of events)
        for (const [call, id] of inFlight) if (id && id === body.messageId) inFlight.delete(call)
      waiters.forEach((w) => w())
    },
  }
  if (sink.deliver !== 'ok') lingering = true
  sinks.set(id, sink)
  install()

  const segmentSettings: Record<string, unknown> = { apiKey: writeKey, apiHost: apiHostOf(id), protocol: 'http' }
  if (opts.batching) {
    const config = { size: 1, timeout: 1, ...(typeof opts.batching === 'object' ? opts.batching : {}) }
    segmentSettings.deliveryStrategy = { strategy: 'batching', config }
  }
  // a fresh object per load: analytics-next may keep and change what it is given
  const cdnSettings = () =>
    ({
      ...opts.cdnSettings,
      integrations: { ...opts.cdnSettings?.integrations, 'Segment.io': segmentSettings },
      metrics: { sampleRate: 0, ...opts.cdnSettings?.metrics },
    }) as CDNSettings
  const analytics = AnalyticsBrowser.load({ writeKey, cdnSettings: cdnSettings(), plugins: opts.plugins }, opts.options)
  const instance = analytics.then(([a]) => a)
  let loaded: Analytics | undefined
  void instance.then((a) => {
    loaded = a
    for (const method of ['identify', 'track', 'group', 'page'] as const) {
      const made = a[method] as (...args: unknown[]) => unknown
      Object.defineProperty(a, method, {
        configurable: true,
        writable: true,
        value(...args: unknown[]) {
          const result = made.apply(a, args)
          const call = {}
          const messageId = args.find((x): x is { messageId: string } => !!(x as { messageId?: unknown })?.messageId)
          inFlight.set(call, messageId?.messageId)
          const done = () => void inFlight.delete(call)
          void Promise.resolve(result).then(done, done)
          return result
        },
      })
    }
  })

  const waitFor = (predicate: (e: SentEvent) => boolean, timeoutMs = 2000): Promise<SentEvent> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = sent.find(predicate)
        if (!hit) return false
        clearTimeout(timer)
        waiters.delete(check)
        resolve(hit)
        return true
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(
          new Error(
            `waitFor: no matching event within ${timeoutMs} ms; sent: ${JSON.stringify(
              sent.map((e) => [e.type, e.body.event ?? e.body.userId ?? null]),
            )}`,
          ),
        )
      }, timeoutMs)
      if (!check()) waiters.add(check)
    })

  return {
    analytics,
    instance,
    busy() {
      const q = loaded?.queue as unknown as { flushing?: boolean; queue?: { length: number } } | undefined
      return inFlight.size > 0 || (!!q && (!!q.flushing || !!q.queue?.length))
    },
    writeKey,
    collector: `http://${apiHostOf(id)}`,
    sent,
    requests,
    waitFor,
    loadLate: (browser) => void browser.load({ writeKey, cdnSettings: cdnSettings() }),
    setDeliver(mode) {
      sink.deliver = mode
      if (mode !== 'ok') lingering = true
    },
    restore() {
      sinks.delete(id)
      waiters.clear()
      uninstall()
    },
  }
}

/**
 * Waits until analytics-next has delivered everything it was given (nothing new for `ms`), across
 * `segments`. A call still in flight is waited for at most `patience` ms: one that never settles
 * (an app's page() while delivery hangs) must not hold the test.
 */
export async function quiet(
  segments: AnalyticsHarness | AnalyticsHarness[],
  ms = 30,
  patience = 20_000,
): Promise<void> {
  const count = () => [segments].flat().reduce((n, h) => n + h.sent.length, 0)
  const end = Date.now() + patience
  const busy = () => Date.now() < end && [segments].flat().some((h) => h.busy())
  let n = -1
  while (n !== count() || busy()) {
    n = count()
    await new Promise((r) => setTimeout(r, ms))
  }
}
