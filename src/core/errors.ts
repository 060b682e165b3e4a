/**
 * Every error bokeh-ts raises on purpose is a `BokehError` with a stable `code`
 * (in the spirit of `ws`'s `WS_ERR_*`). Codes never change meaning; messages may improve.
 * The full table, with what to do about each, is in docs/errors.md.
 */

export const ErrorCodes = {
  // core: properties and models
  BK_ERR_INVALID_PROPERTY_VALUE: ["ValidationError", "a value does not match the property's kind"],
  BK_ERR_UNKNOWN_PROPERTY: ["ValidationError", "a model has no property by that name"],
  BK_ERR_MISSING_REQUIRED_PROPERTY: ["ValidationError", "a required property was not given"],
  BK_ERR_READONLY_PROPERTY: ["ValidationError", "a readonly property was assigned"],
  // serialization
  BK_ERR_UNKNOWN_MODEL_TYPE: ["SerializationError", "a model type name is not in the catalogue"],
  BK_ERR_UNKNOWN_REFERENCE: ["SerializationError", "a reference names a model id that is not known"],
  BK_ERR_UNKNOWN_REP_TYPE: ["SerializationError", "a JSON rep has a type that is not part of the protocol"],
  BK_ERR_MALFORMED_REP: ["SerializationError", "a JSON rep lacks fields or has fields of the wrong type"],
  BK_ERR_MISSING_BUFFER: ["SerializationError", "a bytes rep names a buffer that was not sent"],
  BK_ERR_BAD_BASE64: ["SerializationError", "inline bytes are not valid base64"],
  BK_ERR_BAD_GZIP: ["SerializationError", "inline bytes look gzip-compressed but do not inflate"],
  BK_ERR_BAD_NDARRAY: ["SerializationError", "an ndarray's dtype, shape or byte length do not agree"],
  BK_ERR_UNSERIALIZABLE: ["SerializationError", "a value cannot be represented on the wire"],
  // document
  BK_ERR_MODEL_IN_OTHER_DOCUMENT: ["DocumentError", "a model already belongs to another document"],
  BK_ERR_BAD_EVENT: ["DocumentError", "a document event is malformed or names an unknown kind"],
  BK_ERR_BAD_PATCH: ["DocumentError", "a patch cannot be applied (bad index, column, or shape)"],
  BK_ERR_AMBIGUOUS_SELECTION: ["DocumentError", "select_one or get_model_by_name matched several models"],
  BK_ERR_CALLBACK_NOT_FOUND: ["DocumentError", "a callback was removed twice or never added"],
  BK_ERR_DOCUMENT_LOCKED: ["DocumentError", "the document was changed outside the session's document lock"],
  BK_ERR_APP_CALLBACK: ["CallbackError", "app code run by a callback threw or rejected; it was logged with its session and everything else was still done"],
  // protocol
  BK_ERR_PROTOCOL: ["ProtocolError", "a message violates the Bokeh protocol"],
  BK_ERR_FRAGMENT_ORDER: ["ProtocolError", "a text or binary fragment arrived where the other kind was expected"],
  BK_ERR_BAD_HEADER: ["ProtocolError", "a message header is not JSON or lacks msgid/msgtype"],
  BK_ERR_BAD_JSON: ["ProtocolError", "a metadata or content fragment is not JSON"],
  BK_ERR_TOO_MANY_BUFFERS: ["ProtocolError", "more buffers arrived than num_buffers announced"],
  BK_ERR_UNKNOWN_MESSAGE_TYPE: ["ProtocolError", "a msgtype is not one of the nine protocol messages"],
  BK_ERR_MESSAGE_TOO_BIG: ["ProtocolError", "a message fragment exceeds the maximum message size"],
  // tokens and sessions
  BK_ERR_BAD_TOKEN: ["TokenError", "a session token cannot be decoded"],
  BK_ERR_TOKEN_EXPIRED: ["TokenError", "a session token's expiry has passed"],
  BK_ERR_BAD_SIGNATURE: ["TokenError", "a token or session id signature does not verify"],
  BK_ERR_TOKEN_TOO_LARGE: [
    "TokenError",
    "a page's session token would not fit in the headers of the websocket upgrade that carries it (the server's HTTP header limit)",
  ],
  BK_ERR_NO_SESSION_ID: ["TokenError", "a session id is empty or missing"],
  // options, settings and API use
  BK_ERR_OPTION: ["ConfigError", "an option or setting of a server, client or embedding call has a value it does not take, or two options conflict"],
  BK_ERR_MISUSE: [
    "UsageError",
    "an API was called in a state that does not allow it (a server not started or started twice, pushing a second document) or with arguments it never takes",
  ],
  BK_ERR_CLI: ["CliError", "a command-line argument is unknown, lacks its value, or has a value the option does not take"],
  // client
  BK_ERR_CONNECTION_FAILED: ["ClientError", "the client could not connect to the server"],
  BK_ERR_NOT_CONNECTED: ["ClientError", "the client is not connected"],
  BK_ERR_SERVER_ERROR: ["ClientError", "the server answered a request with ERROR"],
  BK_ERR_CONNECTION_CLOSED: ["ClientError", "the connection closed while a request was pending"],
  BK_ERR_HTTP: ["ClientError", "an HTTP request got an error status"],
  BK_ERR_HTTP_STATUS: ["HTTPError", "an auth module's or app's request handler answered with an error status (Tornado's HTTPError)"],
  BK_ERR_BAD_URL: ["ClientError", "a server or websocket URL has an unsupported scheme or ending"],
  BK_ERR_NO_DOCUMENT: ["ClientError", "a session operation needs a document, but none was pulled or pushed"],
  BK_ERR_BROWSER: ["ClientError", "the browser could not be opened"],
  BK_ERR_TIMEOUT: ["ClientError", "a condition did not become true in time"],
  // applications
  BK_ERR_APP_LOAD: ["ConfigError", "an application's code failed to load"],
  // themes
  BK_ERR_THEME: ["ThemeError", "a theme file cannot be read or parsed, or its JSON is not a mapping of class names to property mappings"],
  BK_ERR_THEME_VALUE: ["ThemeError", "a theme gives a model class a property it does not have, or a value of the wrong kind"],
  BK_ERR_UNKNOWN_THEME: ["ThemeError", "a theme name is not one of the built-in themes"],
  // plotting API
  BK_ERR_PLOTTING_ARGUMENT: ["PlottingError", "figure(), a glyph method, a layout function or a transform helper got invalid arguments"],
  // standalone output and export
  BK_ERR_EMBED: ["EmbedError", "file_html, components, json_item, autoload_static or Resources got models or options they can't use"],
  BK_ERR_EXPORT_DEPENDENCY: [
    "ExportError",
    "export_png/export_svg need the optional peer dependency playwright-core (npm install playwright-core) and a Chromium (BOKEH_CHROMIUM or the chromium option)",
  ],
  BK_ERR_EXPORT: ["ExportError", "export_png/export_svg could not render the content in the browser (it failed or had no canvas/SVG to take)"],
} as const satisfies Record<string, readonly [ErrorClassName, string]>

