/** `<app>/metadata` (Python's `MetadataHandler`): the app's URL and the metadata its handlers declare. */
import type { ApplicationContext } from "../contexts.ts"
import { json, type HTTPResponse } from "../http.ts"

export function metadata(app: ApplicationContext): HTTPResponse {
  return json({ url: app.url, data: app.application.get_metadata() ?? {} })
}
