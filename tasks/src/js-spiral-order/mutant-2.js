function spiralOrder(matrix) {
  return matrix.flat();
}
