'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { format } = require('../src/money');

test('format positive', () => {
  assert.strictEqual(format(1234), '$12.34');
  assert.strictEqual(format(5), '$0.05');
});
