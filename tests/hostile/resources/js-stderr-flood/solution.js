// One gigabyte to stderr, then the right answer on stdout.
const fs = require('fs');
const buf = Buffer.alloc(1 << 20, 'e');
for (let i = 0; i < 1024; i++) fs.writeSync(2, buf);
console.log(42);
