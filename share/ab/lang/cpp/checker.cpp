// ab-exec checker for C++ assertion tests: the test code, the run's nonce
// and a declarations-only view of the solution; each function of the
// solution is a proxy that calls the solution in the server process (see
// abwire.hpp).  argv[1] picks the test.  A test passes when its case
// returns and its completion record reaches fd 3.  Not a byte of the
// solution's code is in this program.
#include <cassert>
#include <climits>
#include <csignal>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <typeinfo>
#include <vector>

#include <unistd.h>

#include "abwire.hpp"

// A union the server holds: the stand-in ab-exec wrote has only the
// object's index (ab_id_), the server decides everything else.
namespace ab_wire {
template<class T> struct held_io {
	template<class W> static void put(W &w, const T &v)
	{
		w.u64(v.ab_id_);
	}
	template<class R> static T make(R &r)
	{
		std::uint64_t id;

		std::memcpy(&id, r.need(sizeof id), sizeof id);
		if (id == ab_wire::no_object)
			r.bad("a value of a union that the solution's process "
			    "cannot copy");
		return T(ab_wire::remote_id{id});
	}
	template<class R> static void get(R &r, T &v)
	{
		v.ab_id_ = make(r).ab_id_;
	}
};
}	// namespace ab_wire

// Set by each test: a hidden test's assertions are not quoted.
static int ab_k_hidden_;

// A failed assert() is a wrong answer, not a crash.
extern "C" void __assert_fail(const char *ab_e_, const char *ab_f_,
    unsigned int ab_l_, const char *ab_fn_) noexcept
{
	(void)ab_fn_;
	std::fflush(stdout);
	if (ab_k_hidden_)
		std::fprintf(stderr, "%s:%u: an assertion of a hidden test "
		    "failed\n", ab_f_, ab_l_);
	else
		std::fprintf(stderr, "%s:%u: %s\n", ab_f_, ab_l_, ab_e_);
	_exit(1);
}

namespace ab_k {

constexpr int sock = 4;
constexpr std::size_t max_answer = std::size_t{64} << 20;
constexpr std::size_t max_params = 32;

static ab_wire::in sock_in(sock);
static char nonce[80];
static int index = -1;
static bool greeted;

// What the solution threw: a std::exception as this (or, when the
// solution's headers declare it, as the standard exception of the same
// type, see rethrow), anything else as a type only catch (...) catches.
struct wire_exception : std::exception {
	char msg[1024];

