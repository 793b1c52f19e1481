// Koa 3 with @koa/bodyparser (koa-bodyparser is the same). The body parser has read the body by the
// time the middleware runs, so it hands `ctx.request.body` over with the raw request, and tells Koa
// that the listener answers (`ctx.respond = false`).
//
//   OKTA_HOOK_SECRET=… SEGMENT_WRITE_KEY=… node examples/event-hooks-frameworks/koa.mjs
import { bodyParser } from '@koa/bodyparser'
import Koa from 'koa'
import { createEventHookHandler, toNodeListener } from 'okta-segment/event-hooks'
import { fromEnv, isMain, port } from './settings.mjs'

/** Koa middleware serving an okta-segment handler at `path`. */
export const serve = (path, handler) => {
  const listener = toNodeListener(handler)
  return async (ctx, next) => {
    if (ctx.path !== path) return next()
    ctx.respond = false
    listener(Object.assign(ctx.req, { body: ctx.request.body }), ctx.res)
  }
}

/** The app, with the event hook (made from `options`) at /okta/events; `close()` releases the handler (after the server). */
export function createApp(options) {
  const events = createEventHookHandler(options)
  const app = new Koa()
  app.use(bodyParser())
  app.use(serve('/okta/events', events))
  return { app, close: () => events.close(2000) }
}

if (isMain(import.meta.url)) {
  const { app, close } = createApp(fromEnv())
  const server = app.listen(port(), '127.0.0.1')
  process.once('SIGTERM', () => server.close(close)) // stop taking requests first, then deliver what is pending
}
