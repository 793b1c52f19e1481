import type { Filter, FilterEvent } from '../types'
import type { FilterOptions } from './edit'

/**
 * Drops events: track events by name (a list or a RegExp), or any event a predicate picks.
 * @example
 * dropEvents(/^Debug /)
 * dropEvents(['Signed In'], { destinations: ['Intercom'] })
 * dropEvents((event) => event.type === 'page' && String(event.properties?.path).startsWith('/admin'))
 */
/* @__NO_SIDE_EFFECTS__ */
export function dropEvents(
  match: readonly string[] | RegExp | ((event: FilterEvent) => boolean),
  options: FilterOptions = {},
): Filter {
  const hit =
    typeof match === 'function'
      ? match
      : (e: FilterEvent) =>
          e.type === 'track' &&
          typeof e.event === 'string' &&
          (Array.isArray(match) ? match.includes(e.event) : (match as RegExp).test(e.event))
  return { name: 'dropEvents', ...options, apply: (event) => (hit(event) ? null : event) }
}
