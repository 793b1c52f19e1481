// Real pieces on 127.0.0.1: the Segment-compatible collector, the handler served by the real Node
// adapter, and a fetch that plays Okta. Everything is closed after each test.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, vi } from 'vitest'
import { startCollector, type Collector, type CollectedEvent } from '../../servers/collector.mjs'
import { createEventHookHandler, toNodeListener } from '../../src/event-hooks'
import type { EventHookOptions, OktaSegmentError, RequestHandler } from '../../src/event-hooks'

// Real servers and analytics-node's retries: generous limits, so a slow machine never fails a test.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 })

export const SECRET = 'okta-hook-secret-5f1c9a'
export const WRITE_KEY = 'server-write-key'

const cleanups: (() => Promise<unknown> | unknown)[] = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})
/** Runs `fn` after the current test, whatever its outcome (last registered, first run). */
export const later = (fn: () => Promise<unknown> | unknown) => cleanups.push(fn)

/** Serves a (Request) => Response handler with toNodeListener on 127.0.0.1; its URL. */
export async function serve(handler: (request: Request) => Promise<Response>, path = '/okta/events'): Promise<string> {
  const server = http.createServer(toNodeListener(handler))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  later(() => new Promise((resolve) => server.close(resolve)))
  later(() => server.closeAllConnections())
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`
}

export async function collector(): Promise<Collector> {
  const c = await startCollector()
  later(() => c.close())
  return c
}

export interface Hook {
  url: string
  collector: Collector
  handler: RequestHandler
  errors: OktaSegmentError[]
  /** POSTs a body as Okta does (JSON, the secret in Authorization). */
  post(body: unknown, init?: { headers?: Record<string, string>; raw?: string }): Promise<Response>
  /** The collector's events carrying one of these messageIds, or from these Okta users. */
  received(pred?: (e: CollectedEvent) => boolean): CollectedEvent[]
}

/** A collector, an event hook handler delivering to it, and that handler on a real Node server. */
export async function hook(options: Partial<EventHookOptions> = {}): Promise<Hook> {
  const c = options.analytics ? (undefined as unknown as Collector) : await collector()
  const errors: OktaSegmentError[] = []
  const { segment, ...rest } = options
  const handler = createEventHookHandler({
    secret: SECRET,
    // never Segment itself: the collector, unless the test passes its own client or host
    segment: { writeKey: WRITE_KEY, ...(c ? { host: c.url } : {}), ...segment },
    onError: (e) => {
      errors.push(e)
      if (process.env.DEBUG_HOOKS) console.log('onError', e, e.cause) // DEBUG_HOOKS=1 npx vitest run test/event-hooks
    },
    ...rest,
  })
  later(() => handler.close(1000))
  const url = await serve(handler)
  const post = (body: unknown, init: { headers?: Record<string, string>; raw?: string } = {}) =>
    fetch(url, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: SECRET,
        ...init.headers,
      },
      body: init.raw ?? JSON.stringify(body),
    })
  return { url, collector: c, handler, errors, post, received: (pred = () => true) => c.events.filter(pred) }
}

/** The fields a payload is compared on (the rest is analytics-node's: sentAt, _metadata, library). */
export const essence = (e: CollectedEvent) => ({
  type: e.type,
  userId: e.userId,
  messageId: e.messageId,
  timestamp: e.timestamp,
  ...(e.event ? { event: e.event } : {}),
  ...(e.traits && Object.keys(e.traits).length ? { traits: e.traits } : {}),
  ...(e.properties && Object.keys(e.properties).length ? { properties: e.properties } : {}),
  ...(e.groupId ? { groupId: e.groupId } : {}),
})

type Sortable = { timestamp?: string; type: string; event?: string; messageId: string }
/** Event time, then identify before track, then name: the order a mapping emits for one event. */
export const byTime = (a: Sortable, b: Sortable) =>
  String(a.timestamp).localeCompare(String(b.timestamp)) ||
  a.type.localeCompare(b.type) ||
  String(a.event ?? '').localeCompare(String(b.event ?? '')) ||
  a.messageId.localeCompare(b.messageId)
