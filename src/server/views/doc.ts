/** An application's page (Python's `DocHandler`): the session's document rendered into the server page template. */
import { server_html_page_for_session } from "../../embed/server_page.ts"
import type { HTTPRequest } from "../../util/request.ts"
import type { ApplicationContext } from "../contexts.ts"
import { html, type HTTPResponse } from "../http.ts"
import { compressed, root_url, type ViewContext } from "./context.ts"
import { get_session } from "./session_request.ts"

export async function doc_page(context: ViewContext, app: ApplicationContext, request: HTTPRequest): Promise<HTTPResponse> {
  const got = await get_session(context, app, request)
  if ("status" in got) return got
  const session = app.get_session(got.session_id)!
  const page = await server_html_page_for_session(session.document, {
    token: got.token,
    resources: context.resources,
    root_url: root_url(context),
    log_level: context.settings.log_level,
    template_dirs: app.application.handlers.flatMap((h) => (h as { template_dir?: string | null }).template_dir ?? []),
  })
  return await compressed(context, request, html(page))
}
