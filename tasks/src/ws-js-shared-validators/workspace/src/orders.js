'use strict';

function isPositiveInt(n) {
  return Number.isInteger(n) && n > 0;
}

function isEmail(s) {
  return typeof s === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
}

function createOrder({ id, qty, notify }) {
  if (!isPositiveInt(id)) throw new TypeError('bad id');
  if (!isPositiveInt(qty)) throw new TypeError('bad qty');
  if (notify !== undefined && !isEmail(notify)) throw new TypeError('bad notify');
  return { id, qty, notify: notify || null };
}

module.exports = { createOrder };
