'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { createUser } = require('../src/users');
const { createOrder } = require('../src/orders');

test('validate.js exports both', () => {
  const v = require('../src/validate');
  assert.strictEqual(v.isEmail('x@y.z'), true);
  for (const bad of ['x@y', 'x y@z.w', '@y.z', 5, null, 'a@b@c.d']) assert.strictEqual(v.isEmail(bad), false, String(bad));
  assert.strictEqual(v.isPositiveInt(3), true);
  for (const bad of [0, -1, 1.5, '3', NaN, Infinity]) assert.strictEqual(v.isPositiveInt(bad), false, String(bad));
});

test('no copies left', () => {
  for (const f of ['users.js', 'orders.js']) {
    const src = fs.readFileSync(path.join(__dirname, '..', 'src', f), 'utf8');
    assert.ok(!/function\s+isEmail|function\s+isPositiveInt/.test(src), f);
    assert.ok(/require\(['"]\.\/validate(\.js)?['"]\)/.test(src), f);
  }
});

test('behaviour kept', () => {
  assert.throws(() => createUser({ id: 0, email: 'a@b.c' }), TypeError);
  assert.throws(() => createUser({ id: 1, email: 'nope' }), /bad email/);
  assert.throws(() => createOrder({ id: 1, qty: 1.5 }), /bad qty/);
  assert.throws(() => createOrder({ id: 1, qty: 1, notify: 'x' }), /bad notify/);
  assert.deepStrictEqual(createOrder({ id: 1, qty: 1, notify: 'q@r.st' }), { id: 1, qty: 1, notify: 'q@r.st' });
});
