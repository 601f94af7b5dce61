function cartTotal(items, coupon) {
  let subtotal = 0;
  for (const item of items) {
    subtotal += item.price * (item.qty || 1);
  }
  const discount = subtotal * coupon.percent / 100;
  return Math.floor(subtotal - discount);
}
