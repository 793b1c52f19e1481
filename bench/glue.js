// The hand-written integration the benchmark compares against: the ten lines every Okta + Segment
// site has (identify with the claims spread into traits inside Okta's auth-state callback, reset
// on sign-out). `window.analytics` is read at call time, as snippet users write it.
export function glue(oktaAuth) {
  oktaAuth.authStateManager.subscribe((authState) => {
    if (authState.isAuthenticated)
      window.analytics.identify(authState.idToken.claims.sub, { ...authState.idToken.claims })
    else window.analytics.reset()
  })
}
