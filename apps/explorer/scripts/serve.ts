// A tiny static file server for the built explorer (no dependencies, localhost only by default).
import { createReadStream, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".md": "text/markdown; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
};

export interface Served {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const ANY_HOST = new Set(["0.0.0.0", "::", ""]);

/** A regular file's size, or undefined (missing, a folder, a socket…). */
function fileSize(path: string): number | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves `dir` on host:port (port 0 = any free port); resolves once listening, with its URL.
 * Requests whose Host header is not this server (localhost, 127.0.0.1, [::1] or `host`, with its
 * port) are refused with 421, so a web page elsewhere cannot read the results through DNS
 * rebinding; bound to 0.0.0.0 / :: every Host is accepted. A folder (also one named index.html)
 * or a file deleted while being served gives a 404 or a closed response, never a crash.
 */
export function serveStatic(dir: string, host = "127.0.0.1", port = 0): Promise<Served> {
  const root = normalize(dir + sep);
  let allowedHosts = new Set<string>();
  const server = createServer((req, res) => {
    if (!ANY_HOST.has(host) && !allowedHosts.has((req.headers.host ?? "").toLowerCase())) {
      res.writeHead(421, { "content-type": "text/plain" }).end("wrong Host header");
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      res.writeHead(400, { "content-type": "text/plain" }).end("bad request path");
      return;
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end("forbidden");
      return;
    }
    const notFound = () => void res.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${path}`);
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
    } catch {
      // missing: answered below
    }
    const size = fileSize(file);
    if (size === undefined) return notFound();
    const stream = createReadStream(file);
    stream.on("error", () => {
      // deleted or unreadable between the check and the read
      if (!res.headersSent) notFound();
      else res.destroy();
    });
    stream.once("open", () => {
      res.writeHead(200, {
        "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
        "cache-control": "no-cache",
      });
      stream.pipe(res);
    });
    res.on("close", () => stream.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      const shownHost = host.includes(":") ? `[${host}]` : host;
      allowedHosts = new Set([...LOOPBACK_NAMES, shownHost.toLowerCase()].map((h) => `${h}:${actual}`));
      resolve({
        server,
        url: `http://${shownHost}:${actual}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
