// Vite builds the UI into ui/dist, which Tauri embeds into the binary.
// Everything is bundled locally: no CDN, no remote fonts (see ARCHITECTURE.md).
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import type { Plugin } from "vite";

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

export default defineConfig({
  plugins: [svelte(), svelteTesting(), echartsUnderFrozenPrototypes()],
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
