/** True in the development build (clear messages, the debug log's reasons); false in the
 * production build. Replaced at build time (rollup.config.ts); true under vitest. */
declare const __DEV__: boolean
