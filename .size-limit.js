// Size budgets (brotli; an import is bundled and minified with esbuild, as a user's bundler would),
// checked by `npm run size` in `npm test`. Limit = measured size + about 3%. The README's "Size"
// section quotes these and test/package/readme.test.ts keeps it in step: change both together.
// One line per entry. Measured in the production build (what the `production` export condition
// gives), with one entry for the development build.
const named = (name, limit, path = 'dist/index.prod.js') => ({
  name: `import { ${name} }`,
  path,
  import: `{ ${name} }`,
  limit,
})

export default [
  named('connect', '6.75 kB'),
  named('connect, filters, dropTraits', '7.55 kB'),
  named('connect, groups', '6.9 kB'),
  named('allowTraits', '190 B'),
  named('dropTraits', '190 B'),
  named('hashTraits', '365 B'),
  named('dropEvents', '145 B'),
  named('consent', '165 B'),
  { name: 'import * (everything)', path: 'dist/index.prod.js', import: '*', limit: '8.2 kB' },
  { ...named('connect', '8.65 kB', 'dist/index.js'), name: 'import { connect }, development build' },
  {
    name: 'script tag (okta-segment.global.min.js)',
    path: 'dist/okta-segment.global.min.js',
    disablePlugins: ['@size-limit/esbuild'],
    limit: '7.95 kB',
  },
]
