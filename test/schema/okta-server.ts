// A local HTTP server on 127.0.0.1 that answers like Okta's management API for the calls the schema
// command makes (Okta's error bodies, Link pagination), and records every request it gets.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fixture } from './helpers'

export const TOKEN = '00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL'

export interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
}

export interface FakeOkta {
  origin: string
  seen: Seen[]
  /** Overrides the answer for one path (the query string is kept in `url`). */
  answer(path: string, status: number, body: unknown, headers?: Record<string, string>): void
  /** Back to the normal answers. */
  reset(): void
  close(): Promise<void>
}

const error = (code: string, summary: string) => ({
  errorCode: code,
  errorSummary: summary,
  errorLink: code,
  errorId: 'oae1example',
  errorCauses: [],
})

export const startOkta = async (): Promise<FakeOkta> => {
  const seen: Seen[] = []
  const overrides = new Map<string, { status: number; body: unknown; headers: Record<string, string> }>()
  const claims = fixture('claims.json') as unknown[]
  let origin = ''
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
    const url = new URL(req.url ?? '/', origin)
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(typeof body === 'string' ? body : JSON.stringify(body))
    }
    const override = overrides.get(url.pathname)
    if (override) return send(override.status, override.body, override.headers)
    if (req.headers.authorization !== `SSWS ${TOKEN}`) return send(401, error('E0000011', 'Invalid token provided'))
    if (url.pathname === '/api/v1/meta/schemas/user/default') return send(200, fixture('user-schema.json'))
    if (url.pathname === '/api/v1/meta/schemas/apps/0oa1exampleapp000001/default')
      return send(200, fixture('app-schema.json'))
    if (url.pathname === '/api/v1/authorizationServers/default/claims') {
      // Two pages, as Okta's list endpoints page: `after` is the cursor, `Link: <...>; rel="next"` the next page.
      const first = !url.searchParams.has('after')
      const next = `<${origin}/api/v1/authorizationServers/default/claims?after=ocl10&limit=10>; rel="next"`
      return send(200, first ? claims.slice(0, 10) : claims.slice(10), first ? { link: next } : {})
    }
    send(404, error('E0000007', `Not found: Resource not found: ${url.pathname} (AuthorizationServer)`))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    seen,
    answer: (path, status, body, headers = {}) => void overrides.set(path, { status, body, headers }),
    reset: () => overrides.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
