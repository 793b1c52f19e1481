// Express 5: the event hook and the Universal Logout receiver on two routes.
//
//   OKTA_HOOK_SECRET=… SEGMENT_WRITE_KEY=… node examples/event-hooks-frameworks/express.mjs
//
// Mounted before express.json(), the handler reads the body itself (its size limit stops a large body
// early); after it, it takes the parsed `req.body`. Either way works.
import express from 'express'
import { createEventHookHandler, toNodeListener } from 'okta-segment/event-hooks'
import { fromEnv, isMain, port } from './settings.mjs'

/** The app, with the event hook (made from `options`) at /okta/events; `close()` releases the handler (after the server). */
export function createApp(options) {
  const events = createEventHookHandler(options)
  const app = express()
  app.all('/okta/events', toNodeListener(events))
  app.use(express.json()) // the rest of your app
  return { app, close: () => events.close(2000) }
}

if (isMain(import.meta.url)) {
  const { app, close } = createApp(fromEnv())
  const server = app.listen(port(), '127.0.0.1')
  process.once('SIGTERM', () => server.close(close)) // stop taking requests first, then deliver what is pending
}
