'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { slugify } = require('../lib/text');

test('simple title', () => {
  assert.strictEqual(slugify('Hello World'), 'hello-world');
});
