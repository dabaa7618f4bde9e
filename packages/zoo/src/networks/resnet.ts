import type { LayerSpec } from "@sccnn/nn";

/**
 * A ResNet basic block (He et al. 2016, Fig. 2 left): conv3×3(stride) → BN → ReLU → conv3×3 → BN,
 * added to the shortcut, then ReLU. When the block changes the shape (stride ≠ 1 or channel
 * count changes) the shortcut is a 1×1 conv (stride) + BN ("option B", projection shortcut).
 */
export function basicBlock(name: string, inChannels: number, outChannels: number, stride: number): LayerSpec[] {
  const body: LayerSpec[] = [
    { type: "conv", name: `${name}.conv1`, outChannels, kernel: 3, stride, padding: 1, bias: false },
    { type: "batchnorm", name: `${name}.bn1` },
    { type: "relu" },
    { type: "conv", name: `${name}.conv2`, outChannels, kernel: 3, padding: 1, bias: false },
    { type: "batchnorm", name: `${name}.bn2` },
  ];
  const shortcut: LayerSpec[] =
    stride !== 1 || inChannels !== outChannels
      ? [
          { type: "conv", name: `${name}.downsample`, outChannels, kernel: 1, stride, bias: false },
          { type: "batchnorm", name: `${name}.downsample_bn` },
        ]
      : [];
  return [{ type: "residual", body, shortcut }, { type: "relu" }];
}

/** `blocks` basic blocks per stage; stage s has channels[s] and (except the first) stride 2 in its first block. */
export function basicStages(
  prefix: string,
  inChannels: number,
  channels: readonly number[],
  blocks: number,
): LayerSpec[] {
  const layers: LayerSpec[] = [];
  let c = inChannels;
  channels.forEach((k, s) => {
    for (let b = 0; b < blocks; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      layers.push(...basicBlock(`${prefix}${s + 1}.${b}`, c, k, stride));
      c = k;
    }
  });
  return layers;
}
