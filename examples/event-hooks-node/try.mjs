// Runs the example locally, as Okta would use it: a local Segment collector, the server, Okta's
// one-time verification, an event delivery, and a Universal Logout request signed by a local key.
// Exits non-zero if Segment (the collector) did not get what it should.
//
//   npm run build && node examples/event-hooks-node/try.mjs
import assert from 'node:assert/strict'
import http from 'node:http'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { startCollector } from '../../servers/collector.mjs'
import { USER, oktaDelivery, oktaEvent } from './okta-sample.mjs'
import { start } from './server.mjs'

const secret = 'example-hook-secret'
const collector = await startCollector()

// A stand-in for the Okta org's key set (Universal Logout requests are signed with its key).
const { publicKey, privateKey } = await generateKeyPair('RS256')
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] }
const org = http.createServer((req, res) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)),
)
await new Promise((resolve) => org.listen(0, '127.0.0.1', resolve))
const issuer = `http://127.0.0.1:${org.address().port}`

const app = await start({
  port: 0,
  secret,
  writeKey: 'example-write-key',
  segmentHost: collector.url,
  issuer,
  audience: 'https://app.example.com/okta/logout',
})
try {
  const verify = await fetch(`${app.url}/okta/events`, {
    headers: { authorization: secret, 'x-okta-verification-challenge': 'challenge-123' },
  })
  assert.deepEqual(await verify.json(), { verification: 'challenge-123' })
  console.log('verification: answered', verify.status)

  const body = oktaDelivery([oktaEvent('user.lifecycle.deactivate'), oktaEvent('user.session.clear')])
  const posted = await fetch(`${app.url}/okta/events`, {
    method: 'POST',
    headers: { authorization: secret, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  assert.equal(posted.status, 204)
  console.log('event delivery: answered', posted.status)

  const jwt = await new SignJWT({ jti: 'logout-1' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'global-token-revocation+jwt' })
    .setIssuer(issuer)
    .setAudience('https://app.example.com/okta/logout')
    .setSubject('0oa-example-client')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey)
  const logout = await fetch(`${app.url}/okta/logout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
    body: JSON.stringify({ subject: { format: 'iss_sub', iss: issuer, sub: USER.id } }),
  })
  assert.equal(logout.status, 204)
  console.log('universal logout: answered', logout.status)

  const got = collector.events.map((e) =>
    `${e.type} ${e.event ?? ''} ${JSON.stringify(e.traits ?? e.properties)}`.replace(/ +/g, ' '),
  )
  console.log(`Segment received:\n  ${got.join('\n  ')}`)
  assert.deepEqual(collector.events.map((e) => e.event ?? e.type).sort(), [
    'Signed Out',
    'Signed Out',
    'User Deactivated',
    'identify',
  ])
  assert.ok(collector.events.every((e) => e.userId === USER.id))
} finally {
  await app.close()
  await collector.close()
  org.close()
}
