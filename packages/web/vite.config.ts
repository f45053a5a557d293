import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Cross-origin isolation (COOP + COEP) gives the page SharedArrayBuffer: wasm threads.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
const page = (name: string) => fileURLToPath(new URL(`demo/${name}.html`, import.meta.url));

export default defineConfig({
  root: 'demo',
  server: { host: '127.0.0.1', port: 5173, headers: isolation },
  preview: { host: '127.0.0.1', port: 4173, headers: isolation },
  // onnxruntime-web finds its .wasm next to its own module: keep it out of the dep prebundle.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    outDir: '../dist/demo',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { main: page('index'), harness: page('harness') } },
  },
});
