// node: the host's listener on 127.0.0.1, then 192.0.2.1 (TEST-NET-1,
// unroutable) with a short timeout.
const net = require('net');
function attempt(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 1000 });
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('end', () => resolve(data.trim() || null));
    s.on('timeout', () => { s.destroy(); resolve(null); });
    s.on('error', () => resolve(null));
  });
}
(async () => {
  const a = await attempt('127.0.0.1', @CANARY_PORT@);
  const b = await attempt('192.0.2.1', 80);
  console.log(a || (b !== null ? 'reached 192.0.2.1' : 'contained: no connection'));
})();
