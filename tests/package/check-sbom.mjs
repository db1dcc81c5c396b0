// Checks a release folder's SBOMs against what is really in the binary, independently of the
// code that wrote them (scripts/sbom.mjs):
//   - the crates SBOM lists exactly the crates `cargo tree -e normal` gives for the release target,
//     each from crates.io with the SHA-256 that Cargo.lock pins, each with a licence;
//   - the npm SBOM lists exactly the packages the UI's Vite build put into ui/dist, each at the
//     version and with the integrity hash of ui/package-lock.json.
//   node tests/package/check-sbom.mjs DIR
// Prints one line per check and ends with "sbom: N passed, N failed".
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
let passed = 0;
let failed = 0;
function check(what, problems) {
  if (problems.length === 0) {
    passed++;
    console.log(`ok   ${what}`);
  } else {
    failed++;
    console.log(`FAIL ${what}`);
    for (const p of problems.slice(0, 20)) console.log(`     ${p}`);
  }
}
const difference = (a, b) => [...a].filter((x) => !b.has(x)).sort();
function sbom(suffix) {
  const file = readdirSync(dir).find((f) => f.endsWith(suffix));
  if (!file) return null;
  return JSON.parse(readFileSync(join(dir, file), "utf8"));
}

// --- Rust crates ---------------------------------------------------------------------------
const crates = sbom("-crates.cdx.json");
check(
  "the folder has the crates SBOM (*-crates.cdx.json), CycloneDX 1.5",
  crates && crates.bomFormat === "CycloneDX" && crates.specVersion === "1.5" ? [] : ["missing or not CycloneDX 1.5"],
);
if (crates) {
  const tree = execFileSync(
    "cargo",
    ["tree", "--locked", "-e", "normal", "--target", "x86_64-unknown-linux-gnu", "--prefix", "none", "-p", "packplan"],
    { encoding: "utf8" },
  );
  const inBinary = new Set(
    tree
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => l.trim().split(" "))
      .map(([name, version]) => `${name}@${version.replace(/^v/, "")}`),
  );
  inBinary.delete(`${crates.metadata.component.name}@${crates.metadata.component.version}`);
  const listed = new Set(crates.components.map((c) => `${c.name}@${c.version}`));
  check(
    `it lists every crate of \`cargo tree -e normal --target x86_64-unknown-linux-gnu\` (${inBinary.size})`,
    difference(inBinary, listed).map((c) => `not listed: ${c}`),
  );
  check(
    "it lists no crate that is not compiled into the binary",
    difference(listed, inBinary).map((c) => `listed but not in the binary: ${c}`),
  );

  // Cargo.lock: name, version, checksum of every crates.io package.
  const pinned = new Map();
  for (const block of readFileSync("Cargo.lock", "utf8").split("[[package]]").slice(1)) {
    const field = (k) => block.match(new RegExp(`^${k} = "(.*)"$`, "m"))?.[1];
    if (field("checksum")) pinned.set(`${field("name")}@${field("version")}`, field("checksum"));
  }
  const wrongHash = crates.components
    .filter((c) => pinned.has(`${c.name}@${c.version}`))
    .filter(
      (c) => !(c.hashes ?? []).some((h) => h.alg === "SHA-256" && h.content === pinned.get(`${c.name}@${c.version}`)),
    )
    .map((c) => `${c.name}@${c.version}: no SHA-256 or not Cargo.lock's`);
  const notFromLock = crates.components
    .filter((c) => !pinned.has(`${c.name}@${c.version}`) && !c["bom-ref"].startsWith("path+"))
    .map((c) => `${c.name}@${c.version}: not a crates.io crate of Cargo.lock`);
  check("every crate is from crates.io with the SHA-256 Cargo.lock pins (or a workspace crate)", [
    ...wrongHash,
    ...notFromLock,
  ]);
  check(
    "every crate names its licence",
    crates.components.filter((c) => !(c.licenses ?? []).length).map((c) => `${c.name}@${c.version}: no licence`),
  );
  check(
    "it names the app, its version and the target",
    crates.metadata.component.name === "packplan" &&
      crates.metadata.properties?.some((p) => p.value === "x86_64-unknown-linux-gnu")
      ? []
      : ["metadata lacks packplan or the target triple"],
  );
}

// --- npm packages of the UI ----------------------------------------------------------------
const npm = sbom("-npm.cdx.json");
check(
  "the folder has the npm SBOM (*-npm.cdx.json), CycloneDX 1.5",
  npm && npm.bomFormat === "CycloneDX" && npm.specVersion === "1.5" ? [] : ["missing or not CycloneDX 1.5"],
);
if (npm) {
  const bundled = JSON.parse(readFileSync("ui/node_modules/.packplan/bundled-packages.json", "utf8"));
  const names = new Set(bundled.map((p) => p.name));
  check(
    "the UI build recorded the packages it bundled (svelte, echarts, @tauri-apps/api among them)",
    ["svelte", "echarts", "@tauri-apps/api"].filter((n) => !names.has(n)).map((n) => `${n} not recorded`),
  );
  const wanted = new Set(bundled.map((p) => `${p.name}@${p.version}`));
  const listed = new Set(npm.components.map((c) => c["bom-ref"]));
  check(
    `it lists every npm package the UI bundle contains (${wanted.size})`,
    difference(wanted, listed).map((p) => `not listed: ${p}`),
  );
  check(
    "it lists no npm package the bundle does not contain (no build tools)",
    difference(listed, wanted).map((p) => `listed but not bundled: ${p}`),
  );
  const lock = JSON.parse(readFileSync("ui/package-lock.json", "utf8")).packages;
  const wrong = npm.components
    .map((c) => {
      const name = c["bom-ref"].slice(0, c["bom-ref"].lastIndexOf("@"));
      // The lock may hold the package more than once (nested under a dependant); take the one at this version.
      const locked = Object.entries(lock).find(
        ([path, p]) => path.endsWith(`node_modules/${name}`) && p.version === c.version,
      )?.[1];
      const sha512 = locked?.integrity?.startsWith("sha512-")
        ? Buffer.from(locked.integrity.slice(7), "base64").toString("hex")
        : null;
      if (!locked) return `${c["bom-ref"]}: not in ui/package-lock.json at this version`;
      if (!(c.hashes ?? []).some((h) => h.alg === "SHA-512" && h.content === sha512))
        return `${c["bom-ref"]}: no SHA-512 or not the lock's integrity`;
      return null;
    })
    .filter(Boolean);
  check("every npm package has the version and SHA-512 of ui/package-lock.json", wrong);
}
console.log(`sbom: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
