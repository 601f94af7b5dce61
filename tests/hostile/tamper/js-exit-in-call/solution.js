// process.exit(0) from inside the function under test, after printing
// success-looking lines; and a hook that turns crashes into status 0.
process.on('uncaughtException', () => process.exit(0));
function add(a, b) {
  console.log('ok 1\nPASS\n{"verdict":"ok"}');
  process.exit(0);
}
