import { quote } from './attribute'
import { CliError } from './errors'

type TraitsMap = ReadonlyMap<string, string | false>

// A small reader for the object literal this command writes: keys (identifiers or quoted), values
// (quoted strings or `false`), comments. Not a TypeScript parser, and it need not be one.
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' }

/** The `traits` map in a module `okta-segment schema` wrote. Throws `CliError` when there is none. */
export const readTraitsMap = (source: string, file: string): Map<string, string | false> => {
  const fail = (why: string) =>
    new CliError(`${file}: ${why}; --check reads the \`export const traits = { ... }\` that okta-segment schema writes`)
  const start = /export const traits\s*=\s*\{/.exec(source)
  if (!start) throw fail('no `export const traits = {`')
  let at = start.index + start[0].length
  const skip = () => {
    for (;;) {
      const m = /^(\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(source.slice(at))
      if (!m) return
      at += m[0].length
    }
  }
  const token = (): { quoted: boolean; text: string } | undefined => {
    skip()
    const q = source[at]
    if (q === "'" || q === '"') {
      let text = ''
      for (at++; at < source.length && source[at] !== q; at++) {
        if (source[at] !== '\\') text += source[at]
        else if (source[++at] !== 'u') text += ESCAPES[source[at]!] ?? source[at]
        else {
          text += String.fromCharCode(parseInt(source.slice(at + 1, at + 5), 16))
          at += 4
        }
      }
      if (source[at++] !== q) throw fail('a string is not closed')
      return { quoted: true, text }
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(source.slice(at))?.[0]
    if (!word) return undefined
    at += word.length
    return { quoted: false, text: word }
  }
  const map = new Map<string, string | false>()
  for (;;) {
    skip()
    if (source[at] === '}') return map
    const name = token()?.text
    skip()
    if (name === undefined || source[at++] !== ':') throw fail(`expected a claim name and ':' at offset ${at - 1}`)
    const value = token()
    if (!value || (!value.quoted && value.text !== 'false'))
      throw fail(`the value of ${name} is not a trait name in quotes or false`)
    map.set(name, value.quoted ? value.text : false)
    skip()
    if (source[at] === ',') at++
    else if (source[at] !== '}') throw fail(`expected ',' or '}' after ${name}`)
  }
}

const show = (v: string | false | undefined) => (v === false ? 'false' : v === undefined ? '(absent)' : quote(v))

/** Pure: the lines that say how `have` (the file) differs from `want` (Okta's), empty when they match. */
export const diffMaps = (want: TraitsMap, have: TraitsMap, why: ReadonlyMap<string, string>): string[] => {
  const lines: string[] = []
  for (const [claim, trait] of want) {
    const had = have.get(claim)
    if (!have.has(claim)) lines.push(`  + ${claim}: ${show(trait)}  (${why.get(claim) ?? 'new in Okta'})`)
    else if (had !== trait)
      lines.push(`  ~ ${claim}: ${show(had)} -> ${show(trait)}  (${why.get(claim) ?? 'changed in Okta'})`)
  }
  for (const [claim, trait] of have)
    if (!want.has(claim)) lines.push(`  - ${claim}: ${show(trait)}  (no longer in Okta's schema or claims)`)
  return lines
}
