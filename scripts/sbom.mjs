// The release's CycloneDX SBOMs, cut to exactly what is in the binary (scripts/sbom.sh runs this).
//   node scripts/sbom.mjs crates CARGO_CYCLONEDX.json CARGO_TREE.txt OUT.json
//     cargo-cyclonedx reads `cargo metadata`, which unifies the features of dev- and build-
//     dependencies with the normal ones, so it also lists crates that are never compiled into the
//     binary (tray-icon, schemars, ...). Keep the crates `cargo tree -e normal` lists for the target.
//   node scripts/sbom.mjs npm NPM_SBOM.json BUNDLED.json OUT.json
//     `npm sbom` lists every package of the lock file, the build tools included. Keep the packages
//     the Vite build put into ui/dist (ui/vite.config.ts writes BUNDLED), which the binary embeds.
// The cut is recorded in the SBOM's metadata; nothing else is changed, except that the build
// folder's absolute path becomes "." in references.
import { readFileSync, writeFileSync } from "node:fs";

const [kind, input, keepFile, out] = process.argv.slice(2);
if (!["crates", "npm"].includes(kind) || !out) {
  console.error("usage: node scripts/sbom.mjs crates|npm SBOM.json KEEP OUT.json");
  process.exit(2);
}
const bom = JSON.parse(readFileSync(input, "utf8"));

/** name@version of every package to keep. */
let keep;
let how;
if (kind === "crates") {
  // `cargo tree --prefix none` lines: "name vX.Y.Z [(path)] [(proc-macro)] [(*)]"
  keep = new Set(
    readFileSync(keepFile, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => {
        const [name, version] = l.trim().split(" ");
        return `${name}@${version.replace(/^v/, "")}`;
      }),
  );
  how = "the crates `cargo tree -e normal --target x86_64-unknown-linux-gnu -p packplan` compiles into the binary";
} else {
  keep = new Set(JSON.parse(readFileSync(keepFile, "utf8")).map((p) => `${p.name}@${p.version}`));
  how = "the npm packages whose code or files the Vite build put into ui/dist, which the binary embeds";
}

const key = (c) => (kind === "crates" ? `${c.name}@${c.version}` : c["bom-ref"]);
const kept = bom.components.filter((c) => keep.has(key(c)));
const dropped = bom.components.filter((c) => !keep.has(key(c))).map(key);
const found = new Set(kept.map(key));
const absent = [...keep].filter(
  (k) => !found.has(k) && k !== `${bom.metadata.component.name}@${bom.metadata.component.version}`,
);
if (absent.length) {
  console.error(`sbom: ${input} lacks ${absent.join(", ")}, which the binary contains; the SBOM tool missed them`);
  process.exit(1);
}
const refs = new Set([bom.metadata.component["bom-ref"], ...kept.map((c) => c["bom-ref"])]);
bom.components = kept;
bom.dependencies = (bom.dependencies ?? [])
  .filter((d) => refs.has(d.ref))
  .map((d) => ({ ...d, dependsOn: (d.dependsOn ?? []).filter((r) => refs.has(r)) }));
bom.metadata.tools = [...(bom.metadata.tools ?? []), { vendor: "Packplan", name: "scripts/sbom.mjs" }];
bom.metadata.properties = [
  ...(bom.metadata.properties ?? []),
  { name: "packplan:components", value: `exactly ${how} (${kept.length})` },
  { name: "packplan:left-out", value: dropped.length ? dropped.join(" ") : "none" },
];
const text = JSON.stringify(bom, null, 2).replaceAll(`file://${process.cwd()}`, "file://.");
writeFileSync(out, text + "\n");
console.log(`${out}: ${kept.length} components (${dropped.length} left out: not in the binary)`);
