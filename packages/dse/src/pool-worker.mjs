// Worker entry for the evaluation pool. Node 20 cannot start a .ts worker directly, so this plain
// .mjs file registers tsx and then imports the evaluator module each task names.
import { register } from "tsx/esm/api";

register();
const modules = new Map();

export default async function runTask({ module, name, input }) {
  let loaded = modules.get(module);
  if (!loaded) {
    loaded = await import(module);
    modules.set(module, loaded);
  }
  const fn = loaded[name];
  if (typeof fn !== "function") throw new Error(`evaluator ${module} has no exported function "${name}"`);
  return await fn(input);
}
