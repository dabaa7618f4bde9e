import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { serveStatic, type Served } from "../scripts/serve.ts";

const parent = mkdtempSync(join(tmpdir(), "explorer-serve-"));
const dir = join(parent, "site");
let served: Served;

/** GET with the path sent exactly as written (no client-side normalisation of ".."). */
function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(served.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: "GET", headers }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, type: String(res.headers["content-type"]), body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  mkdirSync(join(dir, "data"), { recursive: true });
  writeFileSync(join(dir, "index.html"), "<p>hi</p>");
  writeFileSync(join(dir, "data", "bundle.json"), "{}");
  writeFileSync(join(parent, "secret.txt"), "outside");
  served = await serveStatic(dir, "127.0.0.1", 0);
});
afterAll(async () => {
  await served.close();
  rmSync(parent, { recursive: true, force: true });
});

describe("serveStatic", () => {
  test("serveStatic(dir) answers / with index.html and files with their content type", async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await get("/")).toEqual({ status: 200, type: "text/html; charset=utf-8", body: "<p>hi</p>" });
    expect(await get("/data/bundle.json")).toMatchObject({
      status: 200,
      type: "application/json; charset=utf-8",
      body: "{}",
    });
    expect((await get("/missing.js")).status).toBe(404);
    expect((await get("/%E0%A4%A")).status).toBe(400); // malformed escape: an answer, not a crash
    expect((await get("/")).status).toBe(200);
  });

  test("serveStatic refuses paths that climb out of its folder", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/data/..%2f..%2fsecret.txt"]) {
      const r = await get(path);
      expect(r.body).not.toContain("outside");
      expect([403, 404]).toContain(r.status);
    }
  });

  test("a folder named index.html and a folder without one answer 404, and the server keeps serving", async () => {
    mkdirSync(join(dir, "trap", "index.html"), { recursive: true });
    expect((await get("/trap/")).status).toBe(404);
    expect((await get("/trap/index.html")).status).toBe(404);
    expect((await get("/data/")).status).toBe(404);
    expect((await get("/")).status).toBe(200);
  });

  test("a file deleted while requests for it arrive answers 404 or a closed response, never a crash", async () => {
    const big = join(dir, "big.bin");
    writeFileSync(big, Buffer.alloc(8 << 20, 7));
    const pending = Array.from({ length: 20 }, () => get("/big.bin").catch(() => ({ status: -1 })));
    rmSync(big);
    for (const r of await Promise.all(pending)) expect([200, 404, -1]).toContain(r.status);
    expect((await get("/big.bin")).status).toBe(404);
    expect((await get("/")).status).toBe(200);
  });

  test("a request with a foreign Host header is refused with 421 (DNS rebinding); localhost names are served", async () => {
    const { port } = new URL(served.url);
    expect((await get("/", { host: `evil.example:${port}` })).status).toBe(421);
    expect((await get("/", { host: "127.0.0.1:1" })).status).toBe(421);
    expect((await get("/", { host: `localhost:${port}` })).status).toBe(200);
    expect((await get("/", { host: `[::1]:${port}` })).status).toBe(200);
  });
});
