// The server entry's public types, checked by `npm run typecheck`: the real analytics-node client is
// an AnalyticsNodeLike, the handlers fit Node, Lambda and the fetch runtimes, mappings are typed.
import http from 'node:http'
import { Analytics } from '@segment/analytics-node'
import { expectTypeOf } from 'vitest'
import {
  createEventHookHandler,
  createLogStreamHandler,
  createUniversalLogoutHandler,
  toLambdaHandler,
  toNodeListener,
  type AnalyticsNodeLike,
  type EventHookOptions,
  type Mapper,
  type RequestHandler,
  type SegmentCall,
} from '../../src/event-hooks'

const analytics = new Analytics({ writeKey: 'k' })
expectTypeOf(analytics).toMatchTypeOf<AnalyticsNodeLike>()

const handler = createEventHookHandler({ secret: 's', analytics, segment: { writeKey: 'k' } })
expectTypeOf(handler).toMatchTypeOf<(request: Request) => Promise<Response>>()
expectTypeOf(handler).toEqualTypeOf<RequestHandler>()
http.createServer(toNodeListener(handler))
export const lambda = toLambdaHandler(handler)
export default { fetch: handler } // Cloudflare Workers, Bun
export const POST = handler // Vercel / Next.js route handlers

const toTrack: Mapper = (event, { userId, user }) => [
  { type: 'track', event: `Okta ${event.eventType}`, properties: { userId, login: user.alternateId } },
]
const options: EventHookOptions = {
  secret: ['a', 'b'],
  segment: { writeKey: 'k' },
  map: { 'user.account.lock': toTrack, 'user.lifecycle.create': false },
}
createEventHookHandler(options)
// @ts-expect-error: a segment write key is required
createEventHookHandler({ secret: 's' })
// @ts-expect-error: a mapping returns calls, not strings
const wrong: Mapper = () => ['User Locked']
expectTypeOf<SegmentCall['type']>().toEqualTypeOf<'identify' | 'track' | 'group'>()

createUniversalLogoutHandler({
  issuer: 'https://example.okta.com',
  audience: 'https://app.example.com/logout',
  segment: { writeKey: 'k' },
  revoke: async (subject) => (subject.format === 'iss_sub' ? { userId: subject.sub } : 'not_found'),
})
export const stream = createLogStreamHandler({ segment: { writeKey: 'k' } })
export { wrong }
