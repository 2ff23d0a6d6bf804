#!/usr/bin/env node
// The `pam` command: runs the compiled CLI (built by `npm install` through the `prepare` script).
require('../dist/src/cli/main.js').main(process.argv.slice(2))
