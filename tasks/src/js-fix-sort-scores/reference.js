function rankScores(entries) {
  const sorted = entries.slice().sort((a, b) =>
    b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let rank = 0;
  return sorted.map((e, i) => {
    if (i === 0 || e.score !== sorted[i - 1].score) rank = i + 1;
    return `${rank}. ${e.name} (${e.score})`;
  });
}
