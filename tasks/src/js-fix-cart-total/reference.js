function cartTotal(items, coupon) {
  let subtotal = 0;
  for (const item of items) {
    const qty = item.qty === undefined || item.qty === null ? 1 : item.qty;
    subtotal += item.price * qty;
  }
  const percent = coupon ? coupon.percent : 0;
  // Integer arithmetic: subtotal * (100 - percent) / 100, half up.
  const total = Math.floor((subtotal * (100 - percent) + 50) / 100);
  return Math.max(0, total);
}
