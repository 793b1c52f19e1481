// Runs first: records every CSP violation the page reports.
window.__violations = []
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push({
    directive: e.violatedDirective,
    blocked: e.blockedURI,
    source: e.sourceFile,
    line: e.lineNumber,
    sample: e.sample,
  })
})
