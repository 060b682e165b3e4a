/**
 * Every error bokeh-ts raises on purpose is a `BokehError` with a stable `code`
 * (in the spirit of `ws`'s `WS_ERR_*`). Codes never change meaning; messages may improve.
 * The full table, with what to do about each, is in docs/errors.md.
 */

export const ErrorCodes = {
  // core: properties and models
  BK_ERR_INVALID_PROPERTY_VALUE: "a value does not match the property's kind",
  BK_ERR_UNKNOWN_PROPERTY: "a model has no property by that name",
  BK_ERR_MISSING_REQUIRED_PROPERTY: "a required property was not given",
  BK_ERR_READONLY_PROPERTY: "a readonly property was assigned",
  // serialization
  BK_ERR_UNKNOWN_MODEL_TYPE: "a model type name is not in the catalogue",
  BK_ERR_UNKNOWN_REFERENCE: "a reference names a model id that is not known",
  BK_ERR_UNKNOWN_REP_TYPE: "a JSON rep has a type that is not part of the protocol",
  BK_ERR_MALFORMED_REP: "a JSON rep lacks fields or has fields of the wrong type",
  BK_ERR_MISSING_BUFFER: "a bytes rep names a buffer that was not sent",
  BK_ERR_BAD_BASE64: "inline bytes are not valid base64",
  BK_ERR_BAD_GZIP: "inline bytes look gzip-compressed but do not inflate",
  BK_ERR_BAD_NDARRAY: "an ndarray's dtype, shape or byte length do not agree",
  BK_ERR_UNSERIALIZABLE: "a value cannot be represented on the wire",
  // document
  BK_ERR_MODEL_IN_OTHER_DOCUMENT: "a model already belongs to another document",
  BK_ERR_BAD_EVENT: "a document event is malformed or names an unknown kind",
  BK_ERR_BAD_PATCH: "a patch cannot be applied (bad index, column, or shape)",
  BK_ERR_AMBIGUOUS_SELECTION: "select_one or get_model_by_name matched several models",
  BK_ERR_CALLBACK_NOT_FOUND: "a callback was removed twice or never added",
  BK_ERR_DOCUMENT_LOCKED: "the document was changed outside the session's document lock",
  BK_ERR_APP_CALLBACK: "app code run by a callback threw or rejected; it was logged with its session and everything else was still done",
  // protocol
  BK_ERR_PROTOCOL: "a message violates the Bokeh protocol",
  BK_ERR_FRAGMENT_ORDER: "a text or binary fragment arrived where the other kind was expected",
  BK_ERR_BAD_HEADER: "a message header is not JSON or lacks msgid/msgtype",
  BK_ERR_BAD_JSON: "a metadata or content fragment is not JSON",
  BK_ERR_TOO_MANY_BUFFERS: "more buffers arrived than num_buffers announced",
  BK_ERR_UNKNOWN_MESSAGE_TYPE: "a msgtype is not one of the nine protocol messages",
  BK_ERR_MESSAGE_TOO_BIG: "a message fragment exceeds the maximum message size",
  // tokens and sessions
  BK_ERR_BAD_TOKEN: "a session token cannot be decoded",
  BK_ERR_TOKEN_EXPIRED: "a session token's expiry has passed",
  BK_ERR_BAD_SIGNATURE: "a token or session id signature does not verify",
  BK_ERR_TOKEN_TOO_LARGE: "a page's session token would not fit in the headers of the websocket upgrade that carries it (the server's HTTP header limit)",
  BK_ERR_NO_SESSION_ID: "a session id is empty or missing",
  BK_ERR_CONFIG: "a server or client option is invalid",
  // client
  BK_ERR_CONNECTION_FAILED: "the client could not connect to the server",
  BK_ERR_NOT_CONNECTED: "the client is not connected",
  BK_ERR_SERVER_ERROR: "the server answered a request with ERROR",
  BK_ERR_CONNECTION_CLOSED: "the connection closed while a request was pending",
  BK_ERR_HTTP: "an HTTP request got an error status",
  BK_ERR_BAD_URL: "a server or websocket URL has an unsupported scheme or ending",
  BK_ERR_NO_DOCUMENT: "a session operation needs a document, but none was pulled or pushed",
  BK_ERR_BROWSER: "the browser could not be opened",
  BK_ERR_TIMEOUT: "a condition did not become true in time",
  // applications
  BK_ERR_APP_LOAD: "an application's code failed to load",
  // themes
  BK_ERR_THEME: "a theme file cannot be read or parsed, or its JSON is not a mapping of class names to property mappings",
  BK_ERR_THEME_VALUE: "a theme gives a model class a property it does not have, or a value of the wrong kind",
  BK_ERR_UNKNOWN_THEME: "a theme name is not one of the built-in themes",
  // plotting API
  BK_ERR_PLOTTING_ARGUMENT: "figure(), a glyph method, a layout function or a transform helper got invalid arguments",
  // standalone output and export
  BK_ERR_EMBED: "file_html, components, json_item, autoload_static or Resources got models or options they can't use",
  BK_ERR_EXPORT_DEPENDENCY: "export_png/export_svg need the optional peer dependency playwright-core (npm install playwright-core) and a Chromium (BOKEH_CHROMIUM or the chromium option)",
  BK_ERR_EXPORT: "export_png/export_svg could not render the content in the browser (it failed or had no canvas/SVG to take)",
} as const

export type ErrorCode = keyof typeof ErrorCodes

/** Base of every error with a stable code. */
export class BokehError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}

/** Wrong-kind values, unknown properties, missing required properties. */
export class ValidationError extends BokehError {}
/** Undecodable or unencodable wire values. */
export class SerializationError extends BokehError {}
/** Document-level misuse or unappliable events. */
export class DocumentError extends BokehError {}
/** App callbacks that failed while applying a patch (each already reported); `failures` has their errors. */
export class CallbackError extends BokehError {
  constructor(readonly failures: readonly unknown[]) {
    const first = failures[0]
    const text = first instanceof Error ? `${first.name}: ${first.message}` : String(first)
    super("BK_ERR_APP_CALLBACK", `${failures.length === 1 ? "a callback" : `${failures.length} callbacks`} failed: ${text}`, { cause: first })
  }
}
/** Wire protocol violations. */
export class ProtocolError extends BokehError {}
/** Token and session-id problems. */
export class TokenError extends BokehError {}
/** Client connection failures and server-side errors seen by a client. */
export class ClientError extends BokehError {}
/** Bad configuration for a server, client or application. */
export class ConfigError extends BokehError {}
/** Invalid arguments to the plotting API (figure, glyph methods, layouts, transforms). */
export class PlottingError extends BokehError {}
/** Malformed theme files or JSON, theme values a model cannot take, unknown built-in theme names. */
export class ThemeError extends BokehError {}

/** Invalid input to standalone output (file_html, components, json_item, autoload_static, Resources, save). */
export class EmbedError extends BokehError {}
/** export_png / export_svg failures, including a missing playwright-core. */
export class ExportError extends BokehError {}

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
