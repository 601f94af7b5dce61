# Correct, for contrast.
read -r a b
echo $((a + b))
