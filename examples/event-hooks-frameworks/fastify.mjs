// Fastify 5. Fastify reads and parses the body before the route runs, so the route hands the parsed
// body to the Node listener with the raw request: `Object.assign(request.raw, { body: request.body })`.
// (`listener(request.raw, reply.raw)` alone answers 500 saying so: the body is gone by then.)
//
//   OKTA_HOOK_SECRET=… SEGMENT_WRITE_KEY=… node examples/event-hooks-frameworks/fastify.mjs
import Fastify from 'fastify'
import { createEventHookHandler, toNodeListener } from 'okta-segment/event-hooks'
import { fromEnv, isMain, port } from './settings.mjs'

/** A Fastify route handler for an okta-segment handler. */
export const route = (handler) => {
  const listener = toNodeListener(handler)
  return (request, reply) => {
    reply.hijack() // the listener writes the answer itself
    listener(Object.assign(request.raw, { body: request.body }), reply.raw)
  }
}

/** The app, with the event hook (made from `options`) at /okta/events. `app.close()` closes the server, then the handler. */
export function createApp(options) {
  const events = createEventHookHandler(options)
  const app = Fastify()
  app.all('/okta/events', route(events))
  app.addHook('onClose', () => events.close(2000))
  return app
}

if (isMain(import.meta.url)) {
  const app = createApp(fromEnv())
  await app.listen({ port: port(), host: '127.0.0.1' })
  process.once('SIGTERM', () => app.close())
}
