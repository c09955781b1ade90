#!/usr/bin/env node
// The built CLI. From a checkout without a build, run: node --conditions=azmi-source --import tsx packages/cli/src/main.ts
import '../dist/main.js'
