/**
 * Environment defaults for session signing, read the way Python Bokeh reads them.
 * They are read at call time (Python reads them once, at import), so tests and embedders can
 * change `process.env` between calls.
 */

/** `BOKEH_SECRET_KEY`, or `undefined` when it is unset or empty. */
export function settings_secret_key(): string | undefined {
  const key = process.env["BOKEH_SECRET_KEY"]
  return key === undefined || key === "" ? undefined : key
}

/** `BOKEH_SIGN_SESSIONS`: any non-empty value means true (Bokeh's rule, even for "0" or "no"). */
export function settings_sign_sessions(): boolean {
  const value = process.env["BOKEH_SIGN_SESSIONS"]
  return value !== undefined && value !== ""
}
