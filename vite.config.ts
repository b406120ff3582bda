import { defineConfig } from 'vite';

// Relative base: the build works from any sub-path of any static host.
export default defineConfig({
  base: './',
  build: { target: 'es2022', sourcemap: true },
});
