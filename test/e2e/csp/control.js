// The control: what the policy must refuse, so that "no violation" on the real page means something.
try {
  // eslint-disable-next-line no-eval -- the control: CSP must refuse it
  eval('1')
} catch (e) {
  window.__evalBlocked = String(e)
}
try {
  document.createElement('script').src = '/app.js'
} catch (e) {
  window.__trustedTypesBlocked = String(e)
}
