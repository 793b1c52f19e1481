// Each framework with the framework itself (Express 5, Fastify 5, Koa 3 + @koa/bodyparser, Hono 4, a
// Next.js route module, a Cloudflare Worker), through the recipes in examples/event-hooks-frameworks:
// Okta's verification, a delivery that reaches the collector, a wrong secret. Where a framework has
// read the body and left none, the answer is 500 saying how to mount the handler: never a 4xx, which
// Okta would not retry.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { bodyParser } from '@koa/bodyparser'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import Koa from 'koa'
import { describe, expect, test } from 'vitest'
import { toNodeListener, type EventHookOptions, type OktaSegmentError } from '../../src/event-hooks'
import { delivery, lifecycle } from './fixtures'
import { SECRET, WRITE_KEY, collector, later } from './helpers'

const RECIPES = '../../examples/event-hooks-frameworks'
const recipe = (name: string): Promise<any> => import(`${RECIPES}/${name}.mjs`)

/** Options for a handler delivering to a fresh collector; errors collected. */
async function setup(extra: Partial<EventHookOptions> = {}) {
  const c = await collector()
  const errors: OktaSegmentError[] = []
  const options: EventHookOptions = {
    secret: SECRET,
    segment: { writeKey: WRITE_KEY, host: c.url },
    onError: (e) => errors.push(e),
    ...extra,
  }
  return { c, errors, options }
}

