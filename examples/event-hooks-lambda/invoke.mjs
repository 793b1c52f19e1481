// Calls the Lambda functions locally with the events Lambda would hand them (a function URL request,
// an EventBridge event from Okta Log Streaming), against a local Segment collector.
//
//   npm run build && node examples/event-hooks-lambda/invoke.mjs
import assert from 'node:assert/strict'
import { startCollector } from '../../servers/collector.mjs'
import { USER, oktaDelivery, oktaEvent } from '../event-hooks-node/okta-sample.mjs'

const collector = await startCollector()
Object.assign(process.env, {
  OKTA_HOOK_SECRET: 'example-hook-secret',
  SEGMENT_WRITE_KEY: 'example-write-key',
  SEGMENT_HOST: collector.url,
})
const { events, logStream } = await import('./handler.mjs')

/** A function URL invocation (payload format 2.0). */
const functionUrl = (method, headers, body) => ({
  version: '2.0',
  rawPath: '/',
  rawQueryString: '',
  headers: { host: 'abc123.lambda-url.eu-west-1.on.aws', authorization: 'example-hook-secret', ...headers },
  requestContext: { domainName: 'abc123.lambda-url.eu-west-1.on.aws', http: { method, path: '/' } },
  body: body && JSON.stringify(body),
  isBase64Encoded: false,
})

try {
  const verified = await events(functionUrl('GET', { 'x-okta-verification-challenge': 'challenge-123' }))
  assert.equal(verified.body, '{"verification":"challenge-123"}')
  console.log('verification:', verified.statusCode, verified.body)

  const delivered = await events(
    functionUrl('POST', { 'content-type': 'application/json' }, oktaDelivery([oktaEvent('user.lifecycle.suspend')])),
  )
  assert.equal(delivered.statusCode, 204)
  console.log('event hook delivery:', delivered.statusCode)

  const streamed = await logStream({
    version: '0',
    'detail-type': 'SystemLog',
    source: 'aws.partner/okta.com/example-org/okta-segment',
    detail: oktaEvent('user.lifecycle.deactivate'),
  })
  assert.deepEqual(streamed, { sent: 2 })
  console.log('log stream event:', streamed)

  console.log(`Segment received: ${collector.events.map((e) => e.event ?? e.type).join(', ')}`)
  assert.deepEqual(collector.events.map((e) => e.event ?? e.type).sort(), [
    'User Deactivated',
    'User Suspended',
    'identify',
    'identify',
  ])
  assert.ok(collector.events.every((e) => e.userId === USER.id))
} finally {
  await logStream.close(1000)
  await collector.close()
}
