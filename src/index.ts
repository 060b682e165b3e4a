// The public API is Node's where the server meets it (node:http servers and requests, Buffers, timers):
// @types/node is a dependency, and this keeps it in the emitted .d.ts so a user's project needs no setup.
/// <reference types="node" preserve="true" />
/**
 * bokeh-ts public API: Bokeh's server and client in TypeScript, wire-compatible with Bokeh 3.x.
 * Names follow Python Bokeh (snake_case), re-exported by area.
 */
export * from "./models/main.ts"
export { HasProps, type ModelArgs } from "./core/has_props.ts"
export * as kinds from "./core/kinds.ts"
export * as enums from "./core/enums.ts"
export { field, value, expr, type Spec, type Field, type Value, type Expr } from "./core/property_specs.ts"
export type { Color, Factor, Arrayable, TypedArray } from "./core/types.ts"
export { NDArray, ObjectArray, ndarray } from "./core/util/ndarray.ts"
export { Slice, slice, type Patches, type PatchIndex } from "./core/util/column_data.ts"
export * from "./core/errors.ts"
export * as events from "./core/bokeh_events.ts"
export { BOKEHJS_VERSION, VERSION as __version__ } from "./core/version.ts"
export { Serializer } from "./core/serialization/serializer.ts"
export { Deserializer } from "./core/serialization/deserializer.ts"

export { Document, DEFAULT_TITLE } from "./document/document.ts"
export * from "./document/events.ts"
export { PeriodicCallback, TimeoutCallback, NextTickCallback, SessionCallback } from "./document/callbacks.ts"
export { DocumentLock, without_document_lock } from "./document/locking.ts"
export { UnlockedDocumentProxy, UNSAFE_DOC_ATTR_USAGE_MSG } from "./document/unlocked_proxy.ts"
export type { DocJson } from "./document/json.ts"
export { curdoc, set_curdoc } from "./io/doc.ts"
export { with_document } from "./document/current.ts"
export {
  Theme,
  built_in_themes,
  default_theme,
  CALIBER,
  CARBON,
  CONTRAST,
  DARK_MINIMAL,
  LIGHT_MINIMAL,
  NIGHT_SKY,
  type BuiltinThemeName,
  type ThemeJson,
  type ThemeOptions,
} from "./themes/main.ts"

// Plotting API (Python's bokeh.plotting, bokeh.layouts, bokeh.transform, bokeh.palettes)
export { figure, Figure, type FigureArgs, type FigureOptions, type RangeOf, type TitleOf, type TypedFigure } from "./plotting/figure.ts"
export type { GlyphArgs, GlyphMethod, RendererArgs, VectorArg } from "./plotting/glyph_api.ts"
export { DEFAULT_TOOLS, tool_from_string } from "./plotting/tools.ts"
export type { Splat } from "./plotting/splat.ts"
export { row, column, gridplot, layout, group_tools, type GridplotOptions, type LayoutItems } from "./layouts.ts"
export { linear_cmap, log_cmap, eqhist_cmap, factor_cmap, factor_hatch, factor_mark, dodge, jitter, cumsum, stack, transform } from "./transform.ts"
export * as palettes from "./palettes.ts"

// Client (Python's bokeh.client), embedding tags (bokeh.embed.server_document/server_session), test driver
export { ClientSession, pull_session, push_session, show_session } from "./client/session.ts"
export type { ClientSessionOptions, PullSessionOptions, PushSessionOptions, ShowSessionOptions, SessionErrorListener } from "./client/session.ts"
export { ClientConnection, DEFAULT_MAX_MESSAGE_SIZE, type ClientConnectionOptions, type ServerInfo } from "./client/connection.ts"
export { ErrorReason, type ConnectionState } from "./client/states.ts"
export { DEFAULT_SESSION_ID, websocket_url_for_server_url, server_url_for_websocket_url } from "./client/util.ts"
export { get_browser_controller, type BrowserController, type BrowserTarget } from "./client/browser.ts"
export { server_document, server_session, type ServerDocumentOptions, type ServerSessionOptions } from "./embed/server.ts"
export { AppDriver, drive_app, type UntilOptions } from "./testing/app_driver.ts"

// server and applications
export { Server, type ApplicationLike } from "./server/server.ts"
export { install_fault_handlers } from "./server/faults.ts"
export { BaseServer } from "./server/base_server.ts"
export type { ServerOptions } from "./server/options.ts"
export { RedisSessionStore } from "./server/session_store/redis_store.ts"
export type { SessionState, SessionStore, SessionStoreCounters } from "./server/session_store/types.ts"
export { AuthModule, AuthProvider, NullAuth, type AuthHooks, type User } from "./server/auth_provider.ts"
export { HTTPError, RequestHandler, type CookieOptions, type RequestWithBody } from "./server/request_handler.ts"
// BokehServerCore plays the part of Python's BokehTornado (the Bokeh server application), minus Tornado.
export { BokehServerCore, BokehServerCore as BokehTornado, type WebSocketHandle } from "./server/core.ts"
export { NodeAdapter } from "./server/node/adapter.ts"
export type { WebSocketTransport } from "./server/transport.ts"
export type { HTTPRequest, RequestArguments } from "./util/request.ts"
export { axial_to_cartesian, cartesian_to_axial, hexbin, type HexBinData, type HexOrientation } from "./util/hex.ts"
export { Application, type ApplicationOptions } from "./application/application.ts"
export { ServerContext, SessionContext } from "./application/contexts.ts"
// Python names the handler base class both Handler (its module) and ApplicationHandler (the docs).
export { Handler, Handler as ApplicationHandler } from "./application/handlers/handler.ts"
export { FunctionHandler, type ModifyDocument } from "./application/handlers/function.ts"
export { ScriptHandler } from "./application/handlers/script.ts"
export { NotebookHandler } from "./application/handlers/notebook.ts"
export { DirectoryHandler } from "./application/handlers/directory.ts"
export { ServerLifecycleHandler } from "./application/handlers/server_lifecycle.ts"

// Standalone output (Python's bokeh.embed file_html/components/json_item/autoload_static, bokeh.resources)
export {
  file_html,
  components,
  json_item,
  autoload_static,
  type FileHtmlOptions,
  type ComponentsOptions,
  type StandaloneEmbedJson,
} from "./embed/standalone.ts"
export { Resources, CDN, INLINE, type ResourcesOptions, type StandaloneResourcesMode } from "./embed/standalone_resources.ts"
export { FromCurdoc, type RenderRoot, type ThemeLike } from "./embed/standalone_docs.ts"
// Python's bokeh.plotting re-exports these from bokeh.io; all of bokeh.io is also "bokeh-ts/io".
export { output_file, reset_output } from "./output/output.ts"
export { save } from "./output/saving.ts"
export { show } from "./output/showing.ts"
export { export_png, export_svg, export_svgs } from "./output/export.ts"
