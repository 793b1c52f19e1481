// Tree-shaking: `import { connect }` pulls no filter code, and each filter pulls only itself.
// Filters are found from src/index.ts (`export { x } from './filters/...'`): a new filter is
// checked without touching this file.
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { build } from 'esbuild'
import { rollup } from 'rollup'
import { describe, expect, inject, test } from 'vitest'
import { ROOT } from './paths'

const index = readFileSync(join(ROOT, 'src', 'index.ts'), 'utf8')
const filters = [...index.matchAll(/^export \{ (\w+) \} from '\.\/filters\/([\w-]+)'/gm)].map(([, name, file]) => ({
  name: name!,
  file: `src/filters/${file}.ts`,
}))
const filterFiles = new Set(filters.map((f) => f.file))

/** Bundles `import { name } from <from>` as a user's bundler would; returns code and contributing files. */
const bundle = async (name: string, from: string, resolveDir: string, define?: Record<string, string>) => {
  const result = await build({
    stdin: {
      contents: `import { ${name} } from '${from}'\nconsole.log(${name.replace(/\s/g, '')})`,
      resolveDir,
      loader: 'js',
    },
    define,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
  })
  const [output] = Object.values(result.metafile.outputs)
  const files = Object.entries(output!.inputs)
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([file]) => relative(ROOT, join(resolveDir, file)))
  return { code: result.outputFiles[0]!.text, files }
}

test('src/index.ts exports the filters', () => {
  // Guards the discovery above: if the export style changes, this list empties and the rest would pass vacuously.
  expect(filters.map((f) => f.name)).toEqual(expect.arrayContaining(['dropTraits', 'hashTraits']))
})

describe('from the sources (which file each byte comes from)', () => {
  test('{ connect } includes no filter', async () => {
    const { files } = await bundle('connect', './src/index.ts', ROOT)
    expect(files).toContain('src/connect.ts')
    expect(files.filter((f) => filterFiles.has(f))).toEqual([])
    expect(files.filter((f) => f.startsWith('src/cli/') || f === 'src/okta-profile.ts')).toEqual([]) // the schema command's
  })

  test('{ connect } includes neither plugin; in production, none of the development checks', async () => {
    const { files } = await bundle('connect', './src/index.ts', ROOT, { __DEV__: 'false' })
    expect(files.filter((f) => f.startsWith('src/plugins/') || f.startsWith('src/dev/'))).toEqual([])
    const dev = await bundle('connect', './src/index.ts', ROOT, { __DEV__: 'true' })
    expect(dev.files).toContain('src/dev/validate.ts')
  })

  test.each(['filters', 'groups'])('{ connect, %s }: the plugin pays for its own files only', async (plugin) => {
    const { files } = await bundle(`connect, ${plugin}`, './src/index.ts', ROOT, { __DEV__: 'false' })
    const own =
      plugin === 'filters' ? ['src/plugins/filters.ts', 'src/plugins/run-filters.ts'] : ['src/plugins/groups.ts']
    expect(files.filter((f) => f.startsWith('src/plugins/')).sort()).toEqual(own)
    expect(files.filter((f) => filterFiles.has(f) || f.startsWith('src/dev/'))).toEqual([])
  })

  test.each(filters)('{ $name } includes its own file and no other filter, nor connect', async ({ name, file }) => {
    const { files } = await bundle(name, './src/index.ts', ROOT)
    expect(files.filter((f) => filterFiles.has(f))).toEqual([file])
    expect(files).not.toContain('src/connect.ts')
  })
})

describe('from the installed package (what users bundle)', () => {
  // dist/index.js is one flat file: look for each factory's declaration and its filter name.
  const traces = (code: string, name: string) =>
    new RegExp(`function ${name}\\b|\\b${name} = |["']${name}["']`).test(code)

  test('{ connect } carries no filter factory', async () => {
    const { code } = await bundle('connect', 'okta-segment', inject('consumer'))
    expect(code).toMatch(/function connect\b/)
    expect(filters.filter((f) => traces(code, f.name)).map((f) => f.name)).toEqual([])
  })

  test.each(filters)('{ $name } carries no other filter and no connect()', async ({ name }) => {
    const { code } = await bundle(name, 'okta-segment', inject('consumer'))
    expect(traces(code, name)).toBe(true)
    expect(filters.filter((f) => f.name !== name && traces(code, f.name)).map((f) => f.name)).toEqual([])
    expect(code).not.toMatch(/function connect\b/)
  })
})

describe('what must stay', () => {
  // connect() subscribes to Okta: a call whose result is unused must survive tree-shaking. Rollup
  // and Vite drop such a call when the function is annotated `/* @__NO_SIDE_EFFECTS__ */`.
  test('a bare `connect({...})` statement survives Rollup (and so Vite)', async () => {
    const installed = join(inject('consumer'), 'node_modules', 'okta-segment', 'dist', 'index.js')
    const bundle = await rollup({
      input: 'entry',
      onwarn: () => {},
      plugins: [
        {
          name: 'entry',
          resolveId: (id) => (id === 'entry' ? id : id === 'okta-segment' ? installed : null),
          load: (id) =>
            id === 'entry'
              ? `import { connect } from 'okta-segment'\nconnect({ auth: window.oktaAuth, analytics: window.analytics })\n`
              : null,
        },
      ],
    })
    const { output } = await bundle.generate({ format: 'es' })
    expect(output[0].code, 'connect() was dropped: it must not be marked @__NO_SIDE_EFFECTS__').toMatch(
      /function connect\b/,
    )
  })
})
