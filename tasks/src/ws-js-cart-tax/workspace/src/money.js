'use strict';

// Format integer cents as dollars: 1234 -> "$12.34".
function format(cents) {
  const whole = Math.trunc(cents / 100);
  const rest = String(Math.abs(cents % 100)).padStart(2, '0');
  return '$' + whole + '.' + rest;
}

module.exports = { format };
