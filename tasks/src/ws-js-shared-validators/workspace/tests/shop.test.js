'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { createUser } = require('../src/users');
const { createOrder } = require('../src/orders');

test('user', () => {
  assert.deepStrictEqual(createUser({ id: 1, email: 'A@b.co' }), { id: 1, email: 'a@b.co' });
});

test('order', () => {
  assert.deepStrictEqual(createOrder({ id: 2, qty: 3 }), { id: 2, qty: 3, notify: null });
});
