import type { Seen } from '../../src/core/plan'

/** What the shell would pass to plan(): defaults for a live page of source `wk`. */
export const seen = (x: Partial<Seen> = {}): Seen => ({
  held: null,
  startup: false,
  source: 'wk',
  reason: 'signed_out',
  takeOver: false,
  ...x,
})
