'use strict';

const { Emitter } = require('./emitter');

// A message bus: topics are events, the last message of each is kept.
class Bus extends Emitter {
  constructor() {
    super();
    this.last = new Map();
  }

  publish(topic, msg) {
    this.last.set(topic, msg);
    return this.emit(topic, msg);
  }
}

module.exports = { Bus };
