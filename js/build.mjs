// Bundle src/index.ts into one minified ES module for the Django static dir, plus a
// license notice file listing every npm package that ended up in the bundle.
// Deterministic: no timestamps, no absolute paths, sorted output.
import { build } from "esbuild";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "..", "reactpy_django", "static", "reactpy_django");
const outfile = join(outDir, "client.js");

const result = await build({
  absWorkingDir: here,
  entryPoints: ["src/index.ts"],
  outfile,
  bundle: true,
  splitting: false,
  format: "esm",
  platform: "browser",
  target: "es2020",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  charset: "utf8",
  metafile: true,
  logLevel: "warning",
  alias: { react: "preact/compat", "react-dom": "preact/compat" },
  define: { "process.env.NODE_ENV": '"production"' },
  banner: {
    js: "/* reactpy_django browser client. Third-party notices: client.LICENSES.txt */",
  },
});

// Collect the packages whose files were bundled.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = input.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) packages.set(m[1], join(here, "node_modules", m[1]));
}
const notices = [...packages.keys()].sort().map((name) => {
  const dir = packages.get(name);
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const licenseFile = readdirSync(dir).sort().find((f) => /^(licen[cs]e|copying)/i.test(f));
  const author = typeof meta.author === "string" ? meta.author : meta.author?.name;
  const text = licenseFile && existsSync(join(dir, licenseFile))
    ? readFileSync(join(dir, licenseFile), "utf8").trim()
    : `License: ${meta.license}${author ? `\nCopyright (c) ${author}` : ""}\n(no license file shipped in the npm package)`;
  return `${"=".repeat(72)}\n${name}@${meta.version}\n${"=".repeat(72)}\n${text}\n`;
});
writeFileSync(
  join(outDir, "client.LICENSES.txt"),
  "Third-party software bundled in client.js\n\n" + notices.join("\n"),
);
