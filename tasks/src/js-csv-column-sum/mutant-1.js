const lines = require("fs").readFileSync(0, "utf8").split("\n").filter((l) => l !== "");
if (lines.length > 0) {
  const names = lines[0].split(",");
  const sums = names.map(() => 0);
  const numeric = names.map(() => true);
  for (const line of lines.slice(1)) {
    line.split(",").forEach((f, i) => {
      const v = parseFloat(f);
      if (Number.isNaN(v)) numeric[i] = false;
      else sums[i] += v;
    });
  }
  names.forEach((n, i) => {
    if (numeric[i]) console.log(`${n}: ${sums[i]}`);
  });
}
