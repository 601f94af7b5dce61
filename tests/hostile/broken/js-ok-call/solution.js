// Correct, for contrast: adds numbers, concatenates arrays.
function join(a, b) { return Array.isArray(a) ? a.concat(b) : a + b; }
