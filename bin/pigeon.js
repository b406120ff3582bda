#!/usr/bin/env node
// The `pigeon` command: the terminal peer, built from src/cli by `npm run build:cli` (done by `npm pack`).
import '../build/cli/pigeon.js';
