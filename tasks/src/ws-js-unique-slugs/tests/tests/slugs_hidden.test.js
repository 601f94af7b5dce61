'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { slugify } = require('../lib/text');
const { Posts } = require('../lib/posts');

test('punctuation and runs', () => {
  assert.strictEqual(slugify('  C++ & Rust: a   comparison!! '), 'c-rust-a-comparison');
  assert.strictEqual(slugify('2024 -- Year in review'), '2024-year-in-review');
});

test('accents', () => {
  assert.strictEqual(slugify('Crème Brûlée à la carte'), 'creme-brulee-a-la-carte');
});

test('empty', () => {
  assert.strictEqual(slugify('!!!'), 'post');
  assert.strictEqual(slugify(''), 'post');
});

test('maxLength', () => {
  assert.strictEqual(slugify('Hello wonderful world', { maxLength: 10 }), 'hello-wond');
  assert.strictEqual(slugify('Hello wonderful world', { maxLength: 6 }), 'hello');
});

test('unique slugs', () => {
  const p = new Posts();
  assert.strictEqual(p.add('Hello'), 'hello');
  assert.strictEqual(p.add('hello!'), 'hello-2');
  assert.strictEqual(p.add('HELLO'), 'hello-3');
  assert.strictEqual(p.get('hello-2').title, 'hello!');
});

test('unique within maxLength', () => {
  const p = new Posts({ maxLength: 8 });
  assert.strictEqual(p.add('Breaking news'), 'breaking');
  assert.strictEqual(p.add('Breaking news'), 'breaki-2');
  for (let i = 3; i <= 10; i++) p.add('Breaking news');
  assert.strictEqual(p.add('Breaking news'), 'break-11');
});
