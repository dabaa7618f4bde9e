/**
 * ONNX import/export on the command line.
 *
 *   pnpm onnx:import <file.onnx> --out <file.ckpt> [--id ID] [--dataset ID]
 *       Imports an ONNX model (see src/import-onnx.ts for the supported operators) and writes an
 *       engine checkpoint (packages/nn/CHECKPOINT.md) holding the table and the weights.
 *   pnpm onnx:export <network-id | file.ckpt> --out <file.onnx> [--seed N]
 *       Exports a zoo network (its trained checkpoint when committed and no --seed is given, else
 *       a seeded He-uniform initialisation, said so on stderr and in the model's doc_string) or a
 *       checkpoint.
 *
 * Errors name the file; exit status 2 for usage errors, 1 for failures.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  buildModel,
  countMacs,
  countParams,
  loadCheckpoint,
  saveCheckpoint,
  type NetworkSpec,
  type WeightRecord,
} from "@sccnn/nn";
import { exportOnnx, importOnnxFile } from "@sccnn/onnx";
import { getNetwork, loadTrainedWeights, networkIds, trainedNetworkIds } from "../src/index.ts";

const USAGE = `usage: onnx.ts import <file.onnx> --out <file.ckpt> [--id ID] [--dataset ID]
       onnx.ts export <network-id | file.ckpt> --out <file.onnx> [--seed N]`;

function usage(message: string): never {
  console.error(`onnx: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseFlags(args: string[], allowed: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i],
      value = args[i + 1];
    if (!allowed.includes(flag)) usage(`unknown option ${flag}`);
    if (value === undefined || value.startsWith("--")) usage(`${flag} needs a value`);
    flags[flag] = value;
  }
  return flags;
}

function describe(spec: NetworkSpec): string {
  return `${spec.id}: input [${spec.input.join(", ")}], ${spec.classes} classes, ${spec.layers.length} top-level layers, ${countMacs(spec)} MACs, ${countParams(spec)} params`;
}

function write(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

// `pnpm onnx:import` runs this in packages/onnx; paths the user typed are relative to the folder
// pnpm was run from (INIT_CWD).
const fromUser = (p: string) => resolve(process.env.INIT_CWD ?? process.cwd(), p);
const [command, rawRef, ...rest] = process.argv.slice(2);
const ref =
  rawRef && (command === "import" || /\.ckpt$/i.test(rawRef)) && !rawRef.startsWith("--") ? fromUser(rawRef) : rawRef;
if (command !== "import" && command !== "export") usage(command ? `unknown command ${command}` : "missing command");
if (!ref || ref.startsWith("--"))
  usage(`${command}: missing ${command === "import" ? "<file.onnx>" : "<network-id | file.ckpt>"}`);

try {
  if (command === "import") {
    const flags = parseFlags(rest, ["--out", "--id", "--dataset"]);
    const out = fromUser(flags["--out"] ?? usage("import: --out <file.ckpt> is required"));
    const imported = importOnnxFile(ref, { id: flags["--id"], dataset: flags["--dataset"] });
    for (const note of imported.notes) console.error(`note: ${note}`);
    mkdirSync(dirname(out), { recursive: true });
    saveCheckpoint(out, {
      spec: imported.spec,
      seed: 0,
      weights: imported.weights,
      training: null,
      accuracy: null,
      notes: `imported from ONNX file ${rawRef} (opset ${imported.opset})${imported.notes.length ? `; ${imported.notes.join("; ")}` : ""}`,
    });
    console.log(describe(imported.spec));
    console.log(`wrote ${out}`);
  } else {
    const flags = parseFlags(rest, ["--out", "--seed"]);
    const out = fromUser(flags["--out"] ?? usage("export: --out <file.onnx> is required"));
    let spec: NetworkSpec, weights: WeightRecord, docString: string;
    if (/\.ckpt$/i.test(ref)) {
      const ckpt = loadCheckpoint(ref);
      ({ spec, weights } = ckpt);
      docString = `${spec.title}; weights from checkpoint ${rawRef}`;
    } else if (!networkIds().includes(ref)) {
      usage(`export: "${ref}" is neither a zoo id (${networkIds().join(", ")}) nor a .ckpt file`);
    } else if (trainedNetworkIds().includes(ref) && flags["--seed"] === undefined) {
      ({ spec, weights } = loadTrainedWeights(ref));
      docString = `${spec.title}; trained weights of the sccnn zoo`;
    } else {
      const seed = flags["--seed"] === undefined ? 1 : Number(flags["--seed"]);
      if (!Number.isInteger(seed) || seed < 0) usage(`--seed: expected a non-negative integer, got ${flags["--seed"]}`);
      spec = getNetwork(ref);
      weights = buildModel(spec, { seed, kernels: "ts" }).weights;
      docString = `${spec.title}; UNTRAINED: seeded He-uniform initialisation (seed ${seed}), not trained weights`;
      console.error(`note: ${ref} has no trained weights here; exporting a seeded initialisation (seed ${seed})`);
    }
    const bytes = exportOnnx(spec, weights, { docString });
    write(out, bytes);
    console.log(describe(spec));
    console.log(`wrote ${out} (${bytes.length} bytes)`);
  }
} catch (e) {
  console.error(`onnx ${command}: ${(e as Error).message}`);
  process.exit(1);
}
