/**
 * A device-mode destination that runs in the page, as analytics-next loads one from the CDN
 * settings' `remotePlugins`, but from a local plugin factory (no script is fetched). It records
 * what it received, after destination middleware.
 */
import type { CDNSettings, Context, Plugin } from '@segment/analytics-next'

export interface LocalDestination {
  name: string
  received: Record<string, any>[]
  cdnSettings: Partial<CDNSettings>
  factory: ((settings: unknown) => Plugin) & { pluginName: string }
}

export function localDestination(name: string): LocalDestination {
  const received: Record<string, any>[] = []
  const record = async (ctx: Context) => {
    received.push(JSON.parse(JSON.stringify(ctx.event)))
    return ctx
  }
  const plugin: Plugin = {
    name,
    type: 'destination',
    version: '1.0.0',
    isLoaded: () => true,
    load: async () => {},
    track: record,
    identify: record,
    page: record,
    group: record,
    alias: record,
  }
  const factory = Object.assign(() => plugin, { pluginName: name })
  const cdnSettings = {
    remotePlugins: [
      { name, creationName: name, libraryName: `${name}Lib`, url: 'http://127.0.0.1:9/never-fetched.js', settings: {} },
    ],
  } as unknown as Partial<CDNSettings>
  return { name, received, cdnSettings, factory }
}
