'use strict';

const { tax } = require('./tax');
const { format } = require('./money');

class Cart {
  constructor(ratePercent) {
    this.rate = ratePercent;
    this.lines = [];
  }

  add(name, unitCents, qty = 1) {
    this.lines.push({ name, unitCents, qty });
    return this;
  }

  total() {
    const net = this.lines.reduce((s, l) => s + l.unitCents * l.qty, 0);
    return net + tax(net, this.rate);
  }

  receipt() {
    return this.lines.map((l) => `${l.name} x${l.qty} ${format(l.unitCents * l.qty)}`)
      .concat([`total ${format(this.total())}`]).join('\n');
  }
}

module.exports = { Cart };
