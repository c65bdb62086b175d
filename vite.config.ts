import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is a static bundle loaded by either shell (Electron file:// or the browser host).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'chrome130', sourcemap: false },
});
