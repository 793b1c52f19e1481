import { OktaSegmentError } from '../errors'
import type { Filter, FilterContext, FilterEvent } from '../types'

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
      report(
        new OktaSegmentError(
          'filter',
          __DEV__ &&
            `filter "${f.name}" threw; the event was withheld${ctx.destination ? ` from ${ctx.destination}` : ''}`,
          e,
        ),
      )
      return null
    }
    if (!current) return null
  }
  return current
}