	const char *what() const noexcept override { return msg; }
};
struct foreign_exception {
	char msg[1024];
};

static std::size_t
json(char *b, std::size_t n, std::size_t cap, const char *s)
{
	for (; *s != '\0' && n + 8 < cap; s++) {
		unsigned char c = static_cast<unsigned char>(*s);

		if (c == '"' || c == '\\') {
			b[n++] = '\\';
			b[n++] = static_cast<char>(c);
		} else if (c < 0x20 || c >= 0x7f) {
			n += static_cast<std::size_t>(std::snprintf(b + n,
			    cap - n, "\\u%04x", c));
		} else {
			b[n++] = static_cast<char>(c);
		}
	}
	return n;
}

// The test failed for a reason of the harness or the server: its record
// says why, and the test's own code never runs again.
[[noreturn]] static void __attribute__((format(printf, 3, 4)))
fail(const char *kind, int sig, const char *fmt, ...)
{
	char msg[1024], rec[4096];
	std::va_list ap;
	std::size_t n;

	va_start(ap, fmt);
	std::vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	std::fflush(stdout);
	std::fprintf(stderr, "ab-exec: %s\n", msg);
	n = static_cast<std::size_t>(std::snprintf(rec, sizeof rec,
	    "%s {\"test\":%d,\"status\":\"fail\",\"kind\":\"%s\",\"signal\":%d,"
	    "\"error\":\"", nonce, index, kind, sig));
	n = json(rec, n, sizeof rec - 4, msg);
	rec[n++] = '"';
	rec[n++] = '}';
	rec[n++] = '\n';
	if (ab_wire::write_all(3, rec, n) < 0)
		_exit(125);
	_exit(0);
}

[[noreturn]] static void
gone(const char *fn)
{
	ab_k::fail("gone", 0, "the solution's process exited%s%s%s",
	    fn ? " (in " : "", fn ? fn : "", fn ? ")" : "");
}

// One frame from the server, new, at most max bytes.
static char *
frame(std::size_t max, const char *fn, std::size_t *len)
{
	std::uint32_t n;
	char *a;

	if (ab_wire::read_all(sock_in, &n, sizeof n) < 0)
		ab_k::gone(fn);
	if (n == 0 || n > max)
		ab_k::fail("runtime_error", 0, "bad answer from the solution's "
		    "process (%s: %lu bytes)", fn ? fn : "greeting",
		    static_cast<unsigned long>(n));
	if ((a = static_cast<char *>(std::malloc(n))) == nullptr)
		std::abort();
	if (ab_wire::read_all(sock_in, a, n) < 0)
		ab_k::gone(fn);
	*len = n;
	return a;
}

[[noreturn]] static void
dying(const char *a, std::size_t n, const char *fn)
{
	std::uint32_t sig = 0;

	if (n == 5)
		std::memcpy(&sig, a + 1, 4);
	if (sig < 1 || sig > 64)
		ab_k::fail("runtime_error", 0, "bad answer from the solution's "
		    "process (%s)", fn ? fn : "greeting");
	ab_k::fail("signaled", static_cast<int>(sig), "the solution's process "
	    "was killed by signal %u%s%s", static_cast<unsigned>(sig),
	    fn ? " in " : "", fn ? fn : "");
}

struct reader {
	const unsigned char *p = nullptr;
	std::size_t n = 0, pos = 0;
	const char *fn = nullptr;

	[[noreturn]] void bad(const char *why)
	{
		ab_k::fail("runtime_error", 0, "bad answer from the solution's "
		    "process (%s: %s)", fn, why);
	}
	const unsigned char *need(std::size_t k)
	{
		const unsigned char *q;

		if (n - pos < k)
			bad("answer too short");
		q = p + pos;
		pos += k;
		return q;
	}
	std::size_t left() const { return n - pos; }
};

static void hello();
[[noreturn]] static void rethrow(const char *type, const char *what);

struct call {
	ab_wire::writer w;
	char *a = nullptr;
	reader r;
	const char *fn;
	std::size_t back = 0;
	std::size_t ext[max_params] = {};
	bool present[max_params] = {};

	call(std::uint32_t idx, const char *name) : fn(name)
	{
		if (!greeted)
			ab_k::hello();
		w.raw(&idx, sizeof idx);
		r.fn = name;
	}
	call(const call &) = delete;
	call &operator=(const call &) = delete;
	~call() { std::free(a); }

