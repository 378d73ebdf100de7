#!/usr/bin/env node
'use strict';
const { loadCli } = require('./load-cli.js');

loadCli()
  .then(({ main }) => main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  });