/** Listens on 127.0.0.1 with a Node request listener; the URL of `path`. */
async function listen(listener: http.RequestListener, path = '/okta/events') {
  const server = http.createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  later(() => new Promise((resolve) => server.close(resolve)))
  later(() => server.closeAllConnections())
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`
}

type Fetch = (request: Request) => Promise<Response>
const overHttp =
  (url: string): Fetch =>
  (request) =>
    fetch(url, { method: request.method, headers: request.headers, body: request.body, duplex: 'half' } as RequestInit)

const verification = () =>
  new Request('http://hook.test/okta/events', {
    headers: { authorization: SECRET, 'x-okta-verification-challenge': 'challenge-7' },
  })
const post = (body: unknown, secret = SECRET) =>
  new Request('http://hook.test/okta/events', {
    method: 'POST',
    headers: { authorization: secret, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

/** Okta's three requests: verification 200, a delivery 204 (in the collector), a wrong secret 401. */
async function asOkta(send: Fetch, c: Awaited<ReturnType<typeof collector>>) {
  const verified = await send(verification())
  expect(verified.status).toBe(200)
  expect(await verified.json()).toEqual({ verification: 'challenge-7' })
  const delivered = await send(post(delivery([lifecycle('deactivate')])))
  expect(delivered.status).toBe(204)
  expect(c.events.map((e) => e.event ?? e.type)).toEqual(['identify', 'User Deactivated'])
  expect((await send(post(delivery([lifecycle('suspend')]), 'wrong'))).status).toBe(401)
  expect(c.events).toHaveLength(2)
}

/** A delivery whose body the framework read and did not leave: 500 saying how to mount, secret first. */
async function unreadable(send: Fetch, errors: OktaSegmentError[], advice: RegExp) {
  expect((await send(post(delivery([lifecycle('suspend')]), 'wrong'))).status).toBe(401)
  const res = await send(post(delivery([lifecycle('deactivate')])))
  expect(res.status).toBe(500)
  expect((await res.json()).error).toMatch(advice)
  expect(errors.at(-1)?.message).toMatch(advice)
}

describe('Express 5', () => {
  test('mounted before express.json() (the recipe): the handler reads the body', async () => {
    const { c, options } = await setup()
    const { app, close } = (await recipe('express')).createApp(options)
    later(close)
    await asOkta(overHttp(await listen(app)), c)
  })

  test('mounted after express.json(): the parsed req.body is taken', async () => {
    const { c, options } = await setup()
    const handler = (await import('../../src/event-hooks')).createEventHookHandler(options)
    later(() => handler.close(1000))
    const app = express()
    app.use(express.json())
    app.all('/okta/events', toNodeListener(handler))
    await asOkta(overHttp(await listen(app)), c)
  })
})

describe('Fastify 5', () => {
  test('the recipe: the parsed body handed over with the raw request', async () => {
    const { c, options } = await setup()
    const app = (await recipe('fastify')).createApp(options)
    later(() => app.close())
    await app.listen({ port: 0, host: '127.0.0.1' })
    await asOkta(overHttp(`http://127.0.0.1:${app.server.address().port}/okta/events`), c)
  })

  test('mounted the usual way (request.raw alone): 500 saying how, never 400', async () => {
    const { errors, options } = await setup()
    const handler = (await import('../../src/event-hooks')).createEventHookHandler(options)
    later(() => handler.close(1000))
    const listener = toNodeListener(handler)
    const app = Fastify()
    app.all('/okta/events', (request, reply) => {
      reply.hijack()
      listener(request.raw, reply.raw)
    })
    later(() => app.close())
    await app.listen({ port: 0, host: '127.0.0.1' })
    const send = overHttp(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/okta/events`)
    expect((await send(verification())).status).toBe(200)
    await unreadable(send, errors, /already read.*req\.body/)
  })
})

describe('Koa 3 with @koa/bodyparser', () => {
  test('the recipe: ctx.request.body handed over with ctx.req', async () => {
    const { c, options } = await setup()
    const { app, close } = (await recipe('koa')).createApp(options)
    later(close)
    await asOkta(overHttp(await listen(app.callback())), c)
  })

  test('mounted the usual way (ctx.req alone, after the body parser): 500 saying how', async () => {
    const { errors, options } = await setup()
    const handler = (await import('../../src/event-hooks')).createEventHookHandler(options)
    later(() => handler.close(1000))
    const listener = toNodeListener(handler)
    const app = new Koa()
    app.use(bodyParser())
    app.use(async (ctx) => {
      ctx.respond = false
      listener(ctx.req, ctx.res)
    })
    await unreadable(overHttp(await listen(app.callback())), errors, /already read.*req\.body/)
  })
})

describe('Hono 4', () => {
  test('the recipe: c.req.raw', async () => {
    const { c, options } = await setup()
    const { app, close } = (await recipe('hono')).createApp(options)
    later(close)
    await asOkta(async (request) => app.fetch(request), c)
  })

  test('after a middleware read the body: 500 saying how', async () => {
    const { errors, options } = await setup()
    const handler = (await import('../../src/event-hooks')).createEventHookHandler(options)
    later(() => handler.close(1000))
    const app = new Hono()
    app.use(async (c, next) => {
      if (c.req.method === 'POST') await c.req.json()
      await next()
    })
    app.all('/okta/events', (c) => handler(c.req.raw))
    await unreadable(async (request) => app.fetch(request), errors, /already read/)
  })
})

describe('Next.js route handler (app/okta/events/route.js)', () => {
  test('exports GET (the verification) and POST (deliveries), called as Next calls them', async () => {
    const { c } = await setup()
    Object.assign(process.env, { OKTA_HOOK_SECRET: SECRET, SEGMENT_WRITE_KEY: WRITE_KEY, SEGMENT_HOST: c.url })
    const route = await recipe('next-route')
    later(() => route.POST.close(1000))
    expect(route).toMatchObject({ runtime: 'nodejs', dynamic: 'force-dynamic' })
    const context = { params: Promise.resolve({}) }
    await asOkta((request) => (request.method === 'GET' ? route.GET : route.POST)(request, context), c)
  })
})

describe('Cloudflare Workers', () => {
  test('settings from each request’s env; one handler per settings, a new one when they change', async () => {
    const worker = await recipe('worker')
    const one = await setup()
    const two = await setup()
    const env = (c: typeof one.c, writeKey: string) => ({
      OKTA_HOOK_SECRET: SECRET,
      SEGMENT_WRITE_KEY: writeKey,
      SEGMENT_HOST: c.url,
    })
    const first = env(one.c, WRITE_KEY)
    await asOkta((request) => worker.default.fetch(request, first, {}), one.c)
    expect(worker.handlerFor({ ...first })).toBe(worker.handlerFor(first))
    const second = env(two.c, 'another-write-key')
    const res = await worker.default.fetch(post(delivery([lifecycle('suspend')])), second, {})
    expect(res.status).toBe(204)
    expect(two.c.events.map((e) => e.writeKey)).toEqual(['another-write-key', 'another-write-key'])
    later(() => worker.handlerFor(second).close(1000))
  })
})
