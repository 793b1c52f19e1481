// Public types of the server entry: Okta's System Log event (the fields read here), the Segment calls a
// mapping returns, the analytics-node client as a structural interface, and the handler options.
import type { OktaSegmentError } from '../errors'
import type { OktaEntity, OktaLogEvent } from './okta-log-event'

export type { OktaEntity, OktaLogEvent } from './okta-log-event'

/** What a mapping asks for; the handler adds `userId`, `timestamp` (the event's `published`) and `messageId`. */
export type SegmentCall =
  | { type: 'identify'; traits: Record<string, unknown>; context?: Record<string, unknown>; messageId?: string }
  | {
      type: 'track'
      event: string
      properties?: Record<string, unknown>
      context?: Record<string, unknown>
      messageId?: string
    }
  | {
      type: 'group'
      groupId: string
      traits?: Record<string, unknown>
      context?: Record<string, unknown>
      messageId?: string
    }

/** A call ready for analytics-node: the mapping's call plus who, when and its deduplication id. */
export type SegmentMessage = SegmentCall & { userId: string; timestamp: string; messageId: string }

/** Reads the Okta Users API for a mapping (cached per request); `undefined` when it is not configured or refused. */
export interface OktaReader {
  /** The user's `profile` object (`GET /api/v1/users/{id}`). */
  profile(userId: string): Promise<Record<string, unknown> | undefined>
  /** The user's groups, id and name (`GET /api/v1/users/{id}/groups`). */
  groups(userId: string): Promise<{ id: string; name: string }[] | undefined>
}

/** What a mapping gets besides the event: the user it is about and the Okta API (when configured). */
export interface MapContext {
  /** The Okta user id: the `User` target, or the actor for session events. Segment's `userId`. */
  userId: string
  /** The Okta entity of that user (`alternateId` is usually the login). */
  user: OktaEntity
  okta: OktaReader
}

/** Maps one Okta event to Segment calls (none is fine). May be async; a throw skips the event and goes to `onError`. */
export type Mapper = (event: OktaLogEvent, context: MapContext) => SegmentCall[] | Promise<SegmentCall[]>

/** Which Okta groups reach Segment, and how. */
export interface HookGroupsOption {
  /** Group names (or ids) on the list, or a pattern of names. Groups off the list send nothing. */
  allow: readonly string[] | RegExp
  /**
   * `'group'` (default): `group()` + `Account Added User` / `Account Removed User`;
   * `'trait'`: a `groups` trait (needs `okta`).
   */
  send?: 'group' | 'trait'
  /**
   * What Segment's `groupId` is: `'name'` (default) the group's name, `'id'` Okta's group id (`00g…`),
   * which a rename in Okta does not change (the name is still sent as the group's `name` trait).
   */
  groupId?: 'name' | 'id'
}

/** The Okta Users API, read with an API token (`Authorization: SSWS …`). */
export interface OktaApiOption {
  /** Your org, `https://example.okta.com`. */
  orgUrl: string
  /** An API token with read access to users. It is sent to `orgUrl` only. */
  token: string
}

/**
 * The parts of an `@segment/analytics-node` `Analytics` this entry calls. Each call's callback runs
 * once the event is delivered (no argument) or has failed for good (an error).
 */
export interface AnalyticsNodeLike {
  identify(params: AnalyticsParams, callback?: (error?: unknown) => void): void
  track(params: AnalyticsParams & { event: string }, callback?: (error?: unknown) => void): void
  group(params: AnalyticsParams & { groupId: string }, callback?: (error?: unknown) => void): void
  flush?(options?: { timeout?: number }): Promise<void>
  closeAndFlush?(options?: { timeout?: number }): Promise<void>
}

/** The fields this entry passes to analytics-node. */
export interface AnalyticsParams {
  userId: string
  timestamp: string
  messageId: string
  traits?: Record<string, unknown>
  properties?: Record<string, unknown>
  context?: Record<string, unknown>
}

/** Where the calls go: Segment (or a compatible collector), and the write key message ids are derived from. */
export interface SegmentOption {
  /** The source's write key. Always needed: message ids are derived from its hash, so two sources never collide. */
  writeKey: string
  /** `https://events.eu1.segmentapis.com` for the EU region, or a local collector. Default Segment's US endpoint. */
  host?: string
}

/** Shared by both handlers: delivery and error reporting. */
export interface DeliveryOptions {
  segment: SegmentOption
  /** An analytics-node `Analytics` you made (then `segment.host` does not apply). Default: one made from `segment`. */
  analytics?: AnalyticsNodeLike
  /** Longest time (ms) before answering; Segment must have the events by then. Default 2500 (Okta waits 3 s). */
  timeout?: number
  /** Told of every failure: delivery, mapping, Okta API, rejected requests. Default: `console.error` of the message. */
  onError?: (error: OktaSegmentError) => void
}

/** What became of one Okta event of a delivery: the `onEvent` option's argument. */
export interface HookEventReport {
  /** The event's `uuid` (`undefined` for a malformed event). */
  uuid: string | undefined
  eventType: string | undefined
  /**
   * `sent`: Segment confirmed its calls · `skipped`: nothing to send, and not an error (`reason`: a type
   * not taken, `outcome FAILURE`, `preview`, `nothing to send`) · `failed`: told to onError too (`reason`:
   * malformed, no User target, the mapping threw, Segment did not confirm in time).
   */
  outcome: 'sent' | 'skipped' | 'failed'
  reason?: string
  /** The calls made for it (none when skipped), as Segment has or would have them. */
  calls: readonly { type: SegmentCall['type']; event?: string; groupId?: string; messageId: string }[]
}

/** `createEventHookHandler()`'s options. */
export interface EventHookOptions extends DeliveryOptions {
  /** The value Okta sends in `header` (the hook's "Authentication secret"). Several during a rotation. */
  secret: string | readonly string[]
  /** The header Okta sends the secret in (the hook's "Authentication field"). Default `authorization`. */
  header?: string
  /** The Okta event types to take. Default `DEFAULT_EVENTS` (plus the types `map` adds). */
  events?: readonly string[]
  /** A mapping per event type, over the defaults; `false` drops that type. */
  map?: Readonly<Record<string, Mapper | false>>
  /** Profile attribute -> Segment trait path (`true`: its default trait, `false`: never), over the reserved traits. */
  traits?: Readonly<Record<string, string | boolean>>
  /** Group memberships: off unless given. */
  groups?: HookGroupsOption
  /** The Okta Users API, to read the changed profile values and group lists. Default: not read. */
  okta?: OktaApiOption
  /** Told what became of each event (sent, skipped, failed, and why), once the answer is decided. */
  onEvent?: (report: HookEventReport) => void
  /** Largest request body accepted (bytes); larger gets 413. Default 1 MiB. */
  maxBodyBytes?: number
}

/** A Web-standard request handler, with `close()` to deliver what is pending and release the client. */
export interface RequestHandler {
  (request: Request): Promise<Response>
  /** Delivers pending calls (at most `timeout` ms) and closes the analytics client this handler made. */
  close(timeout?: number): Promise<void>
}
