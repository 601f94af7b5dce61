// Throws at load.
throw new Error('broken on purpose');
