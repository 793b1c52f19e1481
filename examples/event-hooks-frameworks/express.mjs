// Express 5: the event hook and the Universal Logout receiver on two routes.
//
//   OKTA_HOOK_SECRET=… SEGMENT_WRITE_KEY=… node examples/event-hooks-frameworks/express.mjs
//
// Mounted before express.json(), the handler reads the body itself (its size limit stops a large body
// early); after it, it takes the parsed `req.body`. Either way works.
import express from 'express'
import { createEventHookHandler, toNodeListener } from 'okta-segment/event-hooks'

/** The app, with the event hook (made from `options`) at /okta/events; `close()` releases the handler (after the server). */
export function createApp(options) {
  const events = createEventHookHandler(options)
  const app = express()
  app.all('/okta/events', toNodeListener(events))
  app.use(express.json()) // the rest of your app
  return { app, close: () => events.close(2000) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app, close } = createApp({
    secret: process.env.OKTA_HOOK_SECRET,
    segment: { writeKey: process.env.SEGMENT_WRITE_KEY },
  })
  const server = app.listen(Number(process.env.PORT ?? 8080), '127.0.0.1')
  // Shutdown: stop taking requests first, then deliver what is pending.
  process.once('SIGTERM', () => server.close(() => close()))
}
