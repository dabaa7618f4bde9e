import type { LayerSpec, NetworkSpec } from "@sccnn/nn";

/**
 * A down-scaled copy of an ImageNet-class table for fast tests: every conv / hidden linear
 * width divided by `divisor` (depthwise convs stay depthwise), the input resized and the last
 * linear layer given `classes` outputs. The layer structure (types, kernels, strides, padding,
 * residual blocks, names) is unchanged.
 */
export function scaleSpec(
  spec: NetworkSpec,
  options: { divisor: number; input: [number, number, number]; classes: number },
): NetworkSpec {
  const d = options.divisor;
  const lastLinear = (function find(ls: LayerSpec[]): string | undefined {
    for (let i = ls.length - 1; i >= 0; i--) if (ls[i].type === "linear") return (ls[i] as { name: string }).name;
    return undefined;
  })(spec.layers);
  const scale = (ls: LayerSpec[]): LayerSpec[] =>
    ls.map((l) => {
      switch (l.type) {
        case "conv": {
          const k = Math.max(1, Math.floor(l.outChannels / d));
          const depthwise = (l.groups ?? 1) > 1 && l.groups === l.outChannels;
          return { ...l, outChannels: k, groups: depthwise ? k : l.groups };
        }
        case "linear":
          return {
            ...l,
            outFeatures: l.name === lastLinear ? options.classes : Math.max(1, Math.floor(l.outFeatures / d)),
          };
        case "residual":
          return { ...l, body: scale(l.body), shortcut: scale(l.shortcut ?? []) };
        default:
          return l;
      }
    });
  return {
    ...spec,
    id: `${spec.id}-small`,
    input: options.input,
    classes: options.classes,
    layers: scale(spec.layers),
  };
}
