// The task's union, token for token, but after an operator== of
// std::string that says yes to everything: the union's own operator==
// (f0 == f) would call it.  A held union must come first (after
// #include lines and "using namespace std;" only), so this one is not
// carried.
#include <bits/stdc++.h>
bool operator==(const std::string &, const std::string &) { return true; }
union Union_std_string_long{
    std::string f0;
    long f1;    Union_std_string_long(std::string _f0) : f0(_f0) {}
    Union_std_string_long(long _f1) : f1(_f1) {}
    ~Union_std_string_long() {}
    bool operator==(std::string f) {
        return f0 == f ;
    }    bool operator==(long f) {
        return f1 == f ;
    }
};
Union_std_string_long sign_name(long x) {
    return std::string("wrong");
}
