// The generated module compiles under strict TypeScript, its `traits` fits connect()'s options and
// `OktaTraits` types what Segment receives (a wrong enum value, a left-out or flattened trait fail).
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { afterAll, expect, it } from 'vitest'
import { generateModule } from './generated'

const SRC = fileURLToPath(new URL('../../src/index.ts', import.meta.url))
// the build-time constant of src/ (rollup replaces it): declared for a program that compiles src/
const ENV = fileURLToPath(new URL('../../src/env.d.ts', import.meta.url))
let dir = ''
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }))

const compile = (files: string[]) => {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    noUnusedLocals: true,
  }
  const program = ts.createProgram(files, options)
  const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' }
  return ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), host)
}

it('type-checks on its own and with connect(), and OktaTraits refuses what Segment never gets', async () => {
  const generated = await generateModule()
  dir = generated.dir
  const consumer = join(dir, 'consumer.ts')
  writeFileSync(
    consumer,
    `import { connect, type Options } from ${JSON.stringify(SRC.replace(/\.ts$/, ''))}
import { traits, type OktaTraits } from './traits'

declare const auth: Options['auth']
declare const analytics: Options['analytics']
connect({ auth, analytics, traits })

export const ok: OktaTraits = {
  email: 'ola@example.com',
  address: { street: '1 Main St', postalCode: '0150', country: 'NO' },
  shirtSize: 'M',
  languages: ['nb', 'en'],
  clearanceLevel: 2,
  isContractor: false,
  role: 'editor',
}
// @ts-expect-error not one of the enum's values
export const size: OktaTraits = { shirtSize: 'XXL' }
// @ts-expect-error clearanceLevel is 1 | 2 | 3
export const level: OktaTraits = { clearanceLevel: 4 }
// @ts-expect-error a sensitive attribute is no trait
export const ssn: OktaTraits = { ssn: '010190-12345' }
// @ts-expect-error a hidden attribute is no trait
export const phone: OktaTraits = { phone: '+47 912 34 567' }
// @ts-expect-error postalCode is nested under address
export const flat: OktaTraits = { postalCode: '0150' }
// @ts-expect-error the map is read-only
traits.ssn = 'ssn'
`,
  )
  expect(compile([generated.file])).toBe('')
  expect(compile([consumer, ENV])).toBe('')
  // The check above means something: a broken module is reported.
  writeFileSync(generated.file, generated.source.replace("shirt_size: 'shirtSize'", 'shirt_size: 42'))
  expect(compile([generated.file])).toMatch(/error TS\d+/)
}, 60_000)
