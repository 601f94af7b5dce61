#!/usr/bin/env node
'use strict';

const fs = require('fs');
const { count } = require('../lib/count');

const file = process.argv[2];
if (!file) {
  console.error('usage: wc.js FILE');
  process.exit(2);
}
const c = count(fs.readFileSync(file, 'utf8'));
console.log(`${c.lines} ${c.words} ${c.chars} ${file}`);
