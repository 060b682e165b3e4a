/**
 * The `bokeh-ts` command for tests that start it as a child process (`node <BOKEH_TS_CLI> serve …`):
 * under scripts/test.mjs, the bundle of src/ it built at the start of the run (scripts/test_cli.mjs:
 * these sources, started in a fraction of the time); a test file run on its own falls back to
 * bin/bokeh-ts.mjs, which runs the sources through tsx.
 */
import { fileURLToPath } from "node:url"

export const BOKEH_TS_CLI: string = process.env["BOKEH_TS_TEST_CLI"] || fileURLToPath(new URL("../../bin/bokeh-ts.mjs", import.meta.url))
