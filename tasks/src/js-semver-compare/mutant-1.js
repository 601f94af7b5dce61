function compareSemver(a, b) {
  const pa = a.split(/[-+]/)[0].split(".").map(Number);
  const pb = b.split(/[-+]/)[0].split(".").map(Number);
  if (pa.length !== 3 || pb.length !== 3 || pa.some(isNaN) || pb.some(isNaN)) return null;
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  const ra = a.split("+")[0].split("-")[1] || "";
  const rb = b.split("+")[0].split("-")[1] || "";
  if (ra === rb) return 0;
  if (ra === "") return 1;
  if (rb === "") return -1;
  return ra < rb ? -1 : 1;
}
