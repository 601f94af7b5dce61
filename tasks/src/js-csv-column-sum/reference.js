const lines = require("fs").readFileSync(0, "utf8").split(/\r?\n/).filter((l) => l !== "");
if (lines.length > 0) {
  const names = lines[0].split(",");
  const sums = names.map(() => 0);
  const numeric = names.map(() => true);
  const seen = names.map(() => false);
  for (const line of lines.slice(1)) {
    line.split(",").forEach((f, i) => {
      if (i >= names.length || f === "") return;
      const v = Number(f);
      if (f.trim() === "" || Number.isNaN(v)) numeric[i] = false;
      else {
        sums[i] += v;
        seen[i] = true;
      }
    });
  }
  const out = [];
  names.forEach((n, i) => {
    if (numeric[i] && seen[i]) out.push(`${n}: ${Number(sums[i].toFixed(2))}`);
  });
  if (out.length > 0) process.stdout.write(out.join("\n") + "\n");
}
