/**
 * An auth module for `bokeh-ts serve --auth-module`, the TypeScript twin of Bokeh's server_auth
 * example: a login form, a signed "user" cookie, and a logout page. The user list is a stand-in:
 * check passwords against your real user store (with a proper password hash) instead.
 *
 *   node bin/bokeh-ts.mjs serve examples/sliders.ts --auth-module examples/auth/auth.ts \
 *     --cookie-secret "$(node bin/bokeh-ts.mjs secret)" --enable-xsrf-cookies
 */
import { RequestHandler } from "bokeh-ts"

const USERS: Readonly<Record<string, string>> = { bokeh: "bokeh" }

/** The logged-in user, from the signed cookie the login page set (null: anonymous). */
export function get_user(request_handler: RequestHandler): string | null {
  return request_handler.get_secure_cookie("user")
}

/** Where anonymous visitors are sent (with ?next= the page they asked for). */
export const login_url = "/login"

/**
 * `next` as a path on this site, or "/": never redirect a login to another site. The check is the
 * browser's own URL parsing, since browsers read `/\evil.com` as `//evil.com`, drop tabs and newlines
 * (`/\t/evil.com`), and so on: whatever resolves to another origin is refused.
 */
export function same_site_path(next: string): string {
  const here = "http://this-site.invalid"
  let url: URL
  try {
    url = new URL(next, `${here}/`)
  } catch {
    return "/"
  }
  if (url.origin !== here || !next.startsWith("/")) return "/"
  return `${url.pathname}${url.search}${url.hash}`
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export class LoginHandler extends RequestHandler {
  get(): void {
    this.form(this.get_argument("next", "/"), "")
  }

  post(): void {
    const username = this.get_argument("username", "")
    const next = this.get_argument("next", "/")
    if (USERS[username] !== undefined && USERS[username] === this.get_argument("password", "")) {
      this.set_secure_cookie("user", username)
      this.redirect(same_site_path(next))
    } else {
      this.set_status(401)
      this.form(next, "Wrong user name or password.")
    }
  }

  private form(next: string, error: string): void {
    this.write(`<!DOCTYPE html><html><head><title>Log in</title></head><body>
<form method="post" action="/login">
  ${this.xsrf_form_html()}
  <input type="hidden" name="next" value="${escape(next)}">
  <p><label>User <input name="username" autofocus></label></p>
  <p><label>Password <input name="password" type="password"></label></p>
  <p><button type="submit">Log in</button> <span style="color: #b00">${escape(error)}</span></p>
</form></body></html>`)
  }
}

export const logout_url = "/logout"

export class LogoutHandler extends RequestHandler {
  get(): void {
    this.clear_cookie("user")
    this.redirect(login_url)
  }
}
