import { describeAttribute, leftOutBecause, typeOf } from './attribute'
import type { Attribute } from './okta-schema'
import type { Field, Plan } from './plan'

/** One claim to map: the attributes it reads, the trait it would set and the note for its line. */
export interface Mapping {
  claim: string
  attrs: Attribute[]
  trait: string
  note: string
  fields: Field[]
  /** the OIDC address object, whose fields `address.*` traits may join */
  object?: boolean
  custom?: boolean
}

/** The plan being built: its entries, and which attributes and trait paths are taken. */
export interface Planner {
  out: Plan
  /** attributes an ID-token claim carries as they are */
  carried: Set<Attribute>
  /** attribute -> the computed or skipped claims whose expression reads it */
  readBy: Map<string, string[]>
  /** Adds the claim's line: the trait, or false with the reason (an attribute that must stay out, a taken trait). */
  map(m: Mapping): void
  /** The OktaTraits property for an attribute at a trait path. */
  field(path: string, a: Attribute): Field
}

/** A fresh planner. */
export const createPlanner = (): Planner => {
  const out: Plan = { entries: [], fields: [], left: [] }
  const leaves = new Map<string, string>()
  const objects = new Set<string>()

  // The first claim to take a trait path keeps it: another source for it, for its parent or for
  // nested traits under it is a conflict (the OIDC address object and address.* traits merge).
  const take = (path: string, from: string, object: boolean): string | undefined => {
    const head = path.split('.')[0]!
    const nested = !object && [...leaves.keys()].some((p) => p.startsWith(`${path}.`))
    const other =
      leaves.get(path) ??
      (objects.has(path) ? 'the address claim' : undefined) ??
      (head !== path ? leaves.get(head) : undefined) ??
      (nested ? `${path}.* traits` : undefined)
    if (other !== undefined && other !== from) return `trait ${path} is already taken by ${other}`
    if (object) objects.add(path)
    else leaves.set(path, from)
    return undefined
  }

  return {
    out,
    carried: new Set(),
    readBy: new Map(),
    map(m) {
      const bad = m.attrs.map((a) => [a.name, leftOutBecause(a)]).find(([, why]) => why)
      const why = bad ? `${bad[0]} is ${bad[1]}` : take(m.trait, m.attrs.map((a) => a.name).join('+'), !!m.object)
      out.entries.push({
        claim: m.claim,
        trait: why ? false : m.trait,
        note: why ?? m.note,
        ...(m.custom && { custom: true }),
      })
      if (!why) out.fields.push(...m.fields)
    },
    field: (path, a) => ({ path: path.split('.'), type: typeOf(a.property), doc: describeAttribute(a) }),
  }
}
