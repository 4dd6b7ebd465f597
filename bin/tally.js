#!/usr/bin/env node
// The `tally` command. The TypeScript sources are compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
import { main } from '../dist/src/bootstrap/cli.js';

process.exitCode = await main(process.argv.slice(2));
