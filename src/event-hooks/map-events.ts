// Okta events -> Segment messages: which events count, whom each is about, the mapper's calls checked,
// and each call's userId, timestamp (the event's `published`) and messageId. Stateless: a batch maps
// the same whatever arrived before it, so redeliveries and out-of-order batches are safe.
//
// Every event ends in one of three ways: messages to send; skipped (not an error: a type not taken, a
// failure outcome, a Preview); or failed (malformed, no User to attribute it to, a mapping that threw):
// a failure goes to onError, one call per event, with the event's uuid and why.
import { OktaSegmentError } from '../errors'
import { nextTurn } from './http'
import { callKey, messageIdOf } from './message-id'
import { OktaUnavailable } from './okta-api'
import { isPreview, malformed, succeeded, userOf, whyNoUser } from './okta-event'
import type { MappingConfig } from './hook-options'
import type { OktaLogEvent, OktaReader, SegmentCall, SegmentMessage } from './types'

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

/** What became of one event: its messages, or why it has none (`failed` ones were told to onError). */
export interface Mapped {
  uuid?: string
  eventType?: string
  messages: SegmentMessage[]
  skip?: { outcome: 'skipped' | 'failed'; reason: string }
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v.slice(0, 200) : undefined)

/** Why an event sends nothing, or `undefined` when it is one to map. Pure. */
export const skipOf = (event: unknown, config: MappingConfig): Mapped['skip'] => {
  const bad = malformed(event)
  if (bad) return { outcome: 'failed', reason: bad }
  const e = event as OktaLogEvent
  if (isPreview(e)) return { outcome: 'skipped', reason: 'preview' }
  if (!config.events.has(e.eventType)) return { outcome: 'skipped', reason: 'type not taken' }
  if (!succeeded(e)) return { outcome: 'skipped', reason: `outcome ${text(e.outcome?.result) ?? 'missing'}` }
  const noUser = whyNoUser(e)
  return noUser ? { outcome: 'failed', reason: noUser } : undefined
}

/** The onError of an event that failed: which event (uuid, or its place in the delivery) and why. */
const failure = (mapped: Mapped, index: number, why: string, cause?: unknown): OktaSegmentError => {
  const which = mapped.uuid
    ? `event ${mapped.uuid}${mapped.eventType ? ` (${mapped.eventType})` : ''}`
    : `event ${index + 1} of the delivery`
  return new OktaSegmentError('mapping', `okta-segment: ${which} sent nothing: ${why}`, cause)
}

const callsOf = async (event: OktaLogEvent, config: MappingConfig, okta: OktaReader): Promise<unknown> => {
  const user = userOf(event)!
  return config.mappers[event.eventType]!(event, { userId: user.id, user, okta })
}

/**
 * One event's outcome. Throws `OktaUnavailable` when the Okta API could not answer (a retry may); a
 * malformed or unattributable event, and a mapper that throws or returns something else, are reported.
 */
export async function mapEvent(event: unknown, config: MappingConfig, okta: OktaReader, index = 0): Promise<Mapped> {
  const head = isObject(event) ? { uuid: text(event.uuid), eventType: text(event.eventType) } : {}
  const fail = (why: string, cause?: unknown): Mapped => {
    const mapped: Mapped = { ...head, messages: [], skip: { outcome: 'failed', reason: why } }
    config.report(failure(mapped, index, why, cause))
    return mapped
  }
  const skip = skipOf(event, config)
  if (skip?.outcome === 'failed') return fail(skip.reason)
  if (skip) return { ...head, messages: [], skip }
  const e = event as OktaLogEvent
  let calls: unknown
  try {
    calls = await callsOf(e, config, okta)
  } catch (err) {
    if (err instanceof OktaUnavailable) throw err
    return fail(`the mapping of ${e.eventType} threw`, err)
  }
  if (!Array.isArray(calls) || !calls.every(isCall))
    return fail(`the mapping of ${e.eventType} must return a list of calls`)
  if (!calls.length) return { ...head, messages: [], skip: { outcome: 'skipped', reason: 'nothing to send' } }
  return { ...head, messages: await messagesOf(e, calls, config) }
}

const messagesOf = async (event: OktaLogEvent, calls: SegmentCall[], config: MappingConfig) => {
  const user = userOf(event)!
  const source = await config.source
  const seen = new Map<string, number>()
  return Promise.all(
    calls.map(async (call): Promise<SegmentMessage> => {
      const key = callKey(event, call, user.id)
      const n = seen.get(key) ?? 0
      seen.set(key, n + 1)
      const messageId = call.messageId ?? (await messageIdOf(source, n ? `${key}\n${n}` : key))
      return { ...call, userId: user.id, timestamp: event.published, messageId }
    }),
  )
}

/** How many events map at once: a large delivery yields to the event loop between slices. */
const SLICE = 100

/**
 * Each event's outcome, in order; a messageId already sent by an earlier event of the batch is
 * dropped from the later one (the first wins: Segment would keep it too).
 */
export async function mapBatch(events: readonly unknown[], config: MappingConfig, okta: OktaReader): Promise<Mapped[]> {
  const all: Mapped[] = []
  for (let i = 0; i < events.length; i += SLICE) {
    const slice = events.slice(i, i + SLICE)
    all.push(...(await Promise.all(slice.map((e, j) => mapEvent(e, config, okta, i + j)))))
    if (i + SLICE < events.length) await nextTurn()
  }
  const seen = new Set<string>()
  for (const m of all) m.messages = m.messages.filter((x) => !seen.has(x.messageId) && !!seen.add(x.messageId))
  return all
}

/** The messages of a batch's outcomes, in order. */
export const messagesIn = (mapped: readonly Mapped[]): SegmentMessage[] => mapped.flatMap((m) => m.messages)
