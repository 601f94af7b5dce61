// The task's union, held by the server: the checker gets the index of
// the object.  This answer writes its own answers on the stub's socket
// (fd 3): an index the server never gave (the checker must not use it
// for anything but sending it back, and the server refuses it), then
// the "no object" index, then exits.
#include<assert.h>
#include<bits/stdc++.h>
#include <unistd.h>
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
    static int calls;
    unsigned char f[13];
    std::uint32_t len = 9;
    std::uint64_t id = calls++ == 0 ? 0x4141414141414141ull : ~0ull;

    std::memcpy(f, &len, 4);
    f[4] = 0;
    std::memcpy(f + 5, &id, 8);
    (void)!write(3, f, sizeof f);
    if (id == ~0ull)
        _exit(0);
    return 0L;
}
