import { createHash } from 'node:crypto'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import type { Plugin, RollupOptions } from 'rollup'
import { dts } from 'rollup-plugin-dts'

// The development build (clear messages, the debug log's reasons) and the production build (short
// codes): __DEV__ is replaced before TypeScript sees the code, and rollup drops the dead branches.
const mode = (dev: boolean): Plugin => ({
  name: 'mode',
  transform: (code, id) => (/\/src\/.*\.ts$/.test(id) ? code.replace(/\b__DEV__\b/g, String(dev)) : null),
})

const ts = () =>
  typescript({
    tsconfig: './tsconfig.build.json',
    include: ['src/**/*.ts'],
    compilerOptions: { noEmit: false, declaration: false, target: 'ES2022' },
  })

// Prints the Subresource Integrity hash of the minified script-tag bundle and writes it into the
// README's <script integrity> tag. In CI the README is only checked (test/package/readme.test.ts),
// so a README committed with a stale hash fails there.
const sri = (): Plugin => ({
  name: 'sri',
  writeBundle(options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk' || !chunk.fileName.endsWith('.min.js')) continue
      const integrity = `sha384-${createHash('sha384').update(chunk.code).digest('base64')}`
      console.log(`\nSRI of ${options.file}: ${integrity}\n`)
      if (process.env.CI) continue
      const readme = readFileSync('README.md', 'utf8')
      const next = readme.replace(/(okta-segment\.global\.min\.js"\s+integrity=")sha384-[^"]*"/g, `$1${integrity}"`)
      if (next !== readme) writeFileSync('README.md', next)
    }
  },
})

// The command's file is run directly as the package's `bin`.
const executable = (): Plugin => ({
  name: 'executable',
  writeBundle({ file }) {
    if (file) chmodSync(file, 0o755)
  },
})
const SERVER_PEERS = ['@segment/analytics-node', 'jose', /^node:/]

const config: RollupOptions[] = [
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.js', format: 'es' },
      { file: 'dist/index.cjs', format: 'cjs' },
    ],
    plugins: [mode(true), ts()],
    treeshake: { moduleSideEffects: false },
  },
  {
    // what the `production` export condition resolves to (Vite and webpack builds set it)
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.prod.js', format: 'es' },
      { file: 'dist/index.prod.cjs', format: 'cjs' },
    ],
    plugins: [mode(false), ts()],
    treeshake: { moduleSideEffects: false },
  },
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.d.ts', format: 'es' },
      { file: 'dist/index.d.cts', format: 'es' },
    ],
    plugins: [dts()],
  },
  {
    // Script tag: sets window.OktaSegment itself (no `name`), so a queue set up before it is replayed.
    input: 'src/standalone.ts',
    output: { file: 'dist/okta-segment.global.js', format: 'iife' },
    plugins: [mode(true), ts()],
  },
  {
    // the script tag for production pages: short codes, minified
    input: 'src/standalone.ts',
    output: {
      file: 'dist/okta-segment.global.min.js',
      format: 'iife',
      plugins: [terser({ format: { comments: false } }), sri()],
    },
    plugins: [mode(false), ts()],
  },
  {
    // `npx okta-segment schema` (Node >= 20): its own file, which no browser entry imports.
    input: 'src/cli/bin.ts',
    output: { file: 'dist/cli.js', format: 'es', banner: '#!/usr/bin/env node' },
    external: (id) => id.startsWith('node:'),
    plugins: [mode(true), ts(), executable()],
  },
  {
    // Server entry (Node >= 20): its optional peers stay imports, loaded when first used.
    input: 'src/event-hooks/index.ts',
    output: [
      { file: 'dist/event-hooks.js', format: 'es' },
      { file: 'dist/event-hooks.cjs', format: 'cjs' },
    ],
    external: SERVER_PEERS,
    plugins: [mode(true), ts()],
    treeshake: { moduleSideEffects: false },
  },
  {
    input: 'src/event-hooks/index.ts',
    output: [
      { file: 'dist/event-hooks.d.ts', format: 'es' },
      { file: 'dist/event-hooks.d.cts', format: 'es' },
    ],
    external: SERVER_PEERS,
    plugins: [dts()],
  },
]

export default config
