/** The browser opener lives in util/ (the server's `--show` uses it too); re-exported where the client always had it. */
export { get_browser_controller, type BrowserController, type BrowserTarget } from "../util/browser.ts"
