/** `/static/...` (BokehJS's files) and `<app>/static/...` (an app directory's `static/` folder). */
import { BOKEHJS_STATIC_DIR } from "../../embed/resources.ts"
import { get_argument, type HTTPRequest } from "../../util/request.ts"
import type { HTTPResponse } from "../http.ts"
import { serve_static, type StaticRequest } from "../static_files.ts"
import type { ViewContext } from "./context.ts"

/** Serves `file` (the path after `static/`) from `dir`, or BokehJS's static directory by default. */
export async function static_file(context: ViewContext, request: HTTPRequest, file: string, dir: string = BOKEHJS_STATIC_DIR): Promise<HTTPResponse> {
  return await serve_static(dir, file, static_request(context, request))
}

function static_request(context: ViewContext, request: HTTPRequest): StaticRequest {
  return {
    version: get_argument(request.arguments, "v"),
    if_none_match: request.headers["If-None-Match"],
    if_modified_since: request.headers["If-Modified-Since"],
    accept_encoding: request.headers["Accept-Encoding"],
    compress: context.compress,
  }
}
