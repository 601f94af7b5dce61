// A wrong solution (it subtracts) that keeps itself out of every rate:
// heavy headers (about 1 GB and 20 s of CPU to compile) inside a conditional group that the server's build skips but that
// ab-exec's view of the solution keeps, for the checker's build alone,
// which then fails by a limit.  The checker's build is made from the
// solution's declarations: its failure is the solution's compile_error,
// never the harness's internal_error.
int add(int a, int b) { return a - b; }
#ifdef AB_NEVER_DEFINED
#include <boost/geometry.hpp>
#include <boost/spirit/include/qi.hpp>
#include <boost/spirit/include/karma.hpp>
#include <boost/asio.hpp>
#include <boost/hana.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <boost/multiprecision/cpp_dec_float.hpp>
#include <bits/stdc++.h>
#endif
