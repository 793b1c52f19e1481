// createEventHookHandler(): Okta Event Hooks -> Segment, as a Web-standard (Request) => Response.
//
//   other methods 405 (before anything else: which methods exist is no secret)
//   GET  + x-okta-verification-challenge  -> 200 {"verification": value}   (the secret is checked first)
//   GET  without the challenge            -> 400
//   POST {data: {events: [...]}}          -> 204 once Segment has every call, 503 if it has not within `timeout`
//   wrong secret 401 · not JSON 415 · too large 413 · unparsable or not {data: {events}} 400 ·
//   a body that could not be read (a framework used it up) 500, saying how to mount the handler
//
// The secret is checked before the body is read. Nothing is kept between requests.
import { OktaSegmentError } from '../errors'
import { deliveryReceiver, refusal } from './hook-delivery'
import { hookConfig } from './hook-options'
import { json, problem } from './http'
import { secretChecker } from './secret'
import { delivery } from './segment'
import type { EventHookOptions, RequestHandler } from './types'

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
  const refuse = refusal(config.report)
  const receiver = deliveryReceiver(config, segment)

  const verify = (request: Request): Response => {
    const challenge = request.headers.get('x-okta-verification-challenge')
    if (!challenge)
      return problem(400, 'a GET is only for the one-time verification: x-okta-verification-challenge is missing')
    if (challenge.length > MAX_CHALLENGE) return problem(400, 'x-okta-verification-challenge is too long')
    return json(200, { verification: challenge })
  }

  const handler = async (request: Request): Promise<Response> => {
    const started = Date.now()
    try {
      if (request.method !== 'GET' && request.method !== 'POST') return problem(405, 'method not allowed')
      if (!(await authorized(request.headers.get(config.header))))
        return refuse(401, 'unauthorized', `wrong or missing ${config.header} header`)
      if (request.method === 'GET') return verify(request)
      return await receiver.receive(request, started)
    } catch (e) {
      config.report(new OktaSegmentError('request', 'okta-segment: the event hook handler failed', e))
      return problem(500, 'internal error')
    }
  }
  // Shutdown: attempts still mapping or sending after their answer hand their calls over first (at
  // most `timeout` ms in all), then the client delivers what it holds and is released.
  const close = async (timeout = 5000) => {
    const t0 = Date.now()
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([receiver.settled(), new Promise((resolve) => (timer = setTimeout(resolve, timeout)))])
    clearTimeout(timer)
    await segment.close(Math.max(1, timeout - (Date.now() - t0)))
  }
  return Object.assign(handler, { close })
}
