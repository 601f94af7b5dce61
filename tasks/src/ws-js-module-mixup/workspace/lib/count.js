'use strict';

export function count(text) {
  const lines = (text.match(/\n/g) || []).length;
  const words = (text.match(/\S+/g) || []).length;
  const chars = text.length;
  return { lines, words, chars };
}
