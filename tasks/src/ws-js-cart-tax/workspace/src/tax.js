'use strict';

// Tax on an amount in cents at a rate in per cent.
function tax(cents, ratePercent) {
  return Math.round((cents / 100) * (ratePercent / 100) * 100);
}

module.exports = { tax };
