/** Debian's Chromium through playwright-core (no downloaded browser), with the flags of DEVELOPERS.md. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
  // WebGL on the CPU (SwiftShader) so that MapLibre draws in a machine without a GPU.
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh browser profile each time (its own user-data dir, removed on close). */
export async function launchBrowser(options: { viewport?: { width: number; height: number }; locale?: string; args?: string[]; serviceWorkers?: 'allow' | 'block' } = {}): Promise<Browser> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: options.locale ?? 'fr-FR',
    // 'block': every request reaches the page's routes (a service worker answering from its cache would bypass them).
    serviceWorkers: options.serviceWorkers ?? 'allow',
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
