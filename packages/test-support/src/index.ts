/**
 * Tests that need a Debian package (chromium, Fashion-MNIST, Liberty files) call
 * `skipWithout(ctx, NEED)` first. When the package is missing the test is skipped at run time with
 * a reason naming the missing path and the install command; `pnpm test` (scripts/test.mjs) lists
 * these reasons and counts them in its "N skipped" total. CI (.ci/run as root) installs the
 * packages and sets SCCNN_REQUIRE_SYSTEM_PACKAGES=1, so there a missing package fails the test
 * instead of skipping it.
 */
import { existsSync } from "node:fs";
import type { TestContext } from "vitest";

declare module "vitest" {
  interface TaskMeta {
    /** Why the test was skipped at run time (read by scripts/test.mjs from the JSON report). */
    skipReason?: string;
  }
}

/** A Debian package a test needs, and the file or folder that shows it is installed. */
export interface SystemPackage {
  debian: string;
  path: string;
  what: string;
}

export const CHROMIUM: SystemPackage = { debian: "chromium", path: "/usr/bin/chromium", what: "chromium" };
export const FASHION_MNIST: SystemPackage = {
  debian: "dataset-fashion-mnist",
  path: "/usr/share/datasets/fashion-mnist",
  what: "the Fashion-MNIST data",
};
export const LIBERTY_OSU018: SystemPackage = {
  debian: "qflow-tech-osu018",
  path: "/usr/share/qflow/tech/osu018/osu018_stdcells.lib",
  what: "the OSU 0.18 µm Liberty cells",
};

export const REDIS_SERVER: SystemPackage = {
  debian: "redis-server",
  path: "/usr/bin/redis-server",
  what: "redis-server (the dse queue tests start their own on a loopback port)",
};

/** Why a test needing `needs` cannot run here (the first missing package), or undefined when all are installed. */
export function missingSystemPackage(...needs: SystemPackage[]): string | undefined {
  const missing = needs.filter((n) => !existsSync(n.path));
  if (missing.length === 0) return undefined;
  const names = missing.map((n) => n.debian).join(" ");
  return `needs ${missing.map((n) => `${n.what} (${n.path} is missing)`).join(" and ")}; install with \`apt-get install -y ${names}\` as root (.ci/run does)`;
}

/**
 * Skips the running test, with the reason recorded for the report, when a needed Debian package is
 * missing; with SCCNN_REQUIRE_SYSTEM_PACKAGES=1 (CI) it throws instead, so the test fails.
 */
export function skipWithout(ctx: TestContext, ...needs: SystemPackage[]): void {
  const reason = missingSystemPackage(...needs);
  if (!reason) return;
  if (process.env.SCCNN_REQUIRE_SYSTEM_PACKAGES === "1") throw new Error(reason);
  ctx.task.meta.skipReason = reason;
  ctx.skip(reason);
}
