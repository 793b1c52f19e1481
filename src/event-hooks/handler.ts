// createEventHookHandler(): Okta Event Hooks -> Segment, as a Web-standard (Request) => Response.
//
//   GET  + x-okta-verification-challenge  -> 200 {"verification": value}   (the secret is checked first)
//   GET  without the challenge            -> 400
//   POST {data: {events: [...]}}          -> 204 once Segment has every call, 503 if it has not in time
//   wrong secret 401 · not JSON 415 · too large 413 · unparsable or not {data: {events}} 400 · other methods 405
//
// The secret is checked before the body is read. Nothing is kept between requests.
import { OktaSegmentError } from '../errors'
import { hookConfig } from './hook-options'
import { empty, isJson, json, parseJson, problem, readText, TooLarge } from './http'
import { mapBatch } from './map-events'
import { NO_OKTA, OktaUnavailable, oktaReader } from './okta-api'
import { secretChecker } from './secret'
import { delivery } from './segment'
import type { EventHookOptions, RequestHandler } from './types'

/** Share of the deadline the Okta API reads may take; delivery has what is left. */
const OKTA_SHARE = 0.4
/** Longest verification challenge echoed back (Okta's is a short random string). */
const MAX_CHALLENGE = 1024

/**
 * An Okta Event Hook endpoint that sends what Okta tells it (lifecycle, profile, groups, sessions)
 * to Segment through @segment/analytics-node, and answers only once Segment has it.
 * @example
 * const handler = createEventHookHandler({ secret: process.env.OKTA_HOOK_SECRET, segment: { writeKey } })
 * http.createServer(toNodeListener(handler)).listen(8080)   // Workers, Deno, Bun: `fetch: handler`
 */
/* @__NO_SIDE_EFFECTS__ */
export function createEventHookHandler(options: EventHookOptions): RequestHandler {
  const config = hookConfig(options)
  const authorized = secretChecker(config.secrets)
  const segment = delivery(options, config.report)
  const refuse = (status: number, error: string, why = error): Response => {
    config.report(new OktaSegmentError('request', `okta-segment: event hook request refused (${status}): ${why}`))
    return problem(status, error)
  }

  const receive = async (request: Request, started: number): Promise<Response> => {
    const contentType = request.headers.get('content-type')
    if (!isJson(contentType)) return refuse(415, 'content-type must be application/json')
    let text: string
    try {
      text = await readText(request, config.maxBodyBytes)
    } catch (e) {
      if (e instanceof TooLarge) return refuse(413, `body larger than ${config.maxBodyBytes} bytes`)
      return refuse(400, 'body could not be read')
    }
    const body = parseJson(text) as { data?: { events?: unknown } } | undefined
    if (body === undefined) return refuse(400, 'body is not JSON')
    const events = body?.data?.events
    if (!Array.isArray(events)) return refuse(400, 'body must be {"data": {"events": [...]}}')

    const left = () => config.timeout - (Date.now() - started)
    const okta = config.okta ? oktaReader(config.okta, left() * OKTA_SHARE, config.report) : NO_OKTA
    let messages
    try {
      messages = await mapBatch(events, config, okta)
    } catch (e) {
      if (!(e instanceof OktaUnavailable)) throw e
      config.report(e)
      return problem(503, 'the Okta API did not answer; retry')
    }
    const failed = await segment.send(messages, left())
    if (!failed) return empty(204)
    config.report(failed)
    return problem(failed.code === 'options' ? 500 : 503, 'Segment did not confirm delivery; retry')
  }

  const handler = async (request: Request): Promise<Response> => {
    const started = Date.now()
    try {
      if (request.method !== 'GET' && request.method !== 'POST') return problem(405, 'method not allowed')
      if (!(await authorized(request.headers.get(config.header))))
        return refuse(401, 'unauthorized', `wrong or missing ${config.header} header`)
      if (request.method === 'GET') {
        const challenge = request.headers.get('x-okta-verification-challenge')
        if (!challenge)
          return problem(400, 'a GET is only for the one-time verification: x-okta-verification-challenge is missing')
        if (challenge.length > MAX_CHALLENGE) return problem(400, 'x-okta-verification-challenge is too long')
        return json(200, { verification: challenge })
      }
      return await receive(request, started)
    } catch (e) {
      config.report(new OktaSegmentError('request', 'okta-segment: the event hook handler failed', e))
      return problem(500, 'internal error')
    }
  }
  return Object.assign(handler, { close: (timeout?: number) => segment.close(timeout) })
}
