function addDecimal(a, b) {
  const parse = (s) => {
    const neg = s.startsWith("-");
    const digits = (neg ? s.slice(1) : s).replace(/^0+/, "");
    return { neg: neg && digits !== "", digits: digits || "0" };
  };
  const cmpAbs = (x, y) => {
    if (x.length !== y.length) return x.length < y.length ? -1 : 1;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const addAbs = (x, y) => {
    let out = "", carry = 0;
    for (let i = x.length - 1, j = y.length - 1; i >= 0 || j >= 0 || carry; i--, j--) {
      const s = (i >= 0 ? +x[i] : 0) + (j >= 0 ? +y[j] : 0) + carry;
      out = (s % 10) + out;
      carry = s >= 10 ? 1 : 0;
    }
    return out;
  };
  const subAbs = (x, y) => { // x >= y
    let out = "", borrow = 0;
    for (let i = x.length - 1, j = y.length - 1; i >= 0; i--, j--) {
      let d = +x[i] - borrow - (j >= 0 ? +y[j] : 0);
      borrow = d < 0 ? 1 : 0;
      if (d < 0) d += 10;
      out = d + out;
    }
    return out.replace(/^0+/, "") || "0";
  };
  const x = parse(a), y = parse(b);
  let neg, mag;
  if (x.neg === y.neg) {
    neg = x.neg;
    mag = addAbs(x.digits, y.digits);
  } else {
    const c = cmpAbs(x.digits, y.digits);
    if (c > 0) { neg = x.neg; mag = subAbs(x.digits, y.digits); }
    else { neg = y.neg; mag = subAbs(y.digits, x.digits); }
  }
  return (neg ? "-" : "") + mag;
}
