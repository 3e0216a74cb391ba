import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from '../lib/server-keys.js';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const FIXTURE = path.resolve(import.meta.dirname, '../../test-fixtures/acled/acled_sahel_synthetic.csv');

/**
 * Commands of the README that this test does not run, each with its reason. Everything else in a ```sh block that
 * calls `npx vigie`, `vigie`, `npm run`, `npm …` or `curl` runs exactly as written.
 */
const NOT_RUN: Record<string, string> = {
  'npm install && npm start': 'installs from the registry and starts a server that runs until stopped; this test starts `vigie serve` itself',
  'npm test': 'runs the whole suite, this test included',
  'npm run geo:build': 'rewrites the shipped boundaries tracked in the repository from ../shared/data (minutes of work)',
};

/** The ```sh blocks of the README, each as its commands (comments dropped, continued lines joined). */
function shellBlocks(markdown: string): string[][] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => {
    const commands: string[] = [];
    let open = '';
    for (const line of (m[1] ?? '').split('\n')) {
      if (open) {
        open += `\n${line}`;
        // A quoted argument spanning lines (the JSON body of the curl example) ends with its closing quote.
        if ((open.match(/'/g) ?? []).length % 2 === 0) {
          commands.push(open);
          open = '';
        }
        continue;
      }
      const command = line.replace(/\s+#\s.*$/, '').trim();
      if (!command || command.startsWith('#')) continue;
      if ((command.match(/'/g) ?? []).length % 2 === 1) open = command;
      else commands.push(command);
    }
    return commands;
  });
}

const isRunnable = (command: string) => /(^|\s|\$\()(npx vigie|vigie|npm|curl)\s/.test(command) || /^[A-Z_]+=\S+ npx vigie /.test(command) || /^[A-Z]+=\$\(/.test(command);

describe('README commands', () => {
  const blocks = shellBlocks(README);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-readme-'));
  // The server's folder: where `npx vigie` finds the command, and beside it ../shared as in the repository.
  const home = path.join(dir, 'vigie');
  let server: ChildProcess | undefined;
  let port = 0;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: dir, NODE_OPTIONS: '', npm_config_offline: 'true', npm_config_update_notifier: 'false',
    // Every data folder of the test (the live one, the restored ones) shares the server key, as the README says a restore needs.
    VIGIE_SECRET_KEY: TEST_MASTER_KEY, VIGIE_TEST_DATABASE_URL: '',
  };

  beforeAll(async () => {
    fs.mkdirSync(path.join(home, 'node_modules', '.bin'), { recursive: true });
    fs.symlinkSync(path.resolve(ROOT, '../shared'), path.join(dir, 'shared'));
    fs.writeFileSync(path.join(home, 'package.json'), JSON.stringify({ name: 'vigie-readme-test', private: true }));
    const tsx = fileURLToPath(import.meta.resolve('tsx'));
    const bin = path.join(home, 'node_modules', '.bin', 'vigie');
    fs.writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" --conditions=vigie-source --import "${tsx}" "${path.join(ROOT, 'apps/server/src/cli/main.ts')}" "$@"\n`, { mode: 0o755 });
    // The inputs the README's commands name: a passphrase file and an ACLED export (its clean rows).
    fs.writeFileSync(path.join(home, 'passphrase.txt'), 'une phrase de passe assez longue\n');
    const acled = fs.readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => !/^(MLI99|SEN|BFA99|NER99)/.test(l));
    fs.writeFileSync(path.join(home, 'acled-sahel.csv'), [...new Set(acled)].join('\n'));
    // A server with the demo data, as after `npm start`.
    for (const r of await runScript(['npx vigie migrate', 'npx vigie seed --demo'], home, env)) expect(r.code, r.output).toBe(0);
    server = spawn(bin, ['serve', '--port', '0'], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      server?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /écoute sur http:\/\/[^:]+:(\d+)\//.exec(out);
        if (m) resolve(Number(m[1]));
      });
      server?.once('exit', (code) => reject(new Error(`serve stopped (${code}): ${out}`)));
    });
  }, 600_000);
  afterAll(() => {
    server?.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves out only a few commands, each for a written reason, and they are still in the README', () => {
    const all = blocks.flat();
    expect(Object.keys(NOT_RUN).length).toBeLessThanOrEqual(3);
    for (const skipped of Object.keys(NOT_RUN)) expect(all).toContain(skipped);
    expect(all.filter(isRunnable).length).toBeGreaterThanOrEqual(20);
  });

  it('runs every other command of every ```sh block as written, from the server’s folder, each exiting 0', async () => {
    let ran = 0;
    for (const block of blocks) {
      // The only rewrite: the examples' port 8080 becomes the test server's.
      const commands = block.filter((c) => !(c in NOT_RUN)).map((c) => c.replaceAll('localhost:8080', `localhost:${port}`));
      if (!commands.length) continue;
      for (const c of commands) expect(isRunnable(c), `not a command the README should show: ${c}`).toBe(true);
      const results = await runScript(commands, home, env);
      expect(results.map((r) => r.command)).toEqual(commands);
      for (const r of results) {
        expect(r.code, `${r.command}\n${r.output}`).toBe(0);
        // curl exits 0 on an HTTP error: its answer must not be a problem document.
        if (r.command.startsWith('curl')) expect(r.output, r.command).not.toMatch(/"status":\s*[45]\d\d/);
      }
      ran += results.length;
    }
    expect(ran).toBe(blocks.flat().length - Object.keys(NOT_RUN).length);
    // What the commands did, as a user would check it.
    expect(fs.existsSync(path.join(home, 'data-restauree', 'vigie.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(home, 'data-chiffree', 'vigie.sqlite'))).toBe(true);
    expect(fs.statSync(path.join(home, 'vigie.backup.enc')).mode & 0o777).toBe(0o600);
  }, 1_200_000);
});

/**
 * Runs commands one after the other in one bash, as a user would type them (variables carry from one to the next),
 * and returns each one's exit code and output. Stdin is closed, as for a script.
 */
async function runScript(commands: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ command: string; code: number; output: string }[]> {
  const marker = `@@vigie-readme-${Date.now()}`;
  const script = commands.map((c, i) => `${c}\necho "${marker} ${i} $?"`).join('\n');
  const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  await new Promise((resolve) => child.once('close', resolve));
  const results: { command: string; code: number; output: string }[] = [];
  let rest = output;
  for (const [i, command] of commands.entries()) {
    const m = new RegExp(`${marker} ${i} (\\d+)\\n`).exec(rest);
    if (!m) {
      results.push({ command, code: -1, output: rest });
      break;
    }
    results.push({ command, code: Number(m[1]), output: rest.slice(0, m.index) });
    rest = rest.slice(m.index + m[0].length);
  }
  return results;
}
