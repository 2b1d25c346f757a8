// Copies the browser libraries this app uses from node_modules (installed by `npm ci`, pinned by
// package-lock.json) into the Python package, and writes MANIFEST.json (package, version, sha256 of each copy).
// `node vendor.mjs --check` fails when a copy differs from node_modules; tests/web/test_assets.py checks the same
// from Python. No bundler: the app itself is plain ES modules under graph_itsm/web/static/app/.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const FILES = JSON.parse(readFileSync(join(here, "vendor.json"), "utf8"));

const sha256 = (p) => createHash("sha256").update(readFileSync(p)).digest("hex");
const check = process.argv.includes("--check");
const manifest = {};
let bad = 0;
for (const [target, { package: pkg, file }] of Object.entries(FILES)) {
  const src = join(here, "node_modules", pkg, file);
  const dst = join(root, target);
  const version = JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"), "utf8")).version;
  if (check) {
    if (!existsSync(dst) || sha256(src) !== sha256(dst)) { console.error(`differs from node_modules: ${target}`); bad++; }
  } else {
    mkdirSync(dirname(dst), { recursive: true });
    copyFileSync(src, dst);
  }
  manifest[target] = { package: pkg, version, file, sha256: sha256(src) };
}
const manifestPath = join(here, "vendor-manifest.json");
const text = JSON.stringify(manifest, null, 2) + "\n";
if (check) {
  if (!existsSync(manifestPath) || readFileSync(manifestPath, "utf8") !== text) { console.error("vendor-manifest.json is stale"); bad++; }
  if (bad) process.exit(1);
  console.log("vendored files match node_modules");
} else {
  writeFileSync(manifestPath, text);
}
