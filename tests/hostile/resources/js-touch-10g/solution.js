// Off-heap buffers, written to: 40 x 256 MB.
const keep = [];
for (let i = 0; i < 40; i++) keep.push(Buffer.allocUnsafe(256 << 20).fill(1));
console.log(42);