	void send()
	{
		std::size_t n;

		if (ab_wire::send(sock, w) < 0)
			ab_k::gone(fn);
		w.clear();
		a = ab_k::frame(max_answer + back, fn, &n);
		r.p = reinterpret_cast<const unsigned char *>(a);
		r.n = n;
		r.pos = 1;
		if (a[0] == static_cast<char>(ab_wire::DYING))
			ab_k::dying(a, n, fn);
		if (a[0] == static_cast<char>(ab_wire::EXC)) {
			std::uint64_t tn, wn;
			char *type = ab_wire::get_cstr(r, &tn);
			char *what = ab_wire::get_cstr(r, &wn);

			end();
			ab_k::rethrow(type, what);
		}
		if (a[0] != static_cast<char>(ab_wire::OK))
			r.bad("unknown answer");
	}
	void ret_void() {}
	void end()
	{
		if (r.pos != r.n)
			r.bad("answer too long");
	}
};

// A value parameter (also const T & and T &&).
template<class P, class V> void
arg(call &c, const V &v, std::size_t)
{
	static_assert(!std::is_pointer_v<std::remove_reference_t<P>>,
	    "ab-exec: a pointer parameter taken for a value (a typedef?)");
	ab_wire::put(c.w, v);
}

// A pointer parameter: the object from the pointer to its end.
template<class P, class V> void
arg_ptr(call &c, V *p, std::size_t max, std::size_t min, std::size_t i)
{
	using T = std::remove_cv_t<V>;

	static_assert(std::is_pointer_v<P>, "ab-exec: a parameter taken for a "
	    "pointer is not one");
	if (p == nullptr) {
		c.w.u8(0);
		return;
	}
	if (max == static_cast<std::size_t>(-1) || max != min)
		ab_k::fail("internal", 0, "%s: parameter %zu: cannot tell the "
		    "size of the object the pointer points to (the proxy sends "
		    "the object from the pointer to its end: pass an array, a "
		    "string literal or memory from new or malloc directly)",
		    c.fn, i + 1);
	if constexpr (ab_wire::raw_v<T>) {
		c.w.u8(1);
		c.w.u64(max);
		c.w.raw(p, max);
	} else {
		if (max % sizeof(T) != 0)
			ab_k::fail("internal", 0, "%s: parameter %zu: the "
			    "pointer is not at an element of its array", c.fn,
			    i + 1);
		c.w.u8(1);
		c.w.u64(max / sizeof(T));
		for (std::size_t k = 0; k < max / sizeof(T); k++)
			ab_wire::put(c.w, p[k]);
	}
	c.ext[i] = max;
	c.present[i] = true;
	if (!std::is_const_v<V>)
		c.back += max;
}

// A non-const reference parameter: its final value.
template<class P, class V> void
back(call &c, V &v, std::size_t)
{
	std::remove_cv_t<V> x = ab_wire::get_new<std::remove_cv_t<V>>(c.r);

	v = std::move(x);
}

template<class P, class V> void
back_ptr(call &c, V *p, std::size_t i)
{
	using T = std::remove_cv_t<V>;

	if (!c.present[i])
		return;
	if constexpr (ab_wire::raw_v<T>) {
		const unsigned char *s = c.r.need(c.ext[i]);

		// Unchanged bytes are not written: a string literal passed
		// to a char * stays untouched.
		if (c.ext[i] > 0 && std::memcmp(p, s, c.ext[i]) != 0)
			std::memcpy(static_cast<void *>(p), s, c.ext[i]);
	} else {
		for (std::size_t k = 0; k < c.ext[i] / sizeof(T); k++) {
			T x{};

			ab_wire::get(c.r, x);
			p[k] = std::move(x);
		}
	}
}

template<class R> auto
ret(call &c)
{
	using T = std::remove_cv_t<R>;

	if constexpr (std::is_same_v<T, char *> ||
	    std::is_same_v<T, const char *>) {
		unsigned char f = *c.r.need(1);
		std::uint64_t n;

		if (f == 0)
			return static_cast<T>(nullptr);
		if (f != 1)
			c.r.bad("a bad string");
		return static_cast<T>(ab_wire::get_cstr(c.r, &n));
	} else {
		static_assert(!std::is_pointer_v<T>, "ab-exec: only char * "
		    "strings can be returned through the proxy");
		return ab_wire::get_new<T>(c.r);
	}
}

}	// namespace ab_k

static int ab_k_run_test_(int ab_index_);

// ---- the solution's declarations (ab-exec's view of solution.cpp) ----
@@DECLS@@
// ---- end of the view ----
#line 1 "ab-exec checker"
#undef NDEBUG
#include <cassert>

@@PROXIES@@

