// Drives the built explorer in Debian's chromium (playwright-core): build against the committed
// TEST FIXTURE studies tree, serve on 127.0.0.1 at a free port, and check what a person sees.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM as CHROMIUM_PACKAGE, missingSystemPackage, skipWithout } from "@sccnn/test-support";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, type TestContext, test } from "vitest";
import { paretoFrontIndices } from "@sccnn/dse/pareto";
import { groupedParetoFront } from "../src/pareto.ts";

const appDir = join(import.meta.dirname, "..");
const fixture = join(appDir, "fixtures", "studies");
const outDir = join(appDir, ".vitest", "browser-build");
const shotDir = join(appDir, ".vitest");
const CHROMIUM = "/usr/bin/chromium";

type Rec = {
  network: string;
  design: string;
  accuracyLossPt: number;
  arithmetic: string;
  bits: number;
  lanesM: number;
  unitsP: number;
  parallelB: number | null;
  scenario: string;
  fineTuned: boolean;
  accuracy: number;
  gopsPerMm2: number;
  areaUm2: number;
  onFront: boolean;
};
const records: Rec[] = JSON.parse(readFileSync(join(fixture, "pareto", "out", "results.json"), "utf8")).records;
const smokeRecords: Rec[] = JSON.parse(
  readFileSync(join(fixture, "pareto", "out-smoke", "results.json"), "utf8"),
).records;

/** Front size by dse's front (the studies' own), one front per group (default: the study's network · scenario · design). */
const studyGroup = (r: Rec) => `${r.network}/${r.scenario}/${r.design}`;
function referenceFrontSize(rs: Rec[], group = studyGroup): number {
  const groups = new Map<string, Rec[]>();
  for (const r of rs) groups.set(group(r), [...(groups.get(group(r)) ?? []), r]);
  let n = 0;
  for (const g of groups.values()) n += paretoFrontIndices(g, [(r) => r.gopsPerMm2, (r) => r.accuracy]).length;
  return n;
}

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let url = "";
let setupError: Error | undefined;
const pageErrors: string[] = [];
const foreignRequests: string[] = [];

// A setup failure (no chromium, server did not start) is rethrown by every test, so each one counts
// as failed in the report (an error thrown by beforeAll would only mark them skipped).
beforeAll(async () => {
  try {
    await setup();
  } catch (e) {
    setupError = e as Error;
  }
});
function ready(ctx: TestContext) {
  skipWithout(ctx, CHROMIUM_PACKAGE);
  if (setupError) throw setupError;
}

