// A timer that keeps the event loop alive for a week.
setTimeout(() => console.log(42), 7 * 24 * 3600 * 1000);
