import { OKTA_SECRET_ATTRIBUTES } from '../okta-profile'
import type { Attribute, SchemaProperty } from './okta-schema'

// Okta documents `permissions` (HIDE), `mutability` and, for sensitive attributes, a `sensitive`
// flag; it documents no keyword for hashed or encrypted values, so the usual markers are read too.
const SECRET_NAME = /pass(word|wd|phrase|code)|secret|token|api_?key|credential|private_?key|hash|salt|recovery/i
const SECRET_FORMAT = /^(password|hash(ed)?|encrypted|secret)$/i
const NAME = /^[A-Za-z_$][\w$]*$/
const PROTOTYPE = new Set(['__proto__', 'constructor', 'prototype'])

/** Why `attribute` must never leave as a trait, or `undefined` when nothing in the schema says so. */
export const leftOutBecause = ({ name, source, property: p }: Attribute): string | undefined => {
  if (!NAME.test(name) || PROTOTYPE.has(name)) return 'not a usable trait name'
  if (source === 'base' && OKTA_SECRET_ATTRIBUTES.has(name)) return 'a credential'
  if (p.sensitive === true) return 'marked sensitive'
  if (p.permissions?.some((x) => x?.action === 'HIDE')) return 'hidden (permission HIDE)'
  if (p.writeOnly === true || /WRITE_ONLY/i.test(String(p.mutability ?? ''))) return 'write-only'
  if (p.hashed === true || p.encrypted === true || SECRET_FORMAT.test(String(p.format ?? '')))
    return 'hashed or encrypted'
  if (SECRET_NAME.test(name)) return 'named like a secret'
  return undefined
}

/** A TypeScript string literal (single quotes), safe for any string. */
export const quote = (s: string): string => `'${JSON.stringify(s).slice(1, -1).replace(/'/g, "\\'")}'`

const literal = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? quote(v)
    : typeof v === 'boolean' || v === null || (typeof v === 'number' && Number.isFinite(v))
      ? String(v)
      : undefined

// Enum values: `enum`, else the `const`s of `oneOf` (Okta uses oneOf only to title enum values).
const values = (p: SchemaProperty): unknown[] | undefined =>
  Array.isArray(p.enum) && p.enum.length
    ? p.enum
    : Array.isArray(p.oneOf) && p.oneOf.length
      ? p.oneOf.map((o) => o?.const)
      : undefined

/** The TypeScript type of a property's value: enums as unions of literals, arrays; `unknown` where Okta says none. */
export const typeOf = (p: SchemaProperty | undefined): string => {
  if (!p) return 'unknown'
  const literals = values(p)?.map(literal)
  if (literals?.every((l) => l !== undefined)) return [...new Set(literals)].join(' | ')
  if (p.type === 'string') return 'string'
  if (p.type === 'integer' || p.type === 'number') return 'number'
  if (p.type === 'boolean') return 'boolean'
  if (p.type === 'array') {
    const item = typeOf(p.items)
    return item.includes(' ') ? `(${item})[]` : `${item}[]`
  }
  return 'unknown'
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').replace(/\*\//g, '*\\/').trim()

/** A one-line description of an attribute for a doc comment: title, enum titles, format, and its Okta name. */
export const describeAttribute = ({ name, property: p }: Attribute): string => {
  const parts = [typeof p.title === 'string' ? p.title : name]
  const titled = (Array.isArray(p.oneOf) ? p.oneOf : Array.isArray(p.items?.oneOf) ? p.items.oneOf : [])
    .filter((o) => typeof o?.title === 'string' && literal(o.const) !== undefined)
    .map((o) => `${literal(o.const)} ${o.title}`)
  if (titled.length) parts.push(`(${titled.join(', ')})`)
  const format = typeof p.format === 'string' ? `, format ${p.format}` : ''
  return oneLine(`${parts.join(' ')}${format}. Okta: ${name}`)
}