/** The class each code is raised as (`HTTPError` lives in src/server/request_handler.ts). */
export type ErrorClassName =
  | "ValidationError"
  | "SerializationError"
  | "DocumentError"
  | "CallbackError"
  | "ProtocolError"
  | "TokenError"
  | "ClientError"
  | "ConfigError"
  | "CliError"
  | "UsageError"
  | "PlottingError"
  | "ThemeError"
  | "HTTPError"
  | "EmbedError"
  | "ExportError"

export type ErrorCode = keyof typeof ErrorCodes

/** The codes a class may be raised with: the type system keeps each code to the class its table entry names. */
export type CodeOf<C extends ErrorClassName> = { [K in ErrorCode]: (typeof ErrorCodes)[K][0] extends C ? K : never }[ErrorCode]

type Options = { cause?: unknown }

/** Base of every error with a stable code; raise one of the subclasses, the one the code's entry names. */
export class BokehError extends Error {
  readonly code: ErrorCode
  protected constructor(code: ErrorCode, message: string, options?: Options) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}

/** Wrong-kind values, unknown properties, missing required properties. */
export class ValidationError extends BokehError {
  constructor(code: CodeOf<"ValidationError">, message: string, options?: Options) {
    super(code, message, options)
  }
}
/** Undecodable or unencodable wire values. */
export class SerializationError extends BokehError {
  constructor(code: CodeOf<"SerializationError">, message: string, options?: Options) {
    super(code, message, options)
  }
}
/** Document-level misuse or unappliable events. */
export class DocumentError extends BokehError {
  constructor(code: CodeOf<"DocumentError">, message: string, options?: Options) {
    super(code, message, options)
  }
}
/** App callbacks that failed while applying a patch (each already reported); `failures` has their errors. */
export class CallbackError extends BokehError {
  constructor(readonly failures: readonly unknown[]) {
    const first = failures[0]
    const text = first instanceof Error ? `${first.name}: ${first.message}` : String(first)
    super("BK_ERR_APP_CALLBACK", `${failures.length === 1 ? "a callback" : `${failures.length} callbacks`} failed: ${text}`, { cause: first })
  }
}
/** Wire protocol violations. */
export class ProtocolError extends BokehError {
  constructor(code: CodeOf<"ProtocolError">, message: string, options?: Options) {
    super(code, message, options)
  }
}
/** Token and session-id problems. */
export class TokenError extends BokehError {
  constructor(code: CodeOf<"TokenError">, message: string, options?: Options) {
    super(code, message, options)
  }
}
/** Client connection failures and server-side errors seen by a client. */
export class ClientError extends BokehError {
  constructor(code: CodeOf<"ClientError">, message: string, options?: Options) {
    super(code, message, options)
  }
}
/** Bad options or settings for a server, client or embedding call, and apps that fail to load. */
export class ConfigError extends BokehError {
  constructor(code: CodeOf<"ConfigError">, message: string, options?: Options) {
    super(code, message, options)
  }
}
/** An API called in a state that does not allow it, or with arguments it never takes. */
export class UsageError extends BokehError {
  constructor(code: CodeOf<"UsageError">, message: string, options?: Options) {
    super(code, message, options)
  }
}
/** Mistakes on the `bokeh-ts` command line (the message names the option; the CLI prints it and exits 1). */
export class CliError extends BokehError {
  constructor(code: CodeOf<"CliError">, message: string, options?: Options) {
    super(code, message, options)
  }
}
/** Invalid arguments to the plotting API (figure, glyph methods, layouts, transforms). */
export class PlottingError extends BokehError {
  constructor(code: CodeOf<"PlottingError">, message: string, options?: Options) {
    super(code, message, options)
  }
}
/** Malformed theme files or JSON, theme values a model cannot take, unknown built-in theme names. */
export class ThemeError extends BokehError {
  constructor(code: CodeOf<"ThemeError">, message: string, options?: Options) {
    super(code, message, options)
  }
}

/** Invalid input to standalone output (file_html, components, json_item, autoload_static, Resources, save). */
export class EmbedError extends BokehError {
  constructor(code: CodeOf<"EmbedError">, message: string, options?: Options) {
    super(code, message, options)
  }
}
/** export_png / export_svg failures, including a missing playwright-core. */
export class ExportError extends BokehError {
  constructor(code: CodeOf<"ExportError">, message: string, options?: Options) {
    super(code, message, options)
  }
}

/** Short, safe preview of a value for error messages. */
export function preview(value: unknown, max = 80): string {
  let s: string
  try {
    if (typeof value === "string") s = JSON.stringify(value)
    else if (typeof value === "bigint") s = `${value}n`
    else if (value instanceof Map) s = `Map(${value.size})`
    else if (ArrayBuffer.isView(value)) s = `${value.constructor.name}(${(value as Uint8Array).length ?? value.byteLength})`
    else if (typeof value === "object" && value !== null && "id" in value && typeof (value as { id: unknown }).id === "string" && value.constructor !== Object)
      s = `${value.constructor.name}(${(value as { id: string }).id})`
    else s = JSON.stringify(value) ?? String(value)
  } catch {
    s = String(value)
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}
