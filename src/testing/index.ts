// The public API is Node's where the server meets it (node:http servers and requests, Buffers, timers):
// @types/node is a dependency, and this keeps it in the emitted .d.ts so a user's project needs no setup.
/// <reference types="node" preserve="true" />
/**
 * `bokeh-ts/testing`: test Bokeh apps from Node. `AppTest` runs an app in-process with a clock the test
 * controls (no server process, socket or browser); `drive_app` drives an app on a running server.
 * See docs/testing.md.
 */
export { AppTest, type AppTestOptions, type ModelRef } from "./app_test.ts"
export { TestBrowser } from "./test_browser.ts"
export { AppCallbackError, app_location, describe_app_error, type AppError } from "./app_errors.ts"
export type { Mark, PatchEvent, PatchSummary } from "./browser_record.ts"
export { document_state } from "./document_state.ts"
export { ManualClock } from "./manual_clock.ts"
export { AppDriver, drive_app, type UntilOptions } from "./app_driver.ts"
export { connect_in_process, InProcessWebSocket, type InProcessConnectOptions } from "../server/in_process.ts"
