function cartTotal(items, coupon) {
  let subtotal = 0;
  for (const item of items) {
    subtotal += item.price * (item.qty ?? 1);
  }
  const discount = coupon ? subtotal * coupon.percent / 100 : 0;
  return Math.max(0, Math.floor(subtotal - discount));
}
