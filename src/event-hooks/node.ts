// Node's http (and Express, Fastify, Koa, which hand over the same req/res) -> the Web-standard
// handler. The body is streamed into the Request, so the handler's size limit stops reading early.
// When something read the stream first (a framework's body parser), the body it left on `req.body`
// (an object, a string or a Buffer) is taken instead; where it left none, the Request's body fails
// to read with a message that says how to mount the handler (answered 500, after the secret check).
// Node's IncomingMessage and ServerResponse as far as they are used here: structural, so the types
// need no @types/node (the entry's core also runs where Node's types are absent).
import { BodyUnavailable } from './http'

/** A Node `http` request (IncomingMessage), or Express's, which adds `body` and `originalUrl`. */
export interface NodeRequestLike extends AsyncIterable<unknown> {
  method?: string
  url?: string
  originalUrl?: string
  headers: Record<string, string | string[] | undefined>
  readableEnded?: boolean
  readableDidRead?: boolean
  /** What a body parser left: an object (JSON), a string or a Buffer. */
  body?: unknown
}

/** A Node `http` response (ServerResponse). */
export interface NodeResponseLike {
  headersSent: boolean
  writeHead(status: number, headers?: Record<string, string>): unknown
  end(body?: Uint8Array | string): unknown
}

const MOUNT =
  'the request body was already read (by a body parser) and not left on req.body: mount the handler ' +
  'before the body parser, or hand the parsed body over with the raw request: ' +
  'Fastify `listener(Object.assign(request.raw, { body: request.body }), reply.raw)`, ' +
  'Koa `listener(Object.assign(ctx.req, { body: ctx.request.body }), ctx.res)` (README: Server)'

const headersOf = (req: NodeRequestLike): Headers => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
  }
  return headers
}

// A body a parser left: bytes or text as they are, anything else as JSON again (its size is measured
// on that JSON, which may differ from the bytes sent: whitespace, escapes).
const parsedBody = (body: unknown): BodyInit => {
  if (typeof body === 'string' || body instanceof Uint8Array) return body as BodyInit
  return JSON.stringify(body)
}

const failing = (message: string): ReadableStream<Uint8Array> =>
  new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new BodyUnavailable(message))
    },
  })

const streamOf = (req: NodeRequestLike): ReadableStream<Uint8Array> => {
  const chunks = req[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next()
      if (done) controller.close()
      else controller.enqueue(value)
    },
    async cancel() {
      await chunks.return?.()
    },
  })
}

// Consumed: the stream was read (whole or in part) before the handler. A plain object without the
// stream flags (a test double, a serverless shim) counts as consumed when it carries a body.
const consumed = (req: NodeRequestLike): boolean =>
  req.readableEnded === true ||
  req.readableDidRead === true ||
  (req.readableEnded === undefined && req.body !== undefined)

const bodyOf = (req: NodeRequestLike): BodyInit => {
  if (!consumed(req)) return streamOf(req)
  return req.body === undefined || req.body === null ? failing(MOUNT) : parsedBody(req.body)
}

/** The Request a Node request stands for. */
export const toRequest = (req: NodeRequestLike): Request => {
  const method = req.method ?? 'GET'
  const url = new URL(req.originalUrl ?? req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`)
  const headers = headersOf(req)
  const body = method === 'GET' || method === 'HEAD' ? undefined : bodyOf(req)
  // the body is the parser's, not the bytes that were sent: their length no longer applies
  if (body !== undefined && consumed(req)) headers.delete('content-length')
  return new Request(url, { method, headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) })
}

/**
 * A Node `http` request listener for a handler; Express takes it as it is, Fastify and Koa with the
 * parsed body handed over (README: Server).
 * @example
 * http.createServer(toNodeListener(createEventHookHandler(options))).listen(8080)
 * app.all('/okta/events', toNodeListener(handler))      // Express: before express.json(), or after it
 */
export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
): (req: NodeRequestLike, res: NodeResponseLike) => void {
  return (req, res) => {
    const answer = async () => {
      const response = await handler(toRequest(req))
      const headers: Record<string, string> = {}
      response.headers.forEach((value, name) => (headers[name] = value))
      const body = new Uint8Array(await response.arrayBuffer())
      res.writeHead(response.status, headers)
      res.end(body) // with `connection: close` (413, a body not read in time) Node closes the connection after it
    }
    answer().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end('{"error":"internal error"}')
    })
  }
}
