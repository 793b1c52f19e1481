// Node's http (and Express, which hands the same req/res) -> the Web-standard handler. The body is
// streamed into the Request, so the handler's size limit stops reading early; a body that a
// middleware such as express.json() already read is taken from `req.body` instead.
// Node's IncomingMessage and ServerResponse as far as they are used here: structural, so the types
// need no @types/node (the entry's core also runs where Node's types are absent).

/** A Node `http` request (IncomingMessage), or Express's, which adds `body` and `originalUrl`. */
export interface NodeRequestLike extends AsyncIterable<unknown> {
  method?: string
  url?: string
  originalUrl?: string
  headers: Record<string, string | string[] | undefined>
  readableEnded?: boolean
  body?: unknown
}

/** A Node `http` response (ServerResponse). */
export interface NodeResponseLike {
  headersSent: boolean
  writeHead(status: number, headers?: Record<string, string>): unknown
  end(body?: Uint8Array | string): unknown
}

const headersOf = (req: NodeRequestLike): Headers => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
  }
  return headers
}

// A body a middleware parsed: bytes or text as they are, an object as JSON again.
const parsedBody = (body: unknown): BodyInit | undefined => {
  if (body === undefined) return undefined
  if (typeof body === 'string' || body instanceof Uint8Array) return body as BodyInit
  return JSON.stringify(body)
}

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

/** The Request a Node request stands for. */
export const toRequest = (req: NodeRequestLike): Request => {
  const method = req.method ?? 'GET'
  const url = new URL(req.originalUrl ?? req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`)
  const headers = headersOf(req)
  const read = req.readableEnded || req.body !== undefined
  if (read) headers.delete('content-length') // the body is the middleware's, not the bytes that were sent
  const body = method === 'GET' || method === 'HEAD' ? undefined : read ? parsedBody(req.body) : streamOf(req)
  return new Request(url, { method, headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) })
}

/**
 * A Node `http` / Express request listener for a handler.
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
      res.end(body) // after a 413 (`connection: close`) Node closes the connection: the unread rest is not waited for
    }
    answer().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end('{"error":"internal error"}')
    })
  }
}
