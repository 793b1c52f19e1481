// Past the event hooks' volume cap: Okta Log Streaming puts every System Log event on an AWS
// EventBridge partner bus (the LogEvent in `detail`). A function an EventBridge rule triggers maps it
// with the same mapping as the hook handler, and throws when Segment does not confirm, so Lambda
// retries the invocation (same messageIds: Segment keeps one).
import { OktaSegmentError } from '../errors'
import { mappingConfig, type MappingOptions } from './hook-options'
import { mapBatch, messagesIn } from './map-events'
import { NO_OKTA, oktaReader } from './okta-api'
import { delivery } from './segment'
import type { OktaLogEvent, SegmentMessage } from './types'

/** An EventBridge event from Okta Log Streaming: the System Log event is its `detail`. */
export interface LogStreamEvent {
  'detail-type'?: string
  source?: string
  detail: OktaLogEvent
  [field: string]: unknown
}

/** createLogStreamHandler()'s options: the hook handler's, without the HTTP ones. */
export type LogStreamOptions = MappingOptions

/** createEventMapper()'s options: the log stream handler's, without `onEvent` (the mapper sends nothing). */
export type EventMapperOptions = Omit<LogStreamOptions, 'onEvent'>

const KNOWN_MAPPER = ['segment', 'analytics', 'events', 'map', 'traits', 'groups', 'okta', 'timeout', 'onError']
const KNOWN = [...KNOWN_MAPPER, 'onEvent']
/** A Lambda may take longer than Okta's 3 s; still bounded. */
const MAX_TIMEOUT_MS = 60_000

const eventsOf = (input: LogStreamEvent | readonly LogStreamEvent[]): unknown[] =>
  (Array.isArray(input) ? input : [input]).map((e: LogStreamEvent) => e?.detail)

/**
 * The mapping alone: an Okta event -> the Segment messages the hook handler would send for it
 * (with their messageIds), for a pipeline of your own.
 * @example
 * const toSegment = createEventMapper({ segment: { writeKey } })
 * for (const m of await toSegment(event)) analytics[m.type](m)
 */
/* @__NO_SIDE_EFFECTS__ */
export function createEventMapper(options: EventMapperOptions): (event: OktaLogEvent) => Promise<SegmentMessage[]> {
  const config = mappingConfig(options, MAX_TIMEOUT_MS, KNOWN_MAPPER)
  return async (event) =>
    messagesIn(
      await mapBatch([event], config, config.okta ? oktaReader(config.okta, config.timeout, config.report) : NO_OKTA),
    )
}

/**
 * A Lambda handler for an EventBridge rule on Okta's Log Streaming bus (one event, or a list).
 * Resolves with the number of Segment calls sent; rejects when Segment did not confirm them.
 * @example
 * export const handler = createLogStreamHandler({ segment: { writeKey: process.env.SEGMENT_WRITE_KEY } })
 */
/* @__NO_SIDE_EFFECTS__ */
export function createLogStreamHandler(options: LogStreamOptions): ((
  event: LogStreamEvent | readonly LogStreamEvent[],
) => Promise<{ sent: number }>) & {
  close(timeout?: number): Promise<void>
} {
  const config = mappingConfig(options, MAX_TIMEOUT_MS, KNOWN)
  const segment = delivery(options, config.report)
  const handler = async (input: LogStreamEvent | readonly LogStreamEvent[]) => {
    const started = Date.now()
    const okta = config.okta ? oktaReader(config.okta, config.timeout / 2, config.report) : NO_OKTA
    const mapped = await mapBatch(eventsOf(input), config, okta)
    const messages = messagesIn(mapped)
    const within = config.timeout - (Date.now() - started)
    const outcome = await segment.send(messages, AbortSignal.timeout(Math.max(1, within)))
    const failed =
      outcome === 'aborted'
        ? new OktaSegmentError(
            'delivery',
            `okta-segment: Segment did not confirm ${messages.length} calls in ${Math.round(within)} ms`,
          )
        : outcome
    config.observe(mapped, failed?.message.replace(/^okta-segment: /, ''))
    if (failed) {
      config.report(failed)
      throw new OktaSegmentError('delivery', failed.message, failed)
    }
    return { sent: messages.length }
  }
  return Object.assign(handler, { close: (timeout?: number) => segment.close(timeout) })
}
