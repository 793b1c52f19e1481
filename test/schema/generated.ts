// The module the command generates from the fixtures, written to a fresh folder, for the tests
// that compile it and that import it into a real connect().
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FIXTURES, FIXTURE_ARGS } from './fixture-run'
import { cli } from './helpers'

// Inside the repository (.tmp/ is git-ignored) so that vitest can import the module it writes.
const TMP = join(FIXTURES, '..', '..', '..', '.tmp')

/** Generates the module from the fixtures (with the app schema) into a new folder; returns its path. */
export const generateModule = async (): Promise<{ dir: string; file: string; source: string }> => {
  const { status, stdout, stderr } = await cli(FIXTURE_ARGS)
  if (status !== 0) throw new Error(`okta-segment schema failed: ${stderr}`)
  mkdirSync(TMP, { recursive: true })
  const dir = mkdtempSync(join(TMP, 'generated-'))
  const file = join(dir, 'traits.ts')
  writeFileSync(file, stdout)
  return { dir, file, source: stdout }
}
