// Compile the TypeScript unit tests with esbuild, then run them with node's test runner.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "..", ".test-build");
rmSync(outdir, { recursive: true, force: true });
const entryPoints = readdirSync(here).filter((f) => f.endsWith(".test.ts")).map((f) => join(here, f));
await build({ entryPoints, outdir, bundle: true, platform: "node", format: "esm", target: "node18",
  outExtension: { ".js": ".mjs" }, logLevel: "warning" });
const files = readdirSync(outdir).filter((f) => f.endsWith(".mjs")).map((f) => join(outdir, f));
const r = spawnSync(process.execPath, ["--test", ...files], { stdio: "inherit" });
process.exit(r.status ?? 1);
