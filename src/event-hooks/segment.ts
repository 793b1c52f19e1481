// Delivery through @segment/analytics-node, answering "does Segment have these?" per request.
//
// analytics-node's flush() is process-wide: it waits for every pending event (other requests' too),
// an overlapping call returns at once with a warning, and its timeout aborts every batch in flight.
// So a request does not flush with a timeout: each call gets analytics-node's delivery callback
// (it runs once the event is delivered, or has failed after the retries) and the request waits for
// its own callbacks, until its signal aborts (the deadline). The client made here batches for 100 ms
// (shorter than analytics-core's fixed 300 ms before a callback runs); a client you pass is nudged
// with one flush() at a time. Calls are handed over in slices, with a turn of the event loop between
// them, so that a delivery of thousands of events never holds the deadline's timer back.
import { OktaSegmentError, OptionsError } from '../errors'
import { nextTurn, whenAborted } from './http'
import type { AnalyticsNodeLike, DeliveryOptions, SegmentMessage } from './types'

/** How long the made client gathers calls into one batch. */
export const BATCH_WINDOW_MS = 100

/** How many calls are handed to analytics-node before the event loop gets a turn. */
const SLICE = 200

export interface Delivery {
  /**
   * Sends the messages; resolves with `undefined` once Segment has them all, with why not when a call
   * failed, or with `'aborted'` when `signal` aborted first (the calls still go: only the wait ends).
   */
  send(messages: readonly SegmentMessage[], signal: AbortSignal): Promise<OktaSegmentError | 'aborted' | undefined>
  close(timeout?: number): Promise<void>
}

const missing = () =>
  new OptionsError(
    'segment',
    'needs the package @segment/analytics-node to deliver: `npm install @segment/analytics-node`, or pass `analytics`',
  )

// Loaded on first use, so browser-only installs never need it and bundlers still see the import.
const made = async ({ writeKey, host }: DeliveryOptions['segment']): Promise<AnalyticsNodeLike> => {
  let mod: { Analytics?: new (settings: Record<string, unknown>) => unknown }
  try {
    mod = (await import('@segment/analytics-node')) as unknown as typeof mod
  } catch (e) {
    throw Object.assign(missing(), { cause: e })
  }
  if (typeof mod.Analytics !== 'function') throw missing()
  const settings = { writeKey, flushInterval: BATCH_WINDOW_MS, maxRetries: 3, ...(host ? { host } : {}) }
  return new mod.Analytics(settings) as AnalyticsNodeLike
}

const dispatch = (analytics: AnalyticsNodeLike, m: SegmentMessage, done: (error?: unknown) => void): void => {
  const base = {
    userId: m.userId,
    timestamp: m.timestamp,
    messageId: m.messageId,
    ...(m.context ? { context: m.context } : {}),
  }
  if (m.type === 'identify') analytics.identify({ ...base, traits: m.traits }, done)
  else if (m.type === 'track') analytics.track({ ...base, event: m.event, properties: m.properties ?? {} }, done)
  else analytics.group({ ...base, groupId: m.groupId, traits: m.traits ?? {} }, done)
}

/** Delivery for one handler: its own client (made at once, so a missing package is reported at creation) or yours. */
export function delivery(options: DeliveryOptions, report: (error: OktaSegmentError) => void): Delivery {
  const own = !options.analytics
  const client = options.analytics ? Promise.resolve(options.analytics) : made(options.segment)
  client.catch((e: unknown) =>
    report(e instanceof OktaSegmentError ? e : new OktaSegmentError('delivery', String(e), e)),
  )

  let flushing = false
  let again = false
  const nudge = (analytics: AnalyticsNodeLike): void => {
    if (own || !analytics.flush) return
    if (flushing) {
      again = true
      return
    }
    flushing = true
    analytics
      .flush()
      .catch(() => {})
      .finally(() => {
        flushing = false
        if (again) {
          again = false
          nudge(analytics)
        }
      })
  }

  return {
    async send(messages, signal) {
      if (!messages.length) return undefined
      let analytics: AnalyticsNodeLike
      try {
        analytics = await client
      } catch (e) {
        return e instanceof OktaSegmentError ? e : new OktaSegmentError('delivery', String(e), e)
      }
      const results: Promise<unknown>[] = []
      // Every call is handed over even after the deadline: the answer was 503, but what reaches Segment
      // now is not lost if Okta's one retry times out too (its copies carry the same messageIds).
      for (let i = 0; i < messages.length; i += SLICE) {
        for (const m of messages.slice(i, i + SLICE))
          results.push(
            new Promise<unknown>((resolve) => {
              try {
                dispatch(analytics, m, (error) => resolve(error))
              } catch (e) {
                resolve(e ?? new Error('analytics threw'))
              }
            }),
          )
        nudge(analytics)
        if (i + SLICE < messages.length) await nextTurn()
      }
      const outcome = await Promise.race([Promise.all(results), whenAborted(signal)])
      if (outcome === 'aborted') return 'aborted'
      const failed = outcome.find((e) => e !== undefined && e !== null)
      if (failed === undefined) return undefined
      const reason = (failed instanceof Error ? failed.message : String(failed)).slice(0, 200)
      return new OktaSegmentError('delivery', `okta-segment: delivery to Segment failed (${reason})`, failed)
    },
    async close(timeout = 5000) {
      if (!own) return
      const analytics = await client.catch(() => undefined)
      await analytics?.closeAndFlush?.({ timeout })
    },
  }
}
