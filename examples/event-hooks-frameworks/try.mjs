/* global Request */
// Runs every recipe here against the built package (imported by name, as your app would) and a local
// Segment collector: Okta's verification, a delivery, a wrong secret. Exits non-zero if one fails.
//
//   npm run build && node examples/event-hooks-frameworks/try.mjs
import assert from 'node:assert/strict'
import http from 'node:http'
import { startCollector } from '../../servers/collector.mjs'
import { oktaDelivery, oktaEvent } from '../event-hooks-node/okta-sample.mjs'

const secret = 'example-hook-secret'
const writeKey = 'example-write-key'

const asOkta = async (name, send, collector) => {
  const verify = await send(
    new Request('http://x/okta/events', {
      headers: { authorization: secret, 'x-okta-verification-challenge': 'challenge-123' },
    }),
  )
  assert.deepEqual(await verify.json(), { verification: 'challenge-123' }, name)
  const post = (auth) =>
    send(
      new Request('http://x/okta/events', {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(oktaDelivery([oktaEvent('user.lifecycle.suspend')])),
      }),
    )
  assert.equal((await post(secret)).status, 204, name)
  assert.equal((await post('wrong')).status, 401, name)
  assert.deepEqual(
    collector.events.map((e) => e.event ?? e.type),
    ['identify', 'User Suspended'],
    name,
  )
  console.log(`${name}: verification 200, delivery 204, wrong secret 401; Segment got identify, User Suspended`)
}

const listening = async (listener) => {
  const server = http.createServer(listener)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${server.address().port}`
  const send = (r) =>
    fetch(base + new URL(r.url).pathname, { method: r.method, headers: r.headers, body: r.body, duplex: 'half' })
  return { send, close: () => new Promise((resolve) => server.close(resolve)) }
}

const recipes = {
  async express(options) {
    const { app, close } = (await import('./express.mjs')).createApp(options)
    const s = await listening(app)
    return { send: s.send, close: async () => (await s.close(), await close()) }
  },
  async fastify(options) {
    const app = (await import('./fastify.mjs')).createApp(options)
    await app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${app.server.address().port}`
    const send = (r) =>
      fetch(base + '/okta/events', { method: r.method, headers: r.headers, body: r.body, duplex: 'half' })
    return { send, close: () => app.close() }
  },
  async koa(options) {
    const { app, close } = (await import('./koa.mjs')).createApp(options)
    const s = await listening(app.callback())
    return { send: s.send, close: async () => (await s.close(), await close()) }
  },
  async hono(options) {
    const { app, close } = (await import('./hono.mjs')).createApp(options)
    return { send: async (r) => app.fetch(r), close }
  },
  async 'next route'(options) {
    Object.assign(process.env, {
      OKTA_HOOK_SECRET: options.secret,
      SEGMENT_WRITE_KEY: writeKey,
      SEGMENT_HOST: options.segment.host,
    })
    const route = await import('./next-route.mjs')
    return {
      send: (r) => (r.method === 'GET' ? route.GET : route.POST)(r, { params: Promise.resolve({}) }),
      close: () => route.POST.close(2000),
    }
  },
  async worker(options) {
    const worker = await import('./worker.mjs')
    const env = { OKTA_HOOK_SECRET: options.secret, SEGMENT_WRITE_KEY: writeKey, SEGMENT_HOST: options.segment.host }
    return { send: (r) => worker.default.fetch(r, env, {}), close: () => worker.handlerFor(env).close(2000) }
  },
}

for (const [name, start] of Object.entries(recipes)) {
  const collector = await startCollector()
  const app = await start({ secret, segment: { writeKey, host: collector.url }, onError: () => {} })
  try {
    await asOkta(name, app.send, collector)
  } finally {
    await app.close()
    await collector.close()
  }
}
