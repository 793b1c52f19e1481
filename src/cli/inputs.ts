import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { SchemaArgs } from './args'
import { parseClaims, type OktaClaim } from './claims'
import { CliError } from './errors'
import { oktaApi, orgOrigin, type OktaApi } from './okta-api'
import { parseSchema, type ProfileSchema } from './okta-schema'

/** What the command reads: the schemas and claims, and a label of where each came from. */
export interface Inputs {
  user: ProfileSchema
  app?: ProfileSchema
  claims: OktaClaim[]
  labels: { schema: string; claims: string }
}

/** The process's surroundings, passed in so tests run the command in-process. */
export interface Env {
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  fetch?: typeof fetch
}

/** Reads a JSON file, or throws `CliError` saying what is wrong with it. */
export const readJson = async (file: string, cwd: string, what: string): Promise<unknown> => {
  let text: string
  try {
    text = await readFile(resolve(cwd, file), 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new CliError(
      code === 'ENOENT'
        ? `${what} file not found: ${file}`
        : `cannot read ${what} file ${file} (${code ?? (e as Error).message})`,
    )
  }
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new CliError(
      `${file} is not JSON (${(e as Error).message}): give the ${what} exactly as Okta's API returned it`,
    )
  }
}

const live = (a: SchemaArgs, env: Env): OktaApi => {
  const token = env.env.OKTA_API_TOKEN
  if (!token)
    throw new CliError(
      `--org reads from Okta's API: set OKTA_API_TOKEN to an API token of the org (Security > API > Tokens)`,
    )
  return oktaApi(orgOrigin(a.org!), token, env.fetch)
}

/** Loads the user schema, the claims and the app schema from files, and what no file gives from `--org`. */
export const loadInputs = async (a: SchemaArgs, env: Env): Promise<Inputs> => {
  const api = a.org && (!a.schema || !a.claims || a.app) ? live(a, env) : undefined
  const server = encodeURIComponent(a.authServer ?? 'default')
  const [schemaJson, claimsJson, appJson] = await Promise.all([
    a.schema ? readJson(a.schema, env.cwd, 'user schema') : api!.get('/api/v1/meta/schemas/user/default'),
    a.claims ? readJson(a.claims, env.cwd, 'claims') : api!.get(`/api/v1/authorizationServers/${server}/claims`),
    a.appSchema
      ? readJson(a.appSchema, env.cwd, 'app user schema')
      : a.app
        ? api!.get(`/api/v1/meta/schemas/apps/${encodeURIComponent(a.app)}/default`)
        : undefined,
  ])
  const label = (file: string | undefined, path: string) => file ?? `${api!.origin}${path}`
  const schema = label(a.schema, '/api/v1/meta/schemas/user/default')
  const claims = label(a.claims, `/api/v1/authorizationServers/${server}/claims`)
  const appFrom = a.appSchema ?? (a.app ? `${api!.origin}/api/v1/meta/schemas/apps/${a.app}/default` : '')
  return {
    user: parseSchema(schemaJson, schema, 'user'),
    app: appJson === undefined ? undefined : parseSchema(appJson, appFrom, 'app'),
    claims: parseClaims(claimsJson, claims),
    labels: { schema, claims },
  }
}