// Both sides must name the same types (a macro of the solution could
// change them on its side only).
void
ab_k::hello()
{
	std::uint32_t m, cpu;
	std::uint64_t cnt, sn;
	std::size_t count = 0, n;
	char *a, *s;
	ab_k::reader r;

	ab_k::greeted = true;
	a = ab_k::frame(std::size_t{1} << 20, nullptr, &n);
	if (a[0] == static_cast<char>(ab_wire::DYING))
		ab_k::dying(a, n, nullptr);
	while (ab_types[count] != nullptr)
		count++;
	r.p = reinterpret_cast<const unsigned char *>(a);
	r.n = n;
	r.pos = 1;
	r.fn = "greeting";
	if (a[0] != static_cast<char>(ab_wire::HELLO))
		r.bad("not a greeting");
	std::memcpy(&m, r.need(4), 4);
	std::memcpy(&cpu, r.need(4), 4);
	std::memcpy(&cnt, r.need(8), 8);
	if (m != ab_wire::magic || cnt != count)
		r.bad("not a greeting");
	(void)ab_wire::pin(cpu);
	for (std::size_t i = 0; i < count; i++) {
		s = ab_wire::get_cstr(r, &sn);
		if (std::strcmp(s, ab_types[i]) != 0)
			ab_k::fail("runtime_error", 0, "the solution's process "
			    "disagrees with the checker on the type of %s: "
			    "does a macro change it?", ab_k_names[i]);
		std::free(s);
	}
	if (r.left() != 0)
		r.bad("greeting too long");
	std::free(a);
}

// The standard exceptions as themselves when the solution's headers
// declare them (libstdc++'s <stdexcept>), any other std::exception as a
// wire_exception, anything else as a foreign_exception.
void
ab_k::rethrow(const char *type, const char *what)
{
#ifdef _GLIBCXX_STDEXCEPT
	static const struct {
		const char *name;
		void (*raise)(const char *);
	} std_types[] = {
		{ "St16invalid_argument", [](const char *w) {
			throw std::invalid_argument(w); } },
		{ "St12out_of_range", [](const char *w) {
			throw std::out_of_range(w); } },
		{ "St12domain_error", [](const char *w) {
			throw std::domain_error(w); } },
		{ "St12length_error", [](const char *w) {
			throw std::length_error(w); } },
		{ "St11logic_error", [](const char *w) {
			throw std::logic_error(w); } },
		{ "St13runtime_error", [](const char *w) {
			throw std::runtime_error(w); } },
		{ "St11range_error", [](const char *w) {
			throw std::range_error(w); } },
		{ "St14overflow_error", [](const char *w) {
			throw std::overflow_error(w); } },
		{ "St15underflow_error", [](const char *w) {
			throw std::underflow_error(w); } },
	};

	for (const auto &t : std_types)
		if (std::strcmp(type, t.name) == 0)
			t.raise(what);
#endif
	if (*type != '\0') {
		ab_k::wire_exception e;

		std::snprintf(e.msg, sizeof e.msg, "%s", what);
		throw e;
	}
	ab_k::foreign_exception e;

	std::snprintf(e.msg, sizeof e.msg, "%s", what);
	throw e;
}

int
main(int argc, char **argv)
{
	const char *nonce = std::getenv("AB_NONCE");
	char rec[200];
	int n;

	if (nonce == nullptr || std::strlen(nonce) >= sizeof ab_k::nonce)
		return 125;
	std::snprintf(ab_k::nonce, sizeof ab_k::nonce, "%s", nonce);
	unsetenv("AB_NONCE");
	if (argc > 1) {
		char *end;
		long v = std::strtol(argv[1], &end, 10);

		if (*end == '\0' && v >= 0 && v < INT_MAX)
			ab_k::index = static_cast<int>(v);
	}
	if (ab_k::index < 0)
		return 125;
	std::signal(SIGPIPE, SIG_IGN);
	ab_k::hello();
	if (ab_k_run_test_(ab_k::index) != 0)
		return 1;
	std::fflush(stdout);
	n = std::snprintf(rec, sizeof rec, "%s {\"test\":%d,\"status\":"
	    "\"pass\"}\n", ab_k::nonce, ab_k::index);
	if (ab_wire::write_all(3, rec, static_cast<std::size_t>(n)) < 0)
		return 125;
	return 0;
}

#line 1 "ab-exec checker"
static int
ab_k_run_test_(int ab_index_)
{
	switch (ab_index_) {
@@TESTS@@
	default:
		std::exit(125);
	}
	return 0;
}
