// Build, dev server and unit/component test configuration.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Relative base: the built files work from any sub-path of a static host.
  base: './',
  plugins: [svelte(), svelteTesting()],
  worker: { format: 'es' },
  optimizeDeps: { entries: ['index.html', 'workers/*.worker.ts'] },
  build: { target: 'es2022', sourcemap: true },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**'],
    environment: 'node',
    setupFiles: ['tests/setup.ts'],
    testTimeout: 60_000,
  },
});
