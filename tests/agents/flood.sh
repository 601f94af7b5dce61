#!/bin/sh
# A test agent that writes without end.
echo $$ >>"$AB_TEST_PIDS"
exec yes 'all work and no play makes a dull answer'
