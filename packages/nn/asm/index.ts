// Entry of the committed src/engine/kernels.wasm.ts (`pnpm build:wasm`): every kernel the engine runs in WebAssembly.
export { gemmNN, gemmNT } from "./gemm";
export { im2col, col2im, scatterBias, gatherGrad } from "./conv";
export { poolRequant2x2, requant, quantizeInput, fakeQuantize, rescale } from "./int-chain";
export { relu, reluBackward, maxPool2x2, maxPoolBackward } from "./pointwise";
