import type { Filter } from '../types'

/** Consent state: the granted categories, as a list or as `{ category: true }`. */
export type ConsentState = readonly string[] | Record<string, boolean>

/**
 * Sends to each listed destination only while one of its consent categories is granted, read at
 * the moment each event is filtered. What was withheld is not sent later; after consent changes,
 * call `bridge.refresh()` to send the current identify to the newly allowed destinations.
 * @example
 * consent(() => cmp.granted(), { categories: { 'Facebook Pixel': 'marketing', Mixpanel: ['analytics'] } })
 */
/* @__NO_SIDE_EFFECTS__ */
export function consent(
  getConsent: () => ConsentState | PromiseLike<ConsentState>,
  options: { categories: Record<string, string | readonly string[]> },
): Filter {
  const { categories } = options
  return {
    name: 'consent',
    destinations: Object.keys(categories),
    apply: async (event, { destination = '' }) => {
      const state = await getConsent()
      const granted = (c: string) =>
        Array.isArray(state) ? state.includes(c) : (state as Record<string, boolean>)[c] === true
      return ([] as string[]).concat(categories[destination] ?? []).some(granted) ? event : null
    },
  }
}
