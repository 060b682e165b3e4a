/**
 * A real nginx in front of bokeh-ts backends, for the `scale` benchmark: the configuration
 * docs/deploy.md recommends (websocket upgrade, long proxy timeouts, 64 KiB header buffers for
 * session tokens, retry on the next backend when one is down or draining), written to a temporary
 * prefix and run unprivileged on a free port in the foreground.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { BenchFailure } from "./types.ts"

export interface NginxOptions {
  /** Backend ports on 127.0.0.1. */
  readonly backends: readonly number[]
  /** nginx's own port. */
  readonly port: number
  /** Where nginx keeps its pid, logs and temporary files. */
  readonly dir: string
  /** "least_conn" (the default) or "round_robin". */
  readonly balance?: "least_conn" | "round_robin"
}

/** The nginx.conf of docs/deploy.md, with paths an unprivileged nginx can write. */
export function nginx_config(o: NginxOptions): string {
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${join(o.dir, t)};`).join("\n")
  return `worker_processes 1;
pid ${join(o.dir, "nginx.pid")};
error_log ${join(o.dir, "error.log")} warn;
events { worker_connections 8192; }
http {
  access_log off;
${temp}
  upstream bokeh {
${o.balance === "round_robin" ? "" : "    least_conn;\n"}${o.backends.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join("\n")}
    keepalive 32;
  }
  # Upgrade websockets; keep plain requests on kept-alive upstream connections.
  map $http_upgrade $connection_upgrade {
    default upgrade;
    ""      "";
  }
  server {
    listen 127.0.0.1:${o.port};
    # Session tokens travel in the websocket upgrade's Sec-WebSocket-Protocol header.
    large_client_header_buffers 4 64k;
    location / {
      proxy_pass http://bokeh;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # Longer than the server's keep-alive ping (37 s): an idle websocket is never cut by the proxy.
      proxy_read_timeout 300s;
      proxy_send_timeout 300s;
      proxy_buffering off;
      # A backend that is down, or draining (503), is skipped for the next one.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 3;
    }
  }
}
`
}

/** A free TCP port on 127.0.0.1. */
export async function free_port(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export interface Nginx {
  readonly port: number
  readonly url: string
  stop(): Promise<void>
}

export const NGINX = process.env["NGINX"] ?? "/usr/sbin/nginx"

/** Starts nginx in front of `backends`; resolves once it answers on its port. */
export async function start_nginx(backends: readonly number[], balance: NginxOptions["balance"] = "least_conn"): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-nginx-"))
  for (const t of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(dir, t))
  const port = await free_port()
  const conf = join(dir, "nginx.conf")
  writeFileSync(conf, nginx_config({ backends, port, dir, balance }))
  const child: ChildProcess = spawn(NGINX, ["-p", dir, "-c", conf, "-g", "daemon off;", "-e", join(dir, "error.log")], { stdio: ["ignore", "ignore", "pipe"] })
  let stderr = ""
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  child.once("error", () => {})
  const url = `http://127.0.0.1:${port}`
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new BenchFailure(`nginx exited: ${stderr}${read_log(dir)}`)
    try {
      await fetch(`${url}/readiness`)
      break
    } catch {
      if (attempt > 100) throw new BenchFailure(`nginx did not answer on ${url}: ${stderr}${read_log(dir)}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return {
    port,
    url,
    async stop() {
      child.kill("SIGQUIT")
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000)
      await exited
      clearTimeout(timer)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function read_log(dir: string): string {
  try {
    return readFileSync(join(dir, "error.log"), "utf8")
  } catch {
    return ""
  }
}
