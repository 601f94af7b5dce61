// A busy loop: the event loop never turns again.
let n = 0;
for (;;) n++;
