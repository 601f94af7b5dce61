#!/bin/bash
cat > /app/count.sh <<'S'
#!/bin/sh
wc -w < /app/src/input.txt > /app/out.txt
S
chmod +x /app/count.sh
/app/count.sh
