#!/usr/bin/env node
// The `rein` command. Runs the TypeScript sources directly through tsx, so `npx rein …` works
// right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
