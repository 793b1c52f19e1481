// Next.js (App Router): app/okta/events/route.js. Okta verifies the hook with a GET and delivers
// with POSTs: export both. Node runtime (analytics-node), never cached.
import { createEventHookHandler } from 'okta-segment/event-hooks'

const handler = createEventHookHandler({
  secret: process.env.OKTA_HOOK_SECRET,
  segment: { writeKey: process.env.SEGMENT_WRITE_KEY, host: process.env.SEGMENT_HOST },
})

export const GET = handler // Okta's one-time verification
export const POST = handler // event deliveries
export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'
