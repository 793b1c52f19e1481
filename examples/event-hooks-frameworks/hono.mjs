// Hono: the handler is Web-standard, so the route passes it the original Request (`c.req.raw`).
// Mount it before any middleware that reads the body (`c.req.json()` uses up `c.req.raw`'s body: the
// handler then answers 500 saying so).
//
//   Bun / Deno / Workers: export default app.   Node: serve({ fetch: app.fetch }) from @hono/node-server.
import { Hono } from 'hono'
import { createEventHookHandler } from 'okta-segment/event-hooks'

/** The app, with the event hook (made from `options`) at /okta/events; `close()` releases the handler. */
export function createApp(options) {
  const events = createEventHookHandler(options)
  const app = new Hono()
  app.all('/okta/events', (c) => events(c.req.raw))
  return { app, close: () => events.close(2000) }
}
