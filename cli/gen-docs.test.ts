import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { commandsMarkdown } from '../commands/help.js';

test('docs/commands.md is what the registry generates (npm run build && npm run docs)', () => {
  expect(readFileSync(join(import.meta.dirname, '..', 'docs', 'commands.md'), 'utf8')).toBe(commandsMarkdown());
});
