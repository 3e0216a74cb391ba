import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, modulesFor } from './command-modules.js';

describe('the CLI loads the module of the command it runs', () => {
  it('names, for each module, exactly the top-level commands it registers, each once', async () => {
    const seen: string[] = [];
    for (const m of COMMAND_MODULES) {
      const program = new Command();
      (await m.load())(program);
      expect(program.commands.map((c) => c.name())).toEqual([...m.names]);
      seen.push(...m.names);
    }
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('loads one module for a named command, all of them for help, no command or an unknown one', () => {
    expect(modulesFor(['users', 'list', '--json']).map((m) => m.names)).toEqual([['migrate', 'users', 'token']]);
    expect(modulesFor(['export', '--format', 'csv']).map((m) => m.names)).toEqual([['export']]);
    expect(modulesFor([])).toBe(COMMAND_MODULES);
    expect(modulesFor(['--help'])).toBe(COMMAND_MODULES);
    expect(modulesFor(['help', 'users'])).toBe(COMMAND_MODULES);
    expect(modulesFor(['usres'])).toBe(COMMAND_MODULES);
  });
});
