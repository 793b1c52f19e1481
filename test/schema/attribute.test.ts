// One attribute: whether it may ever leave as a trait, its TypeScript type and its description.
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { describeAttribute, leftOutBecause, quote, typeOf } from '../../src/cli/attribute'
import { attribute } from './helpers'

describe('leftOutBecause', () => {
  it.each([
    [attribute('ssn', { type: 'string', sensitive: true }), 'marked sensitive'],
    [
      attribute('salary', { type: 'integer', permissions: [{ principal: 'SELF', action: 'HIDE' }] }),
      'hidden (permission HIDE)',
    ],
    [attribute('pin', { type: 'string', mutability: 'WRITE_ONLY' }), 'write-only'],
    [attribute('pin2', { type: 'string', writeOnly: true }), 'write-only'],
    [attribute('badge', { type: 'string', format: 'encrypted' }), 'hashed or encrypted'],
    [attribute('badge2', { type: 'string', hashed: true }), 'hashed or encrypted'],
    [attribute('vpnSecret', { type: 'string' }), 'named like a secret'],
    [attribute('legacyPasswordHash', { type: 'string' }), 'named like a secret'],
    [attribute('apiKey', { type: 'string' }), 'named like a secret'],
    [attribute('password', { type: 'string' }, 'base'), 'a credential'],
    [attribute('recovery_question', { type: 'string' }, 'base'), 'a credential'],
    [attribute('__proto__', { type: 'string' }), 'not a usable trait name'],
    [attribute('first-name', { type: 'string' }), 'not a usable trait name'],
  ])('leaves out %o: %s', (a, reason) => {
    expect(leftOutBecause(a)).toBe(reason)
  })

  it('keeps ordinary attributes, whatever their permission for the user', () => {
    const readOnly = [{ principal: 'SELF', action: 'READ_ONLY' }]
    expect(
      leftOutBecause(
        attribute('department', { type: 'string', mutability: 'READ_WRITE', scope: 'NONE', permissions: readOnly }),
      ),
    ).toBeUndefined()
    expect(leftOutBecause(attribute('email', { type: 'string', format: 'email' }, 'base'))).toBeUndefined()
  })
})

describe('typeOf', () => {
  it.each([
    [{ type: 'string' }, 'string'],
    [{ type: 'string', format: 'date-time' }, 'string'],
    [{ type: 'integer' }, 'number'],
    [{ type: 'number' }, 'number'],
    [{ type: 'boolean' }, 'boolean'],
    [{ type: 'string', enum: ['S', 'M'] }, "'S' | 'M'"],
    [
      {
        type: 'string',
        oneOf: [
          { const: 'a', title: 'A' },
          { const: 'b', title: 'B' },
        ],
      },
      "'a' | 'b'",
    ],
    [{ type: 'integer', enum: [1, 2, null] }, '1 | 2 | null'],
    [{ type: 'string', enum: ["it's", 'a\\b'] }, "'it\\'s' | 'a\\\\b'"],
    [{ type: 'string', enum: [{}] }, 'string'],
    [{ type: 'array', items: { type: 'string' } }, 'string[]'],
    [{ type: 'array', items: { type: 'integer', enum: [1, 2] } }, '(1 | 2)[]'],
    [{ type: 'array' }, 'unknown[]'],
    [{ type: 'object' }, 'unknown'],
    [{}, 'unknown'],
  ])('%o is %s', (property, type) => {
    expect(typeOf(property)).toBe(type)
  })
})

describe('describeAttribute and quote', () => {
  it('describes an attribute on one line, safe inside a doc comment', () => {
    const a = attribute('office', { title: 'Office */ "HQ"\n annex', type: 'string', format: 'uri' })
    expect(describeAttribute(a)).toBe('Office *\\/ "HQ" annex, format uri. Okta: office')
  })

  it('quotes any string as a TypeScript literal that reads back the same', () => {
    for (const s of ["it's", 'a"b', 'back\\slash', 'line\nbreak', '\u2028', 'https://example.com/claims/x']) {
      expect(runInNewContext(quote(s))).toBe(s)
    }
  })
})
