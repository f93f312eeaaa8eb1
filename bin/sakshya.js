#!/usr/bin/env node
"use strict";
// Runs the TypeScript command-line tool without a build step; type-checking happens in `npm test`, not here.
const path = require("node:path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
require("../scripts/sakshya.ts");
