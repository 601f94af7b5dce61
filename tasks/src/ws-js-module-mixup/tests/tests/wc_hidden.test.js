'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

test('library', () => {
  const { count } = require('../lib/count');
  assert.deepStrictEqual(count('a b\nc\n'), { lines: 2, words: 3, chars: 6 });
  assert.deepStrictEqual(count(''), { lines: 0, words: 0, chars: 0 });
  assert.deepStrictEqual(count('héllo 😀\n'), { lines: 1, words: 2, chars: 8 });
});

test('command', () => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wc-')), 'in.txt');
  fs.writeFileSync(f, 'one two\nthree\n');
  const out = execFileSync(process.execPath, [path.join(__dirname, '..', 'bin', 'wc.js'), f], { encoding: 'utf8' });
  assert.strictEqual(out, `2 3 14 ${f}\n`);
});
