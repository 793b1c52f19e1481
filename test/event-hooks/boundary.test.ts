// The server entry and the browser entries share no code paths they should not: bundled from the
// sources as a bundler would, the browser entries contain nothing of src/event-hooks (nor the profile
// table), and the server entry contains no browser code (connect, the scheduler, the page).
import { join, relative } from 'node:path'
import { build } from 'esbuild'
import { expect, test } from 'vitest'
import { ROOT } from '../package/paths'

const inputsOf = async (entry: string, platform: 'browser' | 'node') => {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform,
    metafile: true,
    logLevel: 'silent',
    external: ['@okta/*', '@segment/*', 'jose'],
  })
  return Object.keys(result.metafile.inputs).map((f) => relative(ROOT, join(process.cwd(), f)))
}

test.each(['src/index.ts', 'src/standalone.ts'])('%s bundles nothing of the server entry', async (entry) => {
  const files = await inputsOf(entry, 'browser')
  expect(files).toContain('src/connect.ts')
  expect(files.filter((f) => f.startsWith('src/event-hooks/') || f === 'src/okta-profile.ts')).toEqual([])
})

test('the server entry bundles no browser code', async () => {
  const files = await inputsOf('src/event-hooks/index.ts', 'node')
  expect(files).toContain('src/event-hooks/handler.ts')
  const browser = [
    'connect',
    'schedule',
    'lifecycle',
    'store',
    'sink',
    'page',
    'middleware',
    'standalone',
    'filter',
    'identity',
  ]
  expect(files.filter((f) => browser.some((b) => f === `src/${b}.ts`) || f.startsWith('src/filters/'))).toEqual([])
})
