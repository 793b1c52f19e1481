// `onEvent`: what became of each Okta event of a delivery, told once the answer is decided: sent (Segment
// confirmed its calls), skipped (nothing to send, and not an error) or failed (told to onError too).
import type { Mapped } from './map-events'
import type { HookEventReport } from './types'

/** Tells the outcomes of a batch; `failure` (why Segment does not have them) makes the mapped ones `failed`. */
export type Observe = (mapped: readonly Mapped[], failure?: string) => void

const reportOf = (m: Mapped, failure?: string): HookEventReport => {
  const reason = m.skip?.reason ?? failure
  return {
    uuid: m.uuid,
    eventType: m.eventType,
    outcome: m.skip?.outcome ?? (failure ? 'failed' : 'sent'),
    ...(reason ? { reason } : {}),
    calls: m.messages.map((c) => ({
      type: c.type,
      ...(c.type === 'track' ? { event: c.event } : c.type === 'group' ? { groupId: c.groupId } : {}),
      messageId: c.messageId,
    })),
  }
}

/** An Observe for `onEvent` (nothing without it); an onEvent that throws changes nothing. */
export const observer =
  (onEvent?: (report: HookEventReport) => void): Observe =>
  (mapped, failure) => {
    if (!onEvent) return
    for (const m of mapped) {
      try {
        onEvent(reportOf(m, failure))
      } catch {
        // an observer's failure must not change the answer to Okta
      }
    }
  }

/** The outcome of an event that was not mapped before the answer (only what it says of itself). */
export const unmapped = (event: unknown): Mapped => {
  const e = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>
  const text = (v: unknown) => (typeof v === 'string' && v ? v.slice(0, 200) : undefined)
  return { uuid: text(e.uuid), eventType: text(e.eventType), messages: [] }
}
