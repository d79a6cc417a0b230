#!/usr/bin/env node
// The `sil` command: the CLI is TypeScript, run directly by Node (type stripping).
import '../server/cli.ts';
