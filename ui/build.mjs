// The one build of the analyst's view: `npm ci && npm run build` (or `make ui` at the top).
// Bundles src/main.js and its CSS into service/ui/static/assets/ with content hashes in the
// names (served as immutable), writes index.html naming them, and copies axe-core (with its
// licence) to tests/e2e/vendor/ so the browser tests need no npm.
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "service", "ui", "static");
const assets = join(out, "assets");
rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const result = await esbuild.build({
  entryPoints: [join(here, "src", "main.js")],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2022", "chrome100", "firefox100", "safari15.4"],
  outdir: assets,
  entryNames: "[name]-[hash]",
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});
const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const script = outputs.find((name) => name.endsWith(".js"));
const style = outputs.find((name) => name.endsWith(".css"));

const icon = readFileSync(join(here, "src", "favicon.svg"));
const iconName = `favicon-${createHash("sha256").update(icon).digest("hex").slice(0, 8)}.svg`;
writeFileSync(join(assets, iconName), icon);

const page = readFileSync(join(here, "src", "index.html"), "utf8")
  .replaceAll("{{script}}", `/ui/assets/${script}`)
  .replaceAll("{{style}}", `/ui/assets/${style}`)
  .replaceAll("{{icon}}", `/ui/assets/${iconName}`);
writeFileSync(join(out, "index.html"), page);

// the digest of what was built, so that a test notices a committed build older than its sources
// (tests/api/test_ui_served.py computes the same)
const sources = [...readdirSync(join(here, "src"), { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => relative(here, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join("/")),
"build.mjs", "package.json", "package-lock.json"].sort();
const digest = createHash("sha256");
for (const name of sources) {
  digest.update(`${name}\n`);
  digest.update(readFileSync(join(here, name)));
  digest.update("\n");
}
writeFileSync(join(out, "SOURCES"), `${digest.digest("hex")}\n`);

const axe = join(here, "..", "tests", "e2e", "vendor", "axe-core");
mkdirSync(axe, { recursive: true });
for (const file of ["axe.min.js", "LICENSE"]) {
  copyFileSync(join(here, "node_modules", "axe-core", file), join(axe, file));
}
const { version } = JSON.parse(readFileSync(join(here, "node_modules", "axe-core", "package.json"), "utf8"));
writeFileSync(join(axe, "VERSION"), `${version}\n`);
console.log(`built ${script}, ${style}, ${iconName}; axe-core ${version} vendored`);
