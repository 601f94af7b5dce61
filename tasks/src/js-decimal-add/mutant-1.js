function addDecimal(a, b) {
  return String(Number(a) + Number(b));
}
