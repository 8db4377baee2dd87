#!/usr/bin/env node
// The installed command: runs the compiled CLI (`npm ci` builds it through `prepare`).
import { main } from "../lib/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
