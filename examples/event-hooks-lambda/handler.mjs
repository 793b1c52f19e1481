// AWS Lambda functions:
//   events     an Okta Event Hook behind a function URL (or API Gateway HTTP API)
//   logStream  an EventBridge rule on Okta's Log Streaming partner bus, for volumes past the hooks' cap
// Both are stateless: Lambda runs as many instances as the traffic needs.
import { createEventHookHandler, createLogStreamHandler, toLambdaHandler } from 'okta-segment/event-hooks'

const segment = {
  writeKey: process.env.SEGMENT_WRITE_KEY,
  ...(process.env.SEGMENT_HOST ? { host: process.env.SEGMENT_HOST } : {}),
}

export const events = toLambdaHandler(createEventHookHandler({ secret: process.env.OKTA_HOOK_SECRET, segment }))

// EventBridge retries a failed invocation: a rejection here (Segment did not confirm) is that signal.
export const logStream = createLogStreamHandler({ segment, timeout: 10_000 })
