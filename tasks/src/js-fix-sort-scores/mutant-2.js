function rankScores(entries) {
  const sorted = entries.slice().sort((a, b) => b.score - a.score);
  let rank = 0;
  return sorted.map((e, i) => {
    if (i === 0 || e.score !== sorted[i - 1].score) rank++;
    return `${rank}. ${e.name} (${e.score})`;
  });
}
