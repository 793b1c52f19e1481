// Security of the built files: nothing in dist/ evaluates strings as code or writes HTML from
// strings, so the bundles run under `script-src 'self'` and `require-trusted-types-for 'script'`.
// The files are parsed (rollup's parser), not grepped: a comment or a string that mentions eval
// is not a finding, and a call hidden behind odd spacing is.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseAst } from 'rollup/parseAst'
import { describe, expect, test } from 'vitest'
import { ROOT } from './paths'

type Node = { type: string; [key: string]: unknown }

const isNode = (v: unknown): v is Node => !!v && typeof v === 'object' && typeof (v as Node).type === 'string'
function* walk(node: Node): Generator<Node> {
  yield node
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const item of value) if (isNode(item)) yield* walk(item)
    if (isNode(value)) yield* walk(value)
  }
}

const name = (n: unknown) =>
  isNode(n) && n.type === 'Identifier'
    ? (n.name as string)
    : isNode(n) && n.type === 'MemberExpression' && isNode(n.property)
      ? ((n.property.name ?? n.property.value) as string)
      : undefined
const STRING_SINKS = new Set(['innerHTML', 'outerHTML', 'srcdoc'])
const HTML_CALLS = new Set(['insertAdjacentHTML', 'createContextualFragment', 'setHTMLUnsafe', 'parseHTMLUnsafe'])
const onDocument = (callee: unknown) =>
  isNode(callee) && callee.type === 'MemberExpression' && name(callee.object) === 'document'

/** Every use of a string-to-code or string-to-HTML sink in `code`. */
export function sinks(code: string): string[] {
  const found: string[] = []
  for (const n of walk(parseAst(code) as unknown as Node)) {
    const at = `${n.type}@${String(n.start)}`
    if ((n.type === 'CallExpression' || n.type === 'NewExpression') && name(n.callee) === 'Function')
      found.push(`Function ${at}`)
    if (n.type === 'CallExpression' && ['setTimeout', 'setInterval'].includes(name(n.callee) ?? '')) {
      const [first] = n.arguments as Node[]
      if (first && (first.type === 'Literal' || first.type === 'TemplateLiteral' || first.type === 'BinaryExpression'))
        found.push(`string ${name(n.callee)} ${at}`)
    }
    if (n.type === 'CallExpression' && HTML_CALLS.has(name(n.callee) ?? '')) found.push(`${name(n.callee)} ${at}`)
    if (n.type === 'CallExpression' && ['write', 'writeln'].includes(name(n.callee) ?? '') && onDocument(n.callee))
      found.push(`document.write ${at}`)
    if (n.type === 'AssignmentExpression' && STRING_SINKS.has(name(n.left) ?? '')) found.push(`${name(n.left)}= ${at}`)
    if (n.type === 'Identifier' && n.name === 'eval') found.push(`eval ${at}`) // any reference: direct or indirect call
  }
  return found
}

const files = readdirSync(join(ROOT, 'dist')).filter((f) => /\.(c|m)?js$/.test(f))

describe('dist/ evaluates no strings as code', () => {
  test('the scanner finds each kind of sink (so an empty result means something)', () => {
    const bad = `eval('1'); new Function('a', 'return a'); Function('x')(); window['Function']; setTimeout('go()', 1);
      el.innerHTML = s; document.write(s); el.insertAdjacentHTML('beforeend', s); (0, eval)('2')`
    expect(sinks(bad).map((f) => f.split(' ')[0])).toEqual([
      'eval',
      'Function',
      'Function',
      'string',
      'innerHTML=',
      'document.write',
      'insertAdjacentHTML',
      'eval',
    ])
    expect(
      sinks(`const evaluation = 'eval(x)'; // new Function\nsetTimeout(fn, 1); el.textContent = s; store.write(x)`),
    ).toEqual([])
  })

  test('the built files are all there: ESM, CJS and the script-tag bundles', () => {
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'event-hooks.js', 'event-hooks.cjs']))
  })

  test.each(files)('%s: no eval, new Function, string timers or HTML from strings', (file) => {
    expect(sinks(readFileSync(join(ROOT, 'dist', file), 'utf8'))).toEqual([])
  })
})
