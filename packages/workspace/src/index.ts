export {
  importPlugin,
  pnpmCommand,
  workspaceGlobs,
  workspacePackages,
  workspacePlugins,
  workspaceRoot,
  type Plugin,
  type PluginKind,
  type WorkspacePackage,
} from "./plugins.ts";
