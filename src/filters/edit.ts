import type { FilterEvent } from '../types'
import type { Traits } from '../types'

// Applies `edit` to the traits an event carries (identify's `traits` and any `context.traits`),
// returning a copy; events without traits pass unchanged.
export const editTraits = async (
  event: FilterEvent,
  edit: (traits: Traits) => Traits | Promise<Traits>,
): Promise<FilterEvent> => {
  const out: FilterEvent = { ...event }
  if (event.traits) out.traits = await edit(event.traits)
  if (event.context?.traits) out.context = { ...event.context, traits: await edit(event.context.traits) }
  return out
}

export const pick = (traits: Traits, keep: (name: string) => boolean): Traits =>
  Object.fromEntries(Object.entries(traits).filter(([name]) => keep(name)))

export type FilterOptions = { destinations?: readonly string[] }
