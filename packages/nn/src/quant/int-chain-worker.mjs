// Node 20 cannot start a .ts worker directly: register tsx, then load the TypeScript worker.
import { register } from "tsx/esm/api";
register();
await import("./int-chain-worker.ts");
