// Cloudflare Workers: settings come with each request (`env`), not from process.env at start. The
// handler is made from the first request's env and kept while the settings stay the same (a new
// secret or write key makes a new one), so its Segment client is shared by the requests.
import { createEventHookHandler } from 'okta-segment/event-hooks'

let made // { key, handler }

/** The event hook handler for these settings, made once per secret and write key. */
export function handlerFor(env) {
  const key = `${env.OKTA_HOOK_SECRET}\n${env.SEGMENT_WRITE_KEY}\n${env.SEGMENT_HOST ?? ''}`
  if (made?.key !== key) {
    made?.handler.close(2000) // the previous settings' client: deliver what it has, then release it
    const host = env.SEGMENT_HOST ? { host: env.SEGMENT_HOST } : {}
    const segment = { writeKey: env.SEGMENT_WRITE_KEY, ...host }
    made = { key, handler: createEventHookHandler({ secret: env.OKTA_HOOK_SECRET, segment }) }
  }
  return made.handler
}

export default {
  fetch: (request, env) => handlerFor(env)(request),
}
