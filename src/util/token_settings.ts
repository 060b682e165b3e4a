/**
 * Session-signing settings for library callers that have no server (a server passes its resolved
 * settings down instead): read through src/settings.ts at call time, so tests and embedders can
 * change the environment between calls.
 */
import { read_setting } from "../settings.ts"

/** `BOKEH_SECRET_KEY`, or `undefined` when it is unset or empty. */
export function settings_secret_key(): string | undefined {
  return read_setting("secret_key") ?? undefined
}

/** `BOKEH_SIGN_SESSIONS`: any non-empty value means true (Bokeh's rule, even for "0" or "no"). */
export function settings_sign_sessions(): boolean {
  return read_setting("sign_sessions")
}
