/**
 * Authentication hooks for the server (Python's `bokeh.server.auth_provider`). An auth module
 * (`bokeh-ts serve --auth-module auth.ts`) exports any of:
 *
 * - `get_user(request_handler)` or `get_user_async(request_handler)`: the current user, or null/undefined
 *   for an anonymous request;
 * - `login_url` (a relative URL) or `get_login_url(request_handler)`: where anonymous users are sent;
 * - `LoginHandler` / `LogoutHandler`: `RequestHandler` subclasses served at `login_url` / `logout_url`.
 *
 * With a user hook, app pages, autoload.js, metadata and the index redirect anonymous users to the login
 * URL (`?next=` the page they asked for), and websocket upgrades without a user are refused (403).
 */
import { existsSync } from "node:fs"
import { resolve } from "node:path"

import { import_app_module } from "../application/handlers/app_loader.ts"
import { ConfigError } from "../core/errors.ts"
import type { RequestHandler } from "./request_handler.ts"

export type User = unknown
export type RequestHandlerClass = new (...args: ConstructorParameters<typeof RequestHandler>) => RequestHandler

/** What an auth module may export. */
export interface AuthHooks {
  readonly get_user?: (request_handler: RequestHandler) => User
  readonly get_user_async?: (request_handler: RequestHandler) => Promise<User>
  readonly login_url?: string
  readonly get_login_url?: (request_handler: RequestHandler) => string
  readonly LoginHandler?: RequestHandlerClass
  readonly logout_url?: string
  readonly LogoutHandler?: RequestHandlerClass
}

/** Python's `probably_relative_url`: not `http://`, `https://` or `//`. */
export function probably_relative_url(url: string): boolean {
  return !/^(https?:)?\/\//.test(url)
}

export abstract class AuthProvider {
  abstract get get_user(): AuthHooks["get_user"] | null
  abstract get get_user_async(): AuthHooks["get_user_async"] | null
  abstract get login_url(): string | null
  abstract get get_login_url(): AuthHooks["get_login_url"] | null
  abstract get login_handler(): RequestHandlerClass | null
  abstract get logout_url(): string | null
  abstract get logout_handler(): RequestHandlerClass | null

  /** Whether requests need a user at all. */
  get enabled(): boolean {
    return this.get_user !== null || this.get_user_async !== null
  }

  /** URL → handler class for the login/logout pages the provider serves itself. */
  get endpoints(): Array<[string, RequestHandlerClass]> {
    const out: Array<[string, RequestHandlerClass]> = []
    if (this.login_handler !== null) out.push([this.login_url!, this.login_handler])
    if (this.logout_handler !== null) out.push([this.logout_url!, this.logout_handler])
    return out
  }

  /** The user of a request (null: anonymous). Always null when no user hook is configured. */
  async current_user(request_handler: RequestHandler): Promise<User | null> {
    const sync = this.get_user
    const user = sync !== null && sync !== undefined ? sync(request_handler) : await this.get_user_async?.(request_handler)
    return user ?? null
  }

  /** Where an anonymous request goes: the login URL with `?next=` the requested URI (as Tornado). */
  login_redirect(request_handler: RequestHandler): string {
    let url = this.get_login_url?.(request_handler) ?? this.login_url
    if (url === null || url === undefined) throw new ConfigError("BK_ERR_OPTION", "no login_url or get_login_url configured")
    if (!url.includes("?")) {
      const next = probably_relative_url(url)
        ? request_handler.request.uri
        : `${request_handler.request.protocol}://${request_handler.request.host}${request_handler.request.uri}`
      url += `?next=${encodeURIComponent(next)}`
    }
    return url
  }

  /** The consistency rules of Python's AuthProvider, as ConfigErrors. */
  protected _validate(): void {
    const fail = (message: string) => {
      throw new ConfigError("BK_ERR_OPTION", message)
    }
    if (this.get_user !== null && this.get_user_async !== null) fail("Only one of get_user or get_user_async should be supplied")
    if (this.enabled && this.login_url === null && this.get_login_url === null)
      fail("When user authentication is enabled, one of login_url or get_login_url must be supplied")
    if (this.login_url !== null && this.get_login_url !== null) fail("At most one of login_url or get_login_url should be supplied")
    if (this.login_handler !== null && this.get_login_url !== null) fail("LoginHandler cannot be used with a get_login_url() function")
    if (this.login_handler !== null && this.login_url === null) fail("LoginHandler needs a login_url to be served at")
    if (this.login_url !== null && !probably_relative_url(this.login_url) && this.login_handler !== null)
      fail("LoginHandler can only be used with a relative login_url")
    if (this.logout_handler !== null && this.logout_url === null) fail("LogoutHandler needs a logout_url to be served at")
    if (this.logout_url !== null && !probably_relative_url(this.logout_url)) fail("LogoutHandler can only be used with a relative logout_url")
    for (const [name, value] of [
      ["get_user", this.get_user],
      ["get_user_async", this.get_user_async],
      ["get_login_url", this.get_login_url],
      ["LoginHandler", this.login_handler],
      ["LogoutHandler", this.logout_handler],
    ] as const) {
      if (value !== null && typeof value !== "function") fail(`${name} must be a function or class, got ${typeof value}`)
    }
  }
}

/** An AuthProvider from an object of hooks (what an auth module exports). */
export class AuthModule extends AuthProvider {
  constructor(private readonly _hooks: AuthHooks) {
    super()
    this._validate()
  }

  /** Loads an auth module file (.ts or .js), as `--auth-module PATH` does. */
  static async load(module_path: string): Promise<AuthModule> {
    const path = resolve(module_path)
    if (!existsSync(path)) throw new ConfigError("BK_ERR_OPTION", `no file exists at module_path: ${JSON.stringify(module_path)}`)
    let hooks: AuthHooks
    try {
      hooks = (await import_app_module(path)) as AuthHooks
    } catch (error) {
      throw new ConfigError("BK_ERR_OPTION", `auth module ${module_path} failed to load: ${(error as Error).message}`, { cause: error })
    }
    return new AuthModule(hooks)
  }

  get get_user() {
    return this._hooks.get_user ?? null
  }
  get get_user_async() {
    return this._hooks.get_user_async ?? null
  }
  get login_url() {
    return this._hooks.login_url ?? null
  }
  get get_login_url() {
    return this._hooks.get_login_url ?? null
  }
  get login_handler() {
    return this._hooks.LoginHandler ?? null
  }
  get logout_url() {
    return this._hooks.logout_url ?? null
  }
  get logout_handler() {
    return this._hooks.LogoutHandler ?? null
  }
}

/** No authentication: every request is allowed (the default). */
export class NullAuth extends AuthProvider {
  get get_user() {
    return null
  }
  get get_user_async() {
    return null
  }
  get login_url() {
    return null
  }
  get get_login_url() {
    return null
  }
  get login_handler() {
    return null
  }
  get logout_url() {
    return null
  }
  get logout_handler() {
    return null
  }
}
