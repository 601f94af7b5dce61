function rankScores(entries) {
  entries.sort((a, b) => String(b.score).localeCompare(String(a.score)));
  return entries.map((e, i) => `${i + 1}. ${e.name} (${e.score})`);
}
