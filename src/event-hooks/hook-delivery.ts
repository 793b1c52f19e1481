// The POST of an event hook, answered within `timeout` whatever happens: read the body, map the events,
// send the calls, then 204 once Segment has them all. When the deadline comes first (a body sent
// slowly, a delivery of thousands of events, a Segment that does not answer), Okta hears 503 at once
// and retries; what was under way is told to onError. A body still arriving is given up; events
// already read are still mapped and sent (the retry's copies carry the same messageIds), so a
// delivery too large to confirm in time is not lost when the retry times out too.
import { OktaSegmentError } from '../errors'
import type { HookConfig } from './hook-options'
import { BodyUnavailable, empty, isJson, parseJson, problem, readText, TooLarge, whenAborted } from './http'
import { mapBatch, messagesIn, type Mapped } from './map-events'
import { unmapped } from './observe'
import { NO_OKTA, OktaUnavailable, oktaReader } from './okta-api'
import type { Delivery } from './segment'

/** Share of the time left that the Okta API reads may take; delivery has what is left after them. */
const OKTA_SHARE = 0.4
const READING = 'reading the body'
/** What an attempt returns once the deadline has answered for it: never sent. */
const MOOT = Symbol('moot')

/** What an attempt has got to, for the deadline's report. */
interface Progress {
  stage: string
  events?: readonly unknown[]
  mapped?: readonly Mapped[]
}

/** A refusal: told to onError (`why`, which never holds a credential) and answered `{ error }`. */
export const refusal =
  (report: HookConfig['report']) =>
  (status: number, error: string, why = error): Response => {
    report(new OktaSegmentError('request', `okta-segment: event hook request refused (${status}): ${why}`))
    return problem(status, error)
  }

/** Receives POSTs; `settled()` resolves once every attempt has handed its calls over (for close()). */
export interface DeliveryReceiver {
  /** The answer to a POST, at most `timeout` ms after `started`. */
  receive(request: Request, started: number): Promise<Response>
  settled(): Promise<unknown>
}

export function deliveryReceiver(config: HookConfig, segment: Delivery): DeliveryReceiver {
  const attempts = new Set<Promise<unknown>>()
  const refuse = refusal(config.report)

  const read = async (request: Request, signal: AbortSignal): Promise<string | Response | typeof MOOT> => {
    try {
      return await readText(request, config.maxBodyBytes, signal)
    } catch (e) {
      if (e instanceof TooLarge) return refuse(413, `body larger than ${config.maxBodyBytes} bytes`)
      if (e instanceof BodyUnavailable) return refuse(500, e.message)
      if (signal.aborted) return MOOT
      // Never a 4xx for a delivery that could not be read: Okta would not retry it.
      return refuse(500, 'the request body could not be read')
    }
  }

  const attempt = async (request: Request, at: Progress, signal: AbortSignal, left: () => number) => {
    if (!isJson(request.headers.get('content-type'))) return refuse(415, 'content-type must be application/json')
    const text = await read(request, signal)
    if (typeof text !== 'string') return text
    const body = parseJson(text) as { data?: { events?: unknown } } | undefined
    if (body === undefined) return refuse(400, 'body is not JSON')
    const events = body?.data?.events
    if (!Array.isArray(events)) return refuse(400, 'body must be {"data": {"events": [...]}}')
    Object.assign(at, { events, stage: `mapping ${events.length} events` })
    const okta = config.okta ? oktaReader(config.okta, left() * OKTA_SHARE, config.report) : NO_OKTA
    let mapped: Mapped[]
    try {
      mapped = await mapBatch(events, config, okta)
    } catch (e) {
      if (!(e instanceof OktaUnavailable) || signal.aborted) throw e
      config.report(e)
      config.observe(events.map(unmapped), 'the Okta API did not answer')
      return problem(503, 'the Okta API did not answer; retry')
    }
    const messages = messagesIn(mapped)
    Object.assign(at, { mapped, stage: `Segment did not confirm ${messages.length} calls` })
    const failed = await segment.send(messages, signal)
    if (failed === 'aborted' || signal.aborted) return MOOT
    if (!failed) {
      config.observe(mapped)
      return empty(204)
    }
    config.report(failed)
    config.observe(mapped, failed.message.replace(/^okta-segment: /, ''))
    return problem(failed.code === 'options' ? 500 : 503, 'Segment did not confirm delivery; retry')
  }

  const late = (at: Progress): Response => {
    const why = `no answer within ${config.timeout} ms (${at.stage})`
    const code = at.stage === READING ? 'request' : 'delivery'
    config.report(new OktaSegmentError(code, `okta-segment: ${why}: answered 503, Okta retries`))
    config.observe(at.mapped ?? at.events?.map(unmapped) ?? [], why)
    if (at.stage === READING) return problem(503, 'the body did not arrive in time; retry', true)
    return problem(503, at.mapped ? 'Segment did not confirm delivery; retry' : 'not done in time; retry')
  }

  const receive = async (request: Request, started: number) => {
    const stop = new AbortController()
    const at: Progress = { stage: READING }
    const left = () => config.timeout - (Date.now() - started)
    const timer = setTimeout(() => stop.abort(), Math.max(0, left()))
    const work = attempt(request, at, stop.signal, left)
    const settled = work.catch(() => {}) // after the deadline its outcome is moot
    attempts.add(settled)
    void settled.then(() => attempts.delete(settled))
    try {
      const first = await Promise.race([work, whenAborted(stop.signal)])
      return first === 'aborted' || first === MOOT ? late(at) : first
    } finally {
      clearTimeout(timer)
    }
  }
  return { receive, settled: () => Promise.all(attempts) }
}
