// The public API is Node's where the server meets it (node:http servers and requests, Buffers, timers):
// @types/node is a dependency, and this keeps it in the emitted .d.ts so a user's project needs no setup.
/// <reference types="node" preserve="true" />
/** `bokeh-ts/io` (Python's bokeh.io): the current document. */
export { curdoc, set_curdoc } from "./doc.ts"
