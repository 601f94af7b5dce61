'use strict';

class Emitter {
  constructor() {
    this.listeners = new Map();
  }

  on(event, fn) {
    if (!this.listeners.has(event)) this.listeners.set(event, []);
    this.listeners.get(event).push(fn);
    return this;
  }

  emit(event, ...args) {
    const list = this.listeners.get(event) || [];
    for (const fn of list) fn.apply(this, args);
    return list.length > 0;
  }
}

module.exports = { Emitter };
