# Prints the answer but fails.
echo 42
exit 3