async function setup() {
  if (missingSystemPackage(CHROMIUM_PACKAGE)) return; // each test skips with the reason
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the explorer's browser test needs Debian's chromium. Install it with \`apt-get install -y chromium\` (CI's .ci/run does this as root).`,
    );
  }
  // The real command line, as `pnpm explorer --studies … --port 0` runs it.
  server = spawn(
    join(appDir, "node_modules", ".bin", "tsx"),
    ["scripts/explorer.ts", "--studies", fixture, "--out", outDir, "--port", "0"],
    { cwd: appDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  server.stderr!.on("data", (d) => (stderr += d));
  url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(
      () => reject(new Error(`explorer did not print its URL within 90 s\nstdout: ${stdout}\nstderr: ${stderr}`)),
      90_000,
    );
    server!.stdout!.on("data", (d) => {
      stdout += d;
      const m = /Explorer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server!.on("exit", (code) => reject(new Error(`explorer exited with ${code} before serving\nstderr: ${stderr}`)));
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
  page.on("request", (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith("data:") && !r.url().startsWith(`blob:${url}`))
      foreignRequests.push(r.url());
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
}

afterAll(async () => {
  await browser?.close();
  server?.kill();
});

const points = () => page.locator("#pareto-plot [data-point]");
const status = async () => {
  const s = page.locator("#pareto-status");
  return {
    shown: Number(await s.getAttribute("data-shown")),
    front: Number(await s.getAttribute("data-front")),
    text: (await s.textContent()) ?? "",
  };
};

describe("explorer in chromium, over the fixture studies tree", () => {
  test("the page loads the bundle from localhost only, without errors", async (ctx) => {
    ready(ctx);
    expect(await page.getAttribute("body", "data-ready")).toBe("true");
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    expect(await page.textContent("#fixture-banner")).toContain("TEST FIXTURE");
  });

  test("the study list shows every fixture study with its question", async (ctx) => {
    ready(ctx);
    const rows = page.locator("#study-list tbody tr");
    expect(await rows.count()).toBe(4);
    expect(await page.textContent('#study-list tr[data-study="pareto"]')).toContain("operations per area");
    expect(await page.textContent('#study-list tr[data-study="accuracy-vs-precision"]')).toContain(
      "pnpm study accuracy-vs-precision",
    );
    expect(await page.textContent('#study-list tr[data-study="paper"]')).toContain("4 records");
  });

  test("the pareto plot draws one point per fixture record, and the reference front", async (ctx) => {
    ready(ctx);
    expect(records.length).toBe(80);
    expect(await points().count()).toBe(records.length);
    const s = await status();
    expect(s.shown).toBe(records.length);
    expect(s.front).toBe(referenceFrontSize(records));
    expect(await page.locator("#pareto-plot g.front-point > *").count()).toBe(s.front);
    expect(s.text).toContain(`Showing ${records.length} of ${records.length} design points`);
  });

  test("filters (network, N range, array size, arithmetic) redraw the points and recompute the front", async (ctx) => {
    ready(ctx);
    await page.uncheck('input[data-filter="network"][value="fashion-cnn"]');
    let expected = records.filter((r) => r.network === "lenet5");
    expect(await points().count()).toBe(expected.length);
    expect((await status()).front).toBe(referenceFrontSize(expected));

    await page.selectOption('select[data-filter="bitsMin"]', "6");
    expected = expected.filter((r) => r.bits >= 6);
    expect(await points().count()).toBe(expected.length);
    expect((await status()).front).toBe(referenceFrontSize(expected));

    await page.uncheck('input[data-filter="parallelB"][value="4"]');
    expected = expected.filter((r) => r.parallelB !== 4); // binary points have no b and stay
    expect(await points().count()).toBe(expected.length);
    expect(expected.some((r) => r.parallelB === null)).toBe(true);
    await page.check('input[data-filter="parallelB"][value="4"]');
    expected = records.filter((r) => r.network === "lenet5" && r.bits >= 6);

    await page.uncheck('input[data-filter="array"][value="M32×P8"]');
    expected = expected.filter((r) => r.lanesM === 16 && r.unitsP === 4);
    expect(await points().count()).toBe(expected.length);

    await page.uncheck('input[data-filter="scenario"][value="precision-flexible"]');
    await page.uncheck('input[data-filter="arithmetic"][value="fixed"]');
    expected = expected.filter((r) => r.scenario === "fixed-precision" && r.arithmetic === "sc-bisc");
    expect(expected.length).toBe(4);
    expect(await points().count()).toBe(expected.length);
    expect((await status()).front).toBe(referenceFrontSize(expected));

    await page.click('button[data-action="reset"]');
    expect(await points().count()).toBe(records.length);
    await page.uncheck('input[data-filter="weights"][value="fine-tuned"]');
    expect(await points().count()).toBe(records.filter((r) => !r.fineTuned).length);
    await page.click('button[data-action="reset"]');
  });

  test("the front grouping select recomputes the fronts per network and over all points", async (ctx) => {
    ready(ctx);
    await page.selectOption('select[data-option="grouping"]', "network");
    expect((await status()).front).toBe(referenceFrontSize(records, (r) => r.network));
    await page.selectOption('select[data-option="grouping"]', "all");
    expect((await status()).front).toBe(referenceFrontSize(records, () => "all"));
    expect((await status()).front).toBeLessThan(referenceFrontSize(records));
    await page.selectOption('select[data-option="grouping"]', "network-arithmetic");
    expect((await status()).front).toBe(referenceFrontSize(records, (r) => `${r.network}/${r.arithmetic}`));
    await page.selectOption('select[data-option="grouping"]', "network-scenario-design");
    // The default grouping is the study's: the page finds exactly the records the study flagged.
    expect((await status()).front).toBe(records.filter((r) => r.onFront).length);
  });

  test("hovering a point shows its network, arithmetic, N, M, P, b, scenario, accuracy and ops per area", async (ctx) => {
    ready(ctx);
    // The point with the highest ops per area is the rightmost one, so nothing overlaps it.
    let k = 0;
    records.forEach((r, i) => (r.gopsPerMm2 > records[k].gopsPerMm2 ? (k = i) : 0));
    const r = records[k];
    const target = page.locator(`#pareto-plot [data-record="${k}"]`);
    await target.scrollIntoViewIfNeeded();
    const box = (await target.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const details = page.locator("#pareto-details");
    expect(await details.getAttribute("data-record")).toBe(String(k));
    const field = async (name: string) => (await details.locator(`[data-field="${name}"]`).textContent())?.trim();
    expect(await field("network")).toBe(r.network);
    expect(await field("arithmetic")).toBe(r.arithmetic);
    expect(await field("bits")).toBe(String(r.bits));
    expect(await field("lanesM")).toBe(String(r.lanesM));
    expect(await field("unitsP")).toBe(String(r.unitsP));
    expect(await field("design")).toBe(r.design);
    expect(await field("parallelB")).toBe(r.parallelB === null ? "—" : String(r.parallelB));
    expect(await field("scenario")).toBe(r.scenario);
    expect(await field("accuracy")).toBe(`${Number(r.accuracy.toPrecision(4))}%`); // the study writes percent
    expect(Number((await field("gopsPerMm2"))!.replace(/[^0-9.]/g, ""))).toBeCloseTo(r.gopsPerMm2, 0);
    const onFront = groupedParetoFront(
      records,
      studyGroup,
      (q) => q.gopsPerMm2,
      (q) => q.accuracy,
    )[k];
    expect(await field("onFront")).toBe(onFront ? "yes" : "no");
    expect(await field("studyOnFront")).toBe(r.onFront ? "yes" : "no");
    expect(await field("accuracyLossPt")).toBe(String(r.accuracyLossPt)); // further fields listed as written
  });

  test("the claims table shows every claim with a coloured verdict", async (ctx) => {
    ready(ctx);
    const verdicts = await page
      .locator("#claims-table [data-verdict]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-verdict")));
    expect(verdicts).toEqual(["pass", "partial", "pass", "partial", "fail"]);
  });

  test("other studies: records drawn live, static figures listed, missing results say how to run", async (ctx) => {
    ready(ctx);
    // multiplier-error's records come in two kinds (measure = error / latency): one chart each.
    expect(await page.locator('[data-study-chart="multiplier-error"][data-measure="error"] g.record > *').count()).toBe(
      21,
    );
    expect(
      await page.locator('[data-study-chart="multiplier-error"][data-measure="latency"] g.record > *').count(),
    ).toBe(28);
    expect(await page.locator("#study-multiplier-error .figures img").count()).toBe(1);
    expect(await page.textContent("#study-accuracy-vs-precision [data-how-to-run]")).toContain(
      "pnpm study accuracy-vs-precision",
    );
    // The paper study's own records are a report: tables (open), no chart.
    expect(await page.locator("#study-paper svg").count()).toBe(0);
    expect(await page.locator("#study-paper details[open] tbody tr").count()).toBe(4);
    expect(await page.getAttribute('#study-paper a[href="studies/paper/REPORT.md"]', "href")).toBe(
      "studies/paper/REPORT.md",
    );
  });

  test("the pareto view draws accuracy loss with the budget line and stars the headline pair per network and scenario", async (ctx) => {
    ready(ctx);
    expect(await page.locator("#pareto-plot .budget-line").count()).toBeGreaterThan(0);
    // 2 networks × 2 scenarios, each with an SC and a binary point within 1 pt in the fixture.
    const pairs = await page.locator("#pareto-headline [data-headline]").allTextContents();
    expect(pairs.length).toBe(4);
    for (const t of pairs) expect(t).toMatch(/SC [\d.,]+ vs binary [\d.,]+ GOPS\/mm² \([+-]?[\d.,]+ %\)/);
    expect(await page.locator("#pareto-plot g.headline-point > *").count()).toBe(8);
  });

  test("the notebook: the study's README findings are rendered beside its figures; the run picker switches runs", async (ctx) => {
    ready(ctx);
    expect(await page.textContent("#study-pareto [data-readme] h2")).toBe("Findings");
    expect(await page.locator("#study-pareto [data-readme] li strong").first().textContent()).toBe("1 pt");
    expect(await page.locator("#study-pareto [data-readme] code").first().textContent()).toBe("lenet5");
    await page.selectOption('[data-run-picker="pareto"]', "out-smoke");
    expect(await points().count()).toBe(smokeRecords.length);
    await page.selectOption('[data-run-picker="pareto"]', "out");
    expect(await points().count()).toBe(records.length);
  });

  test("compare: two runs side by side (pareto out/ vs out-smoke/), then two networks; a CSV download holds what side B shows", async (ctx) => {
    ready(ctx);
    const a = page.locator('[data-compare-side="a"]');
    const b = page.locator('[data-compare-side="b"]');
    expect(await a.locator("select[data-compare-run] option:checked").textContent()).toBe("pareto / out");
    expect(await b.locator("select[data-compare-run] option:checked").textContent()).toBe("pareto / out-smoke");
    expect(Number(await a.locator("[data-compare-count]").getAttribute("data-compare-count"))).toBe(records.length);
    expect(await page.locator("#compare-a-pareto-plot [data-point]").count()).toBe(records.length);
    expect(await page.locator("#compare-b-pareto-plot [data-point]").count()).toBe(smokeRecords.length);
    expect(await page.locator('#compare-summary tr[data-field="records"] td').allTextContents()).toEqual([
      "records",
      String(records.length),
      String(smokeRecords.length),
    ]);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      b.locator('button[data-download="csv"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe("pareto-out-smoke.csv");
    const csv = readFileSync((await download.path())!, "utf8")
      .trim()
      .split("\n");
    const header = csv[0].split(",");
    expect(header.slice(0, 3)).toEqual(["network", "design", "arithmetic"]);
    expect(csv.length - 1).toBe(smokeRecords.length);
    const gops = header.indexOf("gopsPerMm2");
    expect(csv.slice(1).map((line) => Number(line.split(",")[gops]))).toEqual(smokeRecords.map((r) => r.gopsPerMm2));
    // Two networks of one run: A = fashion-cnn of out/, B = lenet5 of out/.
    await a.locator("select[data-compare-network]").selectOption("fashion-cnn");
    await b.locator("select[data-compare-run]").selectOption({ label: "pareto / out" });
    await b.locator("select[data-compare-network]").selectOption("lenet5");
    const count = (n: string) => records.filter((r) => r.network === n).length;
    expect(await page.locator("#compare-a-pareto-plot [data-point]").count()).toBe(count("fashion-cnn"));
    expect(await page.locator("#compare-b-pareto-plot [data-point]").count()).toBe(count("lenet5"));
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  test("page.screenshot saves the Pareto view and the whole page", async (ctx) => {
    ready(ctx);
    mkdirSync(shotDir, { recursive: true });
    const pareto = join(shotDir, "explorer-pareto.png");
    await page.locator("#study-pareto").screenshot({ path: pareto });
    await page.screenshot({ path: join(shotDir, "explorer-page.png"), fullPage: true });
    expect(statSync(pareto).size).toBeGreaterThan(10_000);
  });
});
