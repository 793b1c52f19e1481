// The README's example run of `okta-segment schema` quotes the module the fixtures really give.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { FIXTURES } from './fixture-run'

it('every line of the README example is in the generated fixtures/traits.ts', () => {
  const readme = readFileSync(join(FIXTURES, '..', '..', '..', 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf("\n## Traits from Okta's schema\n"), readme.indexOf('\n## Tests\n'))
  const example = /An example run[\s\S]*?```sh\n(.*)\n```\n```ts\n([\s\S]*?)```/.exec(section)
  expect(example, 'the README has an example run: a sh block, then the ts it prints').not.toBeNull()
  expect(example![1]).toBe(
    'cd test/schema/fixtures && ' +
      'npx okta-segment schema user-schema.json --claims claims.json --app-schema app-schema.json',
  )
  const generated = new Set(readFileSync(join(FIXTURES, 'traits.ts'), 'utf8').split('\n'))
  const quoted = example![2]!
    .split('\n')
    .filter((l) => l.trim() && !/^\s*(\/\/ )?\.\.\./.test(l) && !l.startsWith('  // ... '))
  expect(quoted.length).toBeGreaterThan(15)
  expect(quoted.filter((l) => !generated.has(l))).toEqual([])
})
