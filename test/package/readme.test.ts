// The README quotes the size budgets and the script tag's SRI hash: both must match what is true.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { ROOT } from './paths'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const section = (title: string) => {
  const start = readme.indexOf(`\n## ${title}\n`)
  expect(start, `README has a "## ${title}" section`).toBeGreaterThan(-1)
  const end = readme.indexOf('\n## ', start + 1)
  return readme.slice(start, end === -1 ? undefined : end)
}

test('the "Size" table lists every size-limit entry with its limit, in order', async () => {
  const { default: checks } = (await import(join(ROOT, '.size-limit.js'))) as {
    default: { name: string; limit: string }[]
  }
  const rows = [...section('Size').matchAll(/^\| `([^`]+)` \| ([^|]+?) \|$/gm)].map(([, name, limit]) => ({
    name,
    limit,
  }))
  expect(rows).toEqual(checks.map(({ name, limit }) => ({ name, limit })))
})

test('every named export of the package has a size budget', async () => {
  const { default: checks } = (await import(join(ROOT, '.size-limit.js'))) as { default: { import?: string }[] }
  const budgeted = new Set(checks.map((c) => /^\{ (\w+) \}$/.exec(c.import ?? '')?.[1]))
  const index = readFileSync(join(ROOT, 'src', 'index.ts'), 'utf8')
  // functions users import on their own: connect and the filters (classes and guards ride with connect)
  const factories = [...index.matchAll(/^export \{ (\w+) \} from '\.\/(connect|filters\/[\w-]+)'/gm)].map(
    ([, name]) => name,
  )
  expect(factories.filter((name) => !budgeted.has(name))).toEqual([])
})

test('the "Script tag" example carries the SRI hash of the built bundle and the current version', () => {
  const bundle = readFileSync(join(ROOT, 'dist', 'okta-segment.global.min.js'))
  const integrity = `sha384-${createHash('sha384').update(bundle).digest('base64')}`
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  const tag =
    /<script[^>]*src="([^"]+okta-segment\.global\.min\.js)"\s+integrity="([^"]+)"\s+crossorigin="anonymous"><\/script>/.exec(
      section('Script tag'),
    )
  expect(tag, 'a <script src=… integrity=… crossorigin="anonymous"> tag').not.toBeNull()
  expect(tag![1]).toBe(`https://unpkg.com/okta-segment@${version}/dist/okta-segment.global.min.js`)
  // `npm run build` rewrites this hash outside CI; in CI a stale committed README fails here.
  expect(tag![2], 'README integrity: run `npm run build` and commit README.md').toBe(integrity)
})
