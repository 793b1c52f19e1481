import type { Filter } from '../types'
import { editTraits, pick, type FilterOptions } from './edit'

/**
 * Keeps only the named traits.
 * @example
 * allowTraits(['email', 'firstName'], { destinations: ['Mixpanel'] })
 */
/* @__NO_SIDE_EFFECTS__ */
export function allowTraits(names: readonly string[], options: FilterOptions = {}): Filter {
  return {
    name: 'allowTraits',
    ...options,
    apply: (event) => editTraits(event, (t) => pick(t, (n) => names.includes(n))),
  }
}
