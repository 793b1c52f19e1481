import type { Filter } from '../types'
import { editTraits, pick, type FilterOptions } from './edit'

/**
 * Removes the named traits.
 * @example
 * dropTraits(['email', 'phone'], { destinations: ['Google Analytics'] })
 */
/* @__NO_SIDE_EFFECTS__ */
export function dropTraits(names: readonly string[], options: FilterOptions = {}): Filter {
  return {
    name: 'dropTraits',
    ...options,
    apply: (event) => editTraits(event, (t) => pick(t, (n) => !names.includes(n))),
  }
}
