// The public API is Node's where the server meets it (node:http servers and requests, Buffers, timers):
// @types/node is a dependency, and this keeps it in the emitted .d.ts so a user's project needs no setup.
/// <reference types="node" preserve="true" />
/** `bokeh-ts/testing`: driving a running app from tests. */
export { AppDriver, drive_app, type UntilOptions } from "./app_driver.ts"
