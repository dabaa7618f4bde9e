/**
 * The canonical form of a network table: the form the ONNX importer produces, so that
 * `importOnnx(exportOnnx(spec, w)).spec` deep-equals `canonicalSpec(spec)`.
 *
 * - Every optional field is written out (conv stride, padding, groups, bias; pool stride and
 *   padding; linear bias; residual shortcut), a square kernel as a number.
 * - A linear layer whose input is not flat gets an explicit flatten before it (the engine's
 *   linear reads any input as a flat vector; ONNX Gemm needs a 2-D input).
 * Shapes, weights and outputs are unchanged by this normalisation.
 */
import { layerOutputShape, type LayerSpec, type NetworkSpec, type Shape } from "@sccnn/nn";

function canonicalLayers(
  layers: readonly LayerSpec[],
  input: Shape,
  path: string,
): { layers: LayerSpec[]; output: Shape } {
  const out: LayerSpec[] = [];
  let shape = input;
  for (const [i, l] of layers.entries()) {
    const where = `${path}[${i}]`;
    let c: LayerSpec;
    switch (l.type) {
      case "conv": {
        const [r, s] = typeof l.kernel === "number" ? [l.kernel, l.kernel] : l.kernel;
        c = {
          type: "conv",
          name: l.name,
          outChannels: l.outChannels,
          kernel: r === s ? r : [r, s],
          stride: l.stride ?? 1,
          padding: l.padding ?? 0,
          groups: l.groups ?? 1,
          bias: l.bias ?? true,
        };
        break;
      }
      case "linear":
        if (shape.length !== 1) {
          out.push({ type: "flatten" });
          shape = [shape.reduce((a, b) => a * b, 1)];
        }
        c = { type: "linear", name: l.name, outFeatures: l.outFeatures, bias: l.bias ?? true };
        break;
      case "maxpool":
        c = { type: l.type, kernel: l.kernel, stride: l.stride ?? l.kernel, padding: l.padding ?? 0 };
        break;
      case "avgpool":
        c = { type: l.type, kernel: l.kernel, stride: l.stride ?? l.kernel, padding: l.padding ?? 0 };
        // Without padding the divisor is the kernel area either way; the importer writes the flag only when it matters.
        if (l.countIncludePad === false && (l.padding ?? 0) > 0) c.countIncludePad = false;
        break;
      case "batchnorm":
        c = { type: "batchnorm", name: l.name };
        break;
      case "dropout":
        c = { type: "dropout", p: l.p };
        break;
      case "residual": {
        const body = canonicalLayers(l.body, shape, `${where}.body`);
        const shortcut = canonicalLayers(l.shortcut ?? [], shape, `${where}.shortcut`);
        out.push({ type: "residual", body: body.layers, shortcut: shortcut.layers });
        shape = body.output;
        continue;
      }
      case "concat": {
        const parts = l.branches.map((b, k) => canonicalLayers(b, shape, `${where}.branches[${k}]`));
        out.push({ type: "concat", branches: parts.map((p) => p.layers) });
        shape = [parts.reduce((a, p) => a + p.output[0], 0), ...parts[0].output.slice(1)];
        continue;
      }
      default:
        c = { type: l.type };
        break;
    }
    shape = layerOutputShape(c, shape, where);
    out.push(c);
  }
  return { layers: out, output: shape };
}

/** `spec` with every default written out and explicit flattens before linear layers (see above). */
export function canonicalSpec(spec: NetworkSpec): NetworkSpec {
  const out: NetworkSpec = {
    id: spec.id,
    title: spec.title,
    input: [...spec.input],
    classes: spec.classes,
    dataset: spec.dataset,
    layers: canonicalLayers(spec.layers, [...spec.input], "layers").layers,
  };
  if (spec.published) out.published = { ...spec.published };
  return out;
}
