import type { Filter } from '../types'
import { isDigest } from '../core/traits'
import { editTraits, type FilterOptions } from './edit'

const sha256 = async (text: string): Promise<string> => {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Replaces the named traits by the SHA-256 hex of their trimmed, lower-cased value, as ad platforms
 * expect. A value that is already a SHA-256 hex passes unchanged, so hashing twice is harmless
 * (analytics-next re-sends stored traits). Needs WebCrypto (a secure context); where it is
 * missing the filter throws, and the event is withheld rather than sent unhashed.
 * @example
 * hashTraits(['email', 'phone'], { destinations: ['Facebook Pixel'] })
 */
/* @__NO_SIDE_EFFECTS__ */
export function hashTraits(names: readonly string[], options: FilterOptions = {}): Filter {
  return {
    name: 'hashTraits',
    ...options,
    apply: (event) =>
      editTraits(event, async (traits) => {
        const out = { ...traits }
        for (const name of names) {
          const value = out[name]
          if (value == null || value === '') continue
          const text = String(value).trim().toLowerCase()
          out[name] = isDigest(text) ? text : await sha256(text)
        }
        return out
      }),
  }
}
