// What the browser tests share: Debian's Chromium driven by playwright-core (headless, WebGPU on
// SwiftShader) and the demo's vite dev server (COOP/COEP headers), both started by the test.
import { accessSync, constants, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createServer, searchForWorkspaceRoot, type ViteDevServer } from 'vite';

export const CHROMIUM = process.env.NETSPEC_CHROMIUM ?? '/usr/bin/chromium';

// The closed network otherwise floods errors (ENVIRONMENT.md); WebGPU is off on Linux by default.
const FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Why the browser tests cannot run here, loudly, or undefined when Chromium is installed. */
export function chromiumProblem(): string | undefined {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    if (statSync(CHROMIUM).isFile()) return undefined;
  } catch {}
  return `BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM}. Install it with 'sudo bash scripts/system-deps.sh' (Debian's chromium package) or point NETSPEC_CHROMIUM at one.`;
}

export interface BrowserSetup {
  browser: Browser;
  server: ViteDevServer;
  /** The server's origin, e.g. http://127.0.0.1:41234. */
  origin: string;
  /** A fresh page at `path`, its console errors and page errors collected. */
  open(path: string): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/**
 * Starts the demo's vite server (it may also serve files under `extraDir`, as `/@fs/<path>`) and
 * Chromium, with WebGPU (SwiftShader) unless `webgpu` is false.
 */
export async function startBrowser(
  options: { extraDir?: string; webgpu?: boolean } = {},
): Promise<BrowserSetup> {
  const { extraDir = tmpdir(), webgpu = true } = options;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const server = await createServer({
    configFile: `${root}vite.config.ts`,
    root: `${root}demo`,
    logLevel: 'error',
    server: { port: 0, strictPort: false, fs: { allow: [searchForWorkspaceRoot(root), extraDir] } },
  });
  await server.listen();
  const origin = (server.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');
  const args = webgpu ? [...FLAGS, '--enable-unsafe-webgpu'] : FLAGS;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  return {
    browser,
    server,
    origin,
    async open(path) {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${origin}${path}`);
      return { page, errors };
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
