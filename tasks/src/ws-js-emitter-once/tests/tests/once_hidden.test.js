'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { Emitter } = require('../src/emitter');
const { Bus } = require('../src/bus');

test('once fires once', () => {
  const e = new Emitter();
  let n = 0;
  assert.strictEqual(e.once('x', () => n++), e);
  e.emit('x'); e.emit('x');
  assert.strictEqual(n, 1);
  assert.strictEqual(e.emit('x'), false);
});

test('off removes the most recent registration', () => {
  const e = new Emitter();
  const got = [];
  const f = (v) => got.push(v);
  e.on('x', f).on('x', f);
  assert.strictEqual(e.off('x', f), e);
  e.emit('x', 1);
  assert.deepStrictEqual(got, [1]);
  e.off('x', f).off('x', f).off('nope', f);
  assert.strictEqual(e.emit('x', 2), false);
});

test('off with the original fn cancels once', () => {
  const e = new Emitter();
  let n = 0;
  const f = () => n++;
  e.once('x', f);
  e.off('x', f);
  e.emit('x');
  assert.strictEqual(n, 0);
});

test('changes during emit do not affect it', () => {
  const e = new Emitter();
  const got = [];
  const b = () => got.push('b');
  e.on('x', () => { got.push('a'); e.off('x', b); e.on('x', () => got.push('c')); });
  e.on('x', b);
  e.emit('x');
  assert.deepStrictEqual(got, ['a', 'b']);
});

test('once listener sees this and args; bus works', () => {
  const bus = new Bus();
  let seen;
  bus.once('t', function (m) { seen = [this === bus, m]; });
  bus.publish('t', 'hi');
  assert.deepStrictEqual(seen, [true, 'hi']);
  assert.strictEqual(bus.last.get('t'), 'hi');
});
