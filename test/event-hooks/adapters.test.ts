// The thin adapters and the other ways in: AWS Lambda (function URL / API Gateway events), a Node
// request whose body a middleware already parsed (express.json()), Log Streaming through EventBridge,
// and the mapping alone.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, test } from 'vitest'
import {
  createEventHookHandler,
  createEventMapper,
  createLogStreamHandler,
  toLambdaHandler,
  toNodeListener,
  type LogStreamEvent,
} from '../../src/event-hooks'
import { delivery, lifecycle, sessionClear, USER } from './fixtures'
import { SECRET, WRITE_KEY, collector, essence, hook, later } from './helpers'

/** A function URL request as Lambda hands it over (payload format 2.0). */
const functionUrlEvent = (method: string, body?: unknown, headers: Record<string, string> = {}, base64 = false) => {
  const text = body === undefined ? undefined : JSON.stringify(body)
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/okta/events',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      host: 'abc123.lambda-url.eu-west-1.on.aws',
      authorization: SECRET,
      ...headers,
    },
    requestContext: {
      domainName: 'abc123.lambda-url.eu-west-1.on.aws',
      http: { method, path: '/okta/events', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9' },
    },
    body: text === undefined ? undefined : base64 ? Buffer.from(text).toString('base64') : text,
    isBase64Encoded: base64,
  }
}

describe('AWS Lambda', () => {
  test('verification, delivery (plain and base64 bodies) and refusals through the Lambda adapter', async () => {
    const c = await collector()
    const handler = createEventHookHandler({
      secret: SECRET,
      segment: { writeKey: WRITE_KEY, host: c.url },
      onError: () => {},
    })
    later(() => handler.close(1000))
    const lambda = toLambdaHandler(handler)
    const verify = await lambda(functionUrlEvent('GET', undefined, { 'x-okta-verification-challenge': 'v-123' }))
    expect(verify).toMatchObject({ statusCode: 200, body: '{"verification":"v-123"}', isBase64Encoded: false })
    expect(verify.headers['content-type']).toBe('application/json')
    expect(await lambda(functionUrlEvent('POST', delivery([lifecycle('deactivate')])))).toMatchObject({
      statusCode: 204,
      body: '',
    })
    expect(await lambda(functionUrlEvent('POST', delivery([sessionClear()]), {}, true))).toMatchObject({
      statusCode: 204,
    })
    expect((await lambda(functionUrlEvent('POST', delivery([]), { authorization: 'wrong' }))).statusCode).toBe(401)
    expect(c.events.map((e) => e.event ?? e.type)).toEqual(
      expect.arrayContaining(['identify', 'User Deactivated', 'Signed Out']),
    )
    expect(c.events).toHaveLength(3)
  })
})

describe('Node listener: a body a parser already read', () => {
  /** A server whose "parser" reads the whole body and leaves `parse(bytes)` on req.body (undefined: none). */
  async function parsedBy(parse: (bytes: Buffer) => unknown, options: Parameters<typeof hook>[0] = {}) {
    const h = await hook(options)
    const listener = toNodeListener(h.handler)
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => listener(Object.assign(req, { body: parse(Buffer.concat(chunks)) }), res))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    later(() => new Promise((resolve) => server.close(resolve)))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/events`
    const post = (body: string, type = 'application/json', secret = SECRET) =>
      fetch(url, { method: 'POST', headers: { authorization: secret, 'content-type': type }, body })
    return { h, post }
  }
  const body = () => JSON.stringify(delivery([lifecycle('suspend')]))

  test.each([
    ['an object (express.json())', (b: Buffer) => JSON.parse(b.toString())],
    ['a string (express.text())', (b: Buffer) => b.toString()],
    ['a Buffer (express.raw())', (b: Buffer) => b],
  ])('%s is used as it is', async (_, parse) => {
    const { h, post } = await parsedBy(parse)
    expect((await post(body())).status).toBe(204)
    expect(h.received().map((e) => e.event ?? e.type)).toEqual(['identify', 'User Suspended'])
  })

  test('the rules still apply: the secret first, the content type, the size (an object measured as JSON again)', async () => {
    const big = JSON.stringify(delivery(Array.from({ length: 60 }, () => lifecycle('deactivate'))))
    const { h, post } = await parsedBy((b) => JSON.parse(b.toString()), { maxBodyBytes: 64 * 1024 })
    expect((await post(body(), 'application/json', 'wrong')).status).toBe(401)
    expect((await post(body(), 'text/plain')).status).toBe(415)
    expect((await post(big)).status).toBe(413)
    expect(h.collector.events).toEqual([])
  })

  test('none left: 500 saying how to mount the handler (the secret still checked first)', async () => {
    const { h, post } = await parsedBy(() => undefined)
    expect((await post(body(), 'application/json', 'wrong')).status).toBe(401)
    const res = await post(body())
    expect(res.status).toBe(500)
    expect((await res.json()).error).toMatch(/already read.*req\.body.*Fastify.*Koa/)
    expect(h.errors.at(-1)?.code).toBe('request')
  })
})

describe('Log Streaming (EventBridge) and the mapping alone', () => {
  const bridgeEvent = (detail: object): LogStreamEvent => ({
    version: '0',
    id: 'b3c1e1a2-0000-4000-8000-000000000001',
    'detail-type': 'SystemLog',
    source: 'aws.partner/okta.com/example-org/okta-segment',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: [],
    detail: detail as LogStreamEvent['detail'],
  })

  test('the log stream handler sends what the hook handler would, with the same messageIds', async () => {
    const viaHook = await hook()
    const event = lifecycle('deactivate')
    await viaHook.post(delivery([event]))
    const c = await collector()
    const stream = createLogStreamHandler({ segment: { writeKey: WRITE_KEY, host: c.url }, onError: () => {} })
    later(() => stream.close(1000))
    expect(await stream(bridgeEvent(event))).toEqual({ sent: 2 })
    expect(
      await stream([
        bridgeEvent(lifecycle('activate', { ...USER, id: '00u9' })),
        bridgeEvent({ eventType: 'user.session.start' }),
      ]),
    ).toEqual({ sent: 2 })
    expect(c.events.slice(0, 2).map(essence)).toEqual(viaHook.received().map(essence))
  })

  test('the log stream handler rejects when Segment does not confirm (so Lambda retries)', async () => {
    const c = await collector()
    c.mode = 'fail500'
    const stream = createLogStreamHandler({
      segment: { writeKey: WRITE_KEY, host: c.url },
      timeout: 1500,
      onError: () => {},
    })
    later(() => stream.close(100))
    await expect(stream(bridgeEvent(lifecycle('deactivate')))).rejects.toThrow(/did not confirm/)
  })

  test('createEventMapper gives the messages without sending them', async () => {
    const toSegment = createEventMapper({ segment: { writeKey: WRITE_KEY } })
    const event = lifecycle('suspend')
    const messages = await toSegment(event)
    expect(messages.map(({ messageId: _, ...m }) => m)).toEqual([
      { type: 'identify', traits: { status: 'SUSPENDED' }, userId: USER.id, timestamp: event.published },
      {
        type: 'track',
        event: 'User Suspended',
        properties: { status: 'SUSPENDED' },
        userId: USER.id,
        timestamp: event.published,
      },
    ])
    expect(await toSegment(event)).toEqual(messages)
  })
})
