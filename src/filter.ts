import { OktaSegmentError } from './errors'
import type { Traits } from './types'

/** An event as analytics-next builds it (the fields filters read; the rest passes through). */
export interface FilterEvent {
  type: string
  event?: string
  userId?: string | null
  traits?: Traits
  properties?: Record<string, unknown>
  context?: { traits?: Traits; page?: Record<string, unknown>; [key: string]: unknown }
  integrations?: Record<string, unknown>
  [key: string]: unknown
}

/** Where a filter runs: `destination` is set for filters with `destinations`. */
export interface FilterContext {
  destination?: string
}

/**
 * A filter: without `destinations` it runs before analytics sees the data (dropped data is never
 * stored or sent); with `destinations` it decides what those destinations receive. Return the
 * event, a changed copy, or `null` to drop it; it may be async.
 * @example
 * const noStaff: Filter = { name: 'no-staff', apply: (e) => (/@corp\.example$/.test(String(e.traits?.email)) ? null : e) }
 */
export interface Filter {
  name: string
  destinations?: readonly string[]
  apply(event: FilterEvent, ctx: FilterContext): FilterEvent | null | PromiseLike<FilterEvent | null>
}

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

/**
 * Runs `filters` in order on a copy of `event`. A filter that throws or rejects drops the event
 * (never sends it unfiltered) and is reported.
 */
export const runFilters = async (
  filters: readonly Filter[],
  event: FilterEvent,
  ctx: FilterContext,
  report: (e: Error) => void,
): Promise<FilterEvent | null> => {
  let current: FilterEvent | null = clone(event)
  for (const f of filters) {
    try {
      current = await f.apply(current, ctx)
    } catch (e) {
      report(new OktaSegmentError('filter', `filter "${f.name}" threw; the event was withheld${ctx.destination ? ` from ${ctx.destination}` : ''}`, e))
      return null
    }
    if (!current) return null
  }
  return current
}
