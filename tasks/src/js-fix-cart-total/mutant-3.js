function cartTotal(items, coupon) {
  let subtotal = 0;
  for (const item of items) {
    subtotal += item.price * (item.qty || 1);
  }
  const percent = coupon ? coupon.percent : 0;
  return Math.max(0, Math.round(subtotal * (100 - percent) / 100));
}
