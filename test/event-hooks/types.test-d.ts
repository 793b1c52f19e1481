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
  type HookEventReport,
  type Mapper,
  type ReplayStore,
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
export const GET = handler // Next.js route handlers: Okta verifies with a GET
export const POST = handler // and delivers with POSTs
// Next calls a route handler with (request, { params }): the handler fits
const nextRoute: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> = handler
export { nextRoute }

const toTrack: Mapper = (event, { userId, user }) => [
  { type: 'track', event: `Okta ${event.eventType}`, properties: { userId, login: user.alternateId } },
]
// The fields of Okta's LogEvent a mapping reads are typed (each may be missing or null on the wire)
const fromClient: Mapper = (event) => {
  expectTypeOf(event.client?.ipAddress).toEqualTypeOf<string | null | undefined>()
  expectTypeOf(event.client?.userAgent?.rawUserAgent).toEqualTypeOf<string | null | undefined>()
  expectTypeOf(event.client?.geographicalContext?.geolocation?.lat).toEqualTypeOf<number | null | undefined>()
  expectTypeOf(event.authenticationContext?.externalSessionId).toEqualTypeOf<string | null | undefined>()
  expectTypeOf(event.debugContext?.debugData?.changedAttributes).toEqualTypeOf<string | null | undefined>()
  expectTypeOf(event.request?.ipChain?.[0]?.ip).toEqualTypeOf<string | null | undefined>()
  return [{ type: 'track', event: 'Okta Sign-in', properties: { country: event.client?.geographicalContext?.country } }]
}
export { fromClient }
const options: EventHookOptions = {
  secret: ['a', 'b'],
  segment: { writeKey: 'k' },
  map: { 'user.account.lock': toTrack, 'user.lifecycle.create': false },
  groups: { allow: ['Engineering'], groupId: 'id' },
  onEvent: (report: HookEventReport) => {
    expectTypeOf(report.outcome).toEqualTypeOf<'sent' | 'skipped' | 'failed'>()
  },
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
  maxTokenAge: 300,
  subjectIssuer: ['https://example.okta.com', 'https://example.okta.com/oauth2/default'],
  replayStore: { seen: async (jti: string, until: number) => jti.length > 0 && until > 0 } satisfies ReplayStore,
})
export const stream = createLogStreamHandler({ segment: { writeKey: 'k' } })
export { wrong }
