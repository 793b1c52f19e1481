// An Okta Event Hook endpoint (and, with OKTA_ISSUER, a Universal Logout endpoint) on Node's http.
//
//   OKTA_HOOK_SECRET=… SEGMENT_WRITE_KEY=… node examples/event-hooks-node/server.mjs
//
// Express takes the same listener: app.all('/okta/events', toNodeListener(events)). Fastify, Koa,
// Hono, Next.js and Workers: examples/event-hooks-frameworks.
import http from 'node:http'
import { createEventHookHandler, createUniversalLogoutHandler, toNodeListener } from 'okta-segment/event-hooks'

/** Starts the endpoints; resolves with the server's URL and a close(). */
export async function start({ port = 8080, secret, writeKey, segmentHost, issuer, audience, revoke } = {}) {
  const segment = { writeKey, ...(segmentHost ? { host: segmentHost } : {}) }
  const events = createEventHookHandler({ secret, segment })
  const logout = issuer && createUniversalLogoutHandler({ issuer, audience, segment, revoke: revoke ?? endSessions })
  const routes = {
    '/okta/events': toNodeListener(events),
    ...(logout ? { '/okta/logout': toNodeListener(logout) } : {}),
  }
  const server = http.createServer((req, res) => {
    const route = routes[new URL(req.url, 'http://x').pathname]
    if (route) return route(req, res)
    res.writeHead(404).end()
  })
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}`
  // Shutdown: close the server first (no new requests; those under way answer), then the handlers
  // (they deliver what is pending and release their Segment clients).
  const close = async () => {
    const closed = new Promise((resolve) => server.close(resolve))
    server.closeIdleConnections()
    await closed
    await Promise.all([events.close(2000), logout?.close(2000)])
  }
  process.once('SIGTERM', close)
  return { url, close }
}

// Your app's part of Universal Logout: end the user's sessions and refresh tokens.
async function endSessions(subject) {
  console.log(`[app] ending every session of ${subject.format === 'iss_sub' ? subject.sub : 'an e-mail subject'}`)
  return subject.format === 'iss_sub' ? { userId: subject.sub } : 'not_found'
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { OKTA_HOOK_SECRET: secret, SEGMENT_WRITE_KEY: writeKey, SEGMENT_HOST: segmentHost, PORT: port } = process.env
  const { OKTA_ISSUER: issuer, LOGOUT_AUDIENCE: audience } = process.env
  if (!secret || !writeKey) throw new Error('set OKTA_HOOK_SECRET and SEGMENT_WRITE_KEY')
  const { url } = await start({ port: Number(port ?? 8080), secret, writeKey, segmentHost, issuer, audience })
  console.log(`Okta event hook: POST ${url}/okta/events${issuer ? `\nUniversal Logout: POST ${url}/okta/logout` : ''}`)
}
