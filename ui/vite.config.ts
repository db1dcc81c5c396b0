/// <reference types="node" />
// Vite builds the UI into ui/dist, which Tauri embeds into the binary.
// Everything is bundled locally: no CDN, no remote fonts (see ARCHITECTURE.md).
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import type { Plugin } from "vite";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** Tauri freezes Object.prototype (`freezePrototype`), so assigning a property that
 * Object.prototype already has (here `constructor`) to a plain object throws ("the
 * override mistake"). ECharts' Scheduler mocks every method of a class onto a plain
 * object, constructor included, when the module loads. Skip `constructor` there; fail
 * the build if ECharts changes, so the patch is revisited rather than silently lost. */
function echartsUnderFrozenPrototypes(): Plugin {
  return {
    name: "echarts-under-frozen-prototypes",
    transform(code, id) {
      if (!id.replaceAll("\\", "/").endsWith("echarts/lib/core/Scheduler.js")) return null;
      const from = "target[name_1] = noop;";
      if (!code.includes(from))
        this.error("ECharts' Scheduler changed: revisit echartsUnderFrozenPrototypes in vite.config.ts");
      return code.replace(from, 'if (name_1 !== "constructor") target[name_1] = noop;');
    },
  };
}

/** Where the build lists the npm packages whose code or files it put into ui/dist (and so
 * into the binary): the release's npm SBOM is cut to exactly these (scripts/sbom.mjs). */
const BUNDLED_PACKAGES = fileURLToPath(new URL("node_modules/.packplan/bundled-packages.json", import.meta.url));

/** Records every npm package the bundle took a module or an asset from, with its version. */
function bundledPackages(): Plugin {
  return {
    name: "packplan-bundled-packages",
    apply: "build",
    generateBundle(_options, bundle) {
      const files: string[] = [];
      for (const out of Object.values(bundle)) {
        if (out.type === "chunk") files.push(...Object.keys(out.modules));
        else files.push(...out.originalFileNames);
      }
      const found = new Map<string, string>();
      for (const file of files.map((f) => f.replaceAll("\\", "/"))) {
        const at = file.lastIndexOf("node_modules/");
        if (at < 0) continue;
        const [first = "", second = ""] = file.slice(at + "node_modules/".length).split("/");
        const name = first.startsWith("@") ? `${first}/${second}` : first;
        if (found.has(name)) continue;
        const manifest = `${file.slice(0, at)}node_modules/${name}/package.json`;
        found.set(name, JSON.parse(readFileSync(manifest, "utf8")).version);
      }
      const list = [...found].sort(([a], [b]) => a.localeCompare(b)).map(([name, version]) => ({ name, version }));
      mkdirSync(dirname(BUNDLED_PACKAGES), { recursive: true });
      writeFileSync(BUNDLED_PACKAGES, JSON.stringify(list, null, 1) + "\n");
    },
  };
}

export default defineConfig({
  plugins: [svelte(), svelteTesting(), echartsUnderFrozenPrototypes(), bundledPackages()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari16",
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  // Tests read the backend's golden chart specs from src-tauri/core/tests/golden.
  server: { fs: { allow: [".", "../src-tauri/core/tests/golden"] } },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
