'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { Cart } = require('../src/cart');
const { tax } = require('../src/tax');
const { format } = require('../src/money');

test('tax rounds half up on cents', () => {
  assert.strictEqual(tax(50, 5), 3);      // 2.5 -> 3
  assert.strictEqual(tax(1005, 10), 101); // 100.5 -> 101
  assert.strictEqual(tax(115, 10), 12);   // 11.5 -> 12 (float math gives 11)
  assert.strictEqual(tax(-50, 5), -3);    // refunds: away from zero
});

test('total is per-line tax', () => {
  const c = new Cart(5).add('a', 50).add('b', 50);
  assert.strictEqual(c.total(), 106);     // 50+3 + 50+3
});

test('refund lines', () => {
  const c = new Cart(10).add('shirt', 1500).add('return', -1500);
  assert.strictEqual(c.total(), 0);
});

test('format negative', () => {
  assert.strictEqual(format(-150), '-$1.50');
  assert.strictEqual(format(-5), '-$0.05');
  assert.strictEqual(format(0), '$0.00');
});

test('receipt', () => {
  const c = new Cart(10).add('tea', 115, 1);
  assert.strictEqual(c.receipt(), 'tea x1 $1.15\ntotal $1.27');
});
