/**
 * A real nginx for tests: a generated configuration on a free loopback port that round-robins (no
 * stickiness) over the given backends and passes websocket upgrades, as docs/sessions.md describes.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { connect } from "node:net"

import { free_port } from "./redis.ts"

export const NGINX = process.env["NGINX"] ?? (existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx")

/** The nginx configuration for `backends` (host:port), listening on `port`, files under `dir`. */
export function nginx_config(port: number, backends: readonly string[], dir: string): string {
  const root = typeof process.getuid === "function" && process.getuid() === 0
  return `${root ? "user root;\n" : ""}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream bokeh {
${backends.map((b) => `    server ${b} max_fails=1 fail_timeout=30s;`).join("\n")}
  }
  map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
  }
  server {
    listen 127.0.0.1:${port};
    large_client_header_buffers 4 64k;
    location / {
      proxy_pass http://bokeh;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host:$server_port;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 3600s;
      proxy_next_upstream error timeout;
    }
  }
}
`
}

export class Nginx {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly _dir: string,
  ) {}

  static async start(backends: readonly string[]): Promise<Nginx> {
    const port = await free_port()
    const dir = mkdtempSync(join(tmpdir(), "bokeh-ts-nginx-"))
    const conf = join(dir, "nginx.conf")
    writeFileSync(conf, nginx_config(port, backends, dir))
    const child = spawn(NGINX, ["-p", dir, "-c", conf, "-e", join(dir, "error.log")], { stdio: ["ignore", "ignore", "pipe"] })
    let err = ""
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()))
    const nginx = new Nginx(child, port, dir)
    const deadline = Date.now() + 15000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${err}`)
      if (await accepts(port)) return nginx
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${err}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once("exit", r))
      this.child.kill("SIGTERM")
      await exited
    }
    rmSync(this._dir, { recursive: true, force: true })
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1")
    s.once("connect", () => {
      s.destroy()
      resolve(true)
    })
    s.once("error", () => resolve(false))
  })
}
