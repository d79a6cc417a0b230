#!/usr/bin/env node
// The `sil` command. The CLI is TypeScript, run directly by Node (type stripping).
import { main } from '../server/cli.ts';

await main();
