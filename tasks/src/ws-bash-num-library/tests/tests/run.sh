#!/bin/bash
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'a 10 x\nb -3 y\nc n/a z\nd 7 w\ne 1.5 v\n' > "$tmp/d"
t "report" [ "$(./colstats "$tmp/d" 2)" = "$(printf 'count 3\nmin -3\nmax 10\nmean 4.67')" ]
t "json" [ "$(./colstats --json "$tmp/d" 2)" = '{"count": 3, "min": -3, "max": 10, "mean": 4.67}' ]
t "no numbers" bash -c '! ./colstats "$1" 3 2>/dev/null' sh "$tmp/d"
t "num_min/num_max" bash -c '. lib/num.sh && [ "$(printf "5\n-2\n9\n" | num_min)" = -2 ] && [ "$(printf "5\n-2\n9\n" | num_max)" = 9 ]'
t "num_mean rounds half away from zero" bash -c '. lib/num.sh && [ "$(printf "1\n2\n" | num_mean)" = 1.50 ] && [ "$(printf "0\n0\n0\n0\n0\n0\n0\n1\n" | num_mean)" = 0.13 ] && [ "$(printf -- "-1\n-2\n-2\n-2\n-2\n-2\n-2\n-2\n" | num_mean)" = -1.88 ]'
t "empty input fails" bash -c '. lib/num.sh && ! printf "" | num_mean >/dev/null && [ -z "$(printf "" | num_min)" ]'
t "colstats uses the library" bash -c 'grep -q "lib/num.sh" colstats && ! grep -q "awk.*s += \$1" colstats && grep -q num_mean colstats'
finish
