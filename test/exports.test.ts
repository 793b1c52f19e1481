import { expect, it } from 'vitest'
import * as api from '../src/index'

it('exports exactly the public API', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "DEFAULT_TRAITS",
      "OktaSegmentError",
      "OptionsError",
      "allowTraits",
      "connect",
      "consent",
      "dropEvents",
      "dropTraits",
      "filters",
      "groups",
      "hashTraits",
      "isOktaSegmentError",
      "isOptionsError",
    ]
  `)
})
