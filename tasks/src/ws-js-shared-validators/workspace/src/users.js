'use strict';

function isEmail(s) {
  return typeof s === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
}

function isPositiveInt(n) {
  return Number.isInteger(n) && n > 0;
}

function createUser({ id, email }) {
  if (!isPositiveInt(id)) throw new TypeError('bad id');
  if (!isEmail(email)) throw new TypeError('bad email');
  return { id, email: email.toLowerCase() };
}

module.exports = { createUser };
