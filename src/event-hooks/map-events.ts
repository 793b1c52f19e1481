// Okta events -> Segment messages: which events count, whom each is about, the mapper's calls checked,
// and each call's userId, timestamp (the event's `published`) and messageId. Stateless: a batch maps
// the same whatever arrived before it, so redeliveries and out-of-order batches are safe.
import { OktaSegmentError } from '../errors'
import { callKey, messageIdOf } from './message-id'
import { OktaUnavailable } from './okta-api'
import { isLogEvent, isPreview, succeeded, userOf } from './okta-event'
import type { MappingConfig } from './hook-options'
import type { OktaReader, SegmentCall, SegmentMessage } from './types'

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

const isCall = (c: unknown): c is SegmentCall =>
  isObject(c) &&
  (c.context === undefined || isObject(c.context)) &&
  (c.messageId === undefined || (typeof c.messageId === 'string' && c.messageId.length > 0)) &&
  ((c.type === 'identify' && isObject(c.traits)) ||
    (c.type === 'track' &&
      typeof c.event === 'string' &&
      c.event.length > 0 &&
      (c.properties === undefined || isObject(c.properties))) ||
    (c.type === 'group' &&
      typeof c.groupId === 'string' &&
      c.groupId.length > 0 &&
      (c.traits === undefined || isObject(c.traits))))

/** Why an event sent nothing (for tests and debugging); `undefined` when it is one to map. */
export const skipReason = (event: unknown, config: MappingConfig): string | undefined => {
  if (!isLogEvent(event)) return 'malformed'
  if (isPreview(event)) return 'preview'
  if (!config.events.has(event.eventType)) return 'event type not taken'
  if (!succeeded(event)) return 'outcome is not SUCCESS'
  if (!userOf(event)) return 'no User target'
  return undefined
}

/**
 * The messages for one event. Throws `OktaUnavailable` when the Okta API could not answer (a retry
 * may); a mapper that throws or returns something else is reported and the event sends nothing.
 */
export async function mapEvent(event: unknown, config: MappingConfig, okta: OktaReader): Promise<SegmentMessage[]> {
  if (skipReason(event, config) || !isLogEvent(event)) return []
  const user = userOf(event)!
  const mapper = config.mappers[event.eventType]!
  let calls: unknown
  try {
    calls = await mapper(event, { userId: user.id, user, okta })
  } catch (e) {
    if (e instanceof OktaUnavailable) throw e
    config.report(new OktaSegmentError('mapping', `okta-segment: the mapping of ${event.eventType} threw`, e))
    return []
  }
  if (!Array.isArray(calls) || !calls.every(isCall)) {
    config.report(
      new OktaSegmentError('mapping', `okta-segment: the mapping of ${event.eventType} must return a list of calls`),
    )
    return []
  }
  const source = await config.source
  const seen = new Map<string, number>()
  return Promise.all(
    calls.map(async (call) => {
      const key = callKey(event, call, user.id)
      const n = seen.get(key) ?? 0
      seen.set(key, n + 1)
      const messageId = call.messageId ?? (await messageIdOf(source, n ? `${key}\n${n}` : key))
      return { ...call, userId: user.id, timestamp: event.published, messageId }
    }),
  )
}

/** The messages for a batch, in order, each messageId once (the first wins: Segment would keep it too). */
export async function mapBatch(
  events: readonly unknown[],
  config: MappingConfig,
  okta: OktaReader,
): Promise<SegmentMessage[]> {
  const mapped = await Promise.all(events.map((e) => mapEvent(e, config, okta)))
  const seen = new Set<string>()
  return mapped.flat().filter((m) => !seen.has(m.messageId) && !!seen.add(m.messageId))
}
