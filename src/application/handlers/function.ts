/** `FunctionHandler`: an app made from a function that builds the document. */
import type { Document } from "../../document/document.ts"
import { Handler } from "./handler.ts"

export type ModifyDocument = (doc: Document) => void | Promise<void>

/**
 * Runs `func(doc)` for every new session. `func` may be async; `curdoc()` is `doc` while it runs.
 *
 * ```ts
 * const app = new Application(new FunctionHandler((doc) => doc.add_root(new Div({ text: "hi" }))))
 * ```
 */
export class FunctionHandler extends Handler {
  constructor(readonly func: ModifyDocument) {
    super()
  }

  async modify_document(doc: Document): Promise<void> {
    await this.func(doc)
  }
}
