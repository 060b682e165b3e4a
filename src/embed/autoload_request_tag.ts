/**
 * The `<script>` tag that `server_document`/`server_session` return: it GETs the autoload script with
 * an XHR (so custom headers such as `Bokeh-Session-Id` can be sent), then runs it from an object URL.
 * The script replaces the tag with the app's content.
 */

export interface AutoloadRequestTagParams {
  readonly src_path: string
  readonly elementid: string
  readonly headers: Readonly<Record<string, string>>
  readonly with_credentials: boolean
}

/** Renders the tag. Values are written as JS string literals that can't end the script element. */
export function autoload_request_tag(params: AutoloadRequestTagParams): string {
  const header_lines = Object.entries(params.headers)
    .map(([name, value]) => `    xhr.setRequestHeader(${js_string(name)}, ${js_string(value)})\n`)
    .join("")
  return `<script id="${attribute(params.elementid)}">
  (function() {
    const xhr = new XMLHttpRequest()
    xhr.responseType = 'blob';
    xhr.open('GET', ${js_string(params.src_path)}, true);
${header_lines}    xhr.withCredentials = ${params.with_credentials ? "true" : "false"};
    xhr.onload = function (event) {
      const script = document.createElement('script');
      const src = URL.createObjectURL(event.target.response);
      script.src = src;
      document.body.appendChild(script);
    };
    xhr.send();
  })();
</script>`
}

// A double-quoted JS literal; for ordinary URLs and ids it is the text itself in quotes. `<` is
// escaped so that "</script>" inside a value can't close the element.
function js_string(value: string): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")
}

function attribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")
}
