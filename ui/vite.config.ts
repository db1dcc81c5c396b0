// Vite builds the UI into ui/dist, which Tauri embeds into the binary.
// Everything is bundled locally: no CDN, no remote fonts (see ARCHITECTURE.md).
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

export default defineConfig({
  plugins: [svelte(), svelteTesting()],
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
