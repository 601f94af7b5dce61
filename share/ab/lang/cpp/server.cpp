// ab-exec server for C++ assertion tests: the solution as written, and a
// stub that reads calls from the checker on fd 3, calls the solution's
// functions and writes back what they returned (see abwire.hpp).  It runs
// under the solution's uid, without the run's nonce; the checker trusts
// nothing it sends.
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <typeinfo>

#include <unistd.h>

#include "abwire.hpp"

namespace ab_s {

constexpr int sock = 3;

struct reader {
	const unsigned char *p = nullptr;
	std::size_t n = 0, pos = 0;

	[[noreturn]] void bad(const char *) { _exit(1); }
	const unsigned char *need(std::size_t k)
	{
		const unsigned char *q;

		if (n - pos < k)
			bad("short");
		q = p + pos;
		pos += k;
		return q;
	}
	std::size_t left() const { return n - pos; }
};

// The objects of held unions the checker refers to (by index): the
// solution's own values, kept for the rest of the test, never destroyed.
template<class T> std::vector<T *> &
objects()
{
	static std::vector<T *> v;

	return v;
}

template<class T> std::uint64_t
keep(T *p)
{
	objects<T>().push_back(p);
	return objects<T>().size() - 1;
}

// A held union's member function is called on self.
template<class T> struct self {
	T *p = nullptr;
};

}	// namespace ab_s

namespace ab_wire {
template<class T> struct held_io {
	template<class R> static T *find(R &r, std::uint64_t *idp = nullptr)
	{
		std::uint64_t id;
		auto &o = ab_s::objects<T>();

		std::memcpy(&id, r.need(sizeof id), sizeof id);
		if (id >= o.size())
			r.bad("no such object");
		if (idp != nullptr)
			*idp = id;
		return o[id];
	}
	template<class W> static void put(W &w, const T &v)
	{
		if constexpr (std::is_copy_constructible_v<T>)
			w.u64(ab_s::keep(new T(v)));
		else
			w.u64(ab_wire::no_object);
	}
	template<class R> static T make(R &r)
	{
		T *p = find(r);

		if constexpr (std::is_copy_constructible_v<T>)
			return T(*p);
		else
			r.bad("cannot copy");
	}
	template<class R> static void get(R &r, T &v)
	{
		T *p = find(r);

		if constexpr (std::is_copy_assignable_v<T>)
			v = *p;
		else
			r.bad("cannot copy");
	}
};

template<class T> struct io<ab_s::self<T>, void> {
	static constexpr std::size_t min() { return 8; }
	template<class R> static void get(R &r, ab_s::self<T> &v)
	{
		v.p = held_io<T>::find(r);
	}
};
}	// namespace ab_wire

namespace ab_s {

// How each parameter is received, passed and sent back.
template<class A, class = void> struct holder {
	using T = std::decay_t<A>;
	T v{};

	explicit holder(reader &r) { ab_wire::get(r, v); }
	holder(const holder &) = delete;
	holder &operator=(const holder &) = delete;
	A value()
	{
		if constexpr (std::is_rvalue_reference_v<A>)
			return std::move(v);
		else
			return v;
	}
	void back(ab_wire::writer &w)
	{
		if constexpr (std::is_lvalue_reference_v<A> &&
		    !std::is_const_v<std::remove_reference_t<A>>)
			ab_wire::put(w, v);
		else
			(void)w;
	}
};

// A held union: the object itself (a copy for a value parameter); a
// non-const reference sends back its index.
template<class A> struct holder<A, std::enable_if_t<ab_wire::is_held<
    std::decay_t<A>>::value>> {
	using T = std::decay_t<A>;
	T *p;
	std::uint64_t id = 0;

	explicit holder(reader &r) { p = ab_wire::held_io<T>::find(r, &id); }
	holder(const holder &) = delete;
	holder &operator=(const holder &) = delete;
	A value() { return static_cast<A>(*p); }
	void back(ab_wire::writer &w)
	{
		if constexpr (std::is_lvalue_reference_v<A> &&
		    !std::is_const_v<std::remove_reference_t<A>>)
			w.u64(id);
		else
			(void)w;
	}
};

template<class A> struct holder<A, std::enable_if_t<std::is_pointer_v<A>>> {
	using E = std::remove_pointer_t<A>;
	using T = std::remove_cv_t<E>;
	unsigned char *bytes = nullptr;
	T *elems = nullptr;
	std::uint64_t n = 0;
	bool present = false;

	explicit holder(reader &r)
	{
		unsigned char f = *r.need(1);

		if (f == 0)
			return;
		present = true;
		std::memcpy(&n, r.need(8), 8);
		if (n > r.left())
			r.bad("short");
		if constexpr (ab_wire::raw_v<T>) {
			// Zeroed slack after the object: a string without its
			// NUL reads zeros, not the stub's memory.
			bytes = new unsigned char[n + 64]();
			std::memcpy(bytes, r.need(n), n);
		} else {
			elems = new T[n + 1]();
			for (std::uint64_t k = 0; k < n; k++)
				ab_wire::get(r, elems[k]);
		}
	}
	holder(const holder &) = delete;
	holder &operator=(const holder &) = delete;
	~holder()
	{
		delete[] bytes;
		delete[] elems;
	}
	A value()
	{
		if (!present)
			return nullptr;
		if constexpr (ab_wire::raw_v<T>)
			return reinterpret_cast<A>(bytes);
		else
			return elems;
	}
	void back(ab_wire::writer &w)
	{
		if constexpr (!std::is_const_v<E>) {
			if (!present)
				return;
			if constexpr (ab_wire::raw_v<T>) {
				w.raw(bytes, n);
			} else {
				for (std::uint64_t k = 0; k < n; k++)
					ab_wire::put(w, elems[k]);
			}
		} else {
			(void)w;
		}
	}
};

// The arguments, read in order, each held where the call sees it.
template<class... A> struct pack;

template<> struct pack<> {
	explicit pack(reader &) {}
	template<class F, class... V> decltype(auto) call(F f, V &&...v)
	{
		return f(std::forward<V>(v)...);
	}
	void back(ab_wire::writer &) {}
};

template<class A0, class... A> struct pack<A0, A...> {
	holder<A0> h;
	pack<A...> rest;

	explicit pack(reader &r) : h(r), rest(r) {}
	template<class F, class... V> decltype(auto) call(F f, V &&...v)
	{
		return rest.call(f, std::forward<V>(v)..., h.value());
	}
	void back(ab_wire::writer &w)
	{
		h.back(w);
		rest.back(w);
	}
};

template<class R> void
put_ret(ab_wire::writer &w, const R &r)
{
	using T = std::remove_cv_t<R>;

	if constexpr (std::is_same_v<T, char *> ||
	    std::is_same_v<T, const char *>) {
		if (r == nullptr) {
			w.u8(0);
		} else {
			w.u8(1);
			ab_wire::put_cstr(w, r);
		}
	} else {
		ab_wire::put(w, r);
	}
}

static void
exception(ab_wire::writer &w, const char *type, const char *what)
{
	w.clear();
	w.u8(ab_wire::EXC);
	ab_wire::put_cstr(w, type);
	ab_wire::put_cstr(w, what);
}

template<class R, class... A> void
handler(void (*fp)(), reader &in, ab_wire::writer &w)
{
	auto f = reinterpret_cast<R (*)(A...)>(fp);
	pack<A...> args(in);

	if (in.pos != in.n)
		in.bad("long");
	try {
		if constexpr (std::is_void_v<R>) {
			args.call(f);
			w.u8(ab_wire::OK);
		} else if constexpr (ab_wire::is_held<std::remove_cv_t<R>>::
		    value) {
			// kept where the call made it (it may not copy)
			auto *p = new std::remove_cv_t<R>(args.call(f));

			w.u8(ab_wire::OK);
			w.u64(ab_s::keep(p));
		} else {
			R r = args.call(f);

			w.u8(ab_wire::OK);
			ab_s::put_ret<R>(w, r);
		}
	} catch (const std::exception &e) {
		ab_s::exception(w, typeid(e).name(), e.what());
		return;
	} catch (...) {
		ab_s::exception(w, "", "");
		return;
	}
	args.back(w);
}

struct fn {
	void (*f)();
	void (*call)(void (*)(), reader &, ab_wire::writer &);
};

template<class R, class... A> fn
make(R (*f)(A...))
{
	return fn{ reinterpret_cast<void (*)()>(f), &ab_s::handler<R, A...> };
}

// Dying of a signal: say so to the checker, then die of it.
static void
dying(int sig)
{
	unsigned char f[9];
	std::uint32_t len = 5, s = static_cast<std::uint32_t>(sig);

	std::memcpy(f, &len, 4);
	f[4] = ab_wire::DYING;
	std::memcpy(f + 5, &s, 4);
	if (::write(sock, f, sizeof f) < 0) {
		// dying anyway
	}
	std::signal(sig, SIG_DFL);
	std::raise(sig);
}

static int
serve(const fn *fns, std::size_t nfns, const char *const *types)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
	    SIGSYS, SIGTRAP, SIGXCPU, SIGXFSZ };
	static char altstack[65536];
	struct sigaction sa;
	stack_t ss;
	ab_wire::writer w;
	unsigned char *req = nullptr;
	static ab_wire::in rd(sock);
	std::uint32_t n, idx;

	ss.ss_sp = altstack;
	ss.ss_size = sizeof altstack;
	ss.ss_flags = 0;
	sigaltstack(&ss, nullptr);
	std::memset(&sa, 0, sizeof sa);
	sa.sa_handler = ab_s::dying;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (int s : sigs)
		sigaction(s, &sa, nullptr);
	std::uint32_t cpu = ab_wire::pin(static_cast<unsigned>(-1));

	w.u8(ab_wire::HELLO);
	w.raw(&ab_wire::magic, sizeof ab_wire::magic);
	w.raw(&cpu, sizeof cpu);
	w.u64(nfns);
	for (std::size_t i = 0; i < nfns; i++)
		ab_wire::put_cstr(w, types[i]);
	if (ab_wire::send(sock, w) < 0)
		return 0;
	for (;;) {
		reader in;
		unsigned char *q;

		if (ab_wire::read_all(rd, &n, sizeof n) < 0)
			return 0;
		if (n < 4)
			return 1;
		if ((q = static_cast<unsigned char *>(std::realloc(req, n))) ==
		    nullptr)
			std::abort();
		req = q;
		if (ab_wire::read_all(rd, req, n) < 0)
			return 0;
		std::memcpy(&idx, req, 4);
		if (idx >= nfns)
			return 1;
		in.p = req;
		in.n = n;
		in.pos = 4;
		w.clear();
		fns[idx].call(fns[idx].f, in, w);
		std::fflush(stdout);
		if (ab_wire::send(sock, w) < 0)
			return 0;
	}
}

}	// namespace ab_s

#line 1 "@@SOURCE@@"
@@SOLUTION@@

// Whatever the solution defined, the stub sees the real language.
#undef main
#undef if
#undef else
#undef for
#undef while
#undef do
#undef switch
#undef case
#undef default
#undef break
#undef continue
#undef return
#undef goto
#undef int
#undef char
#undef long
#undef short
#undef unsigned
#undef signed
#undef float
#undef double
#undef void
#undef const
#undef static
#undef struct
#undef template
#undef typename
#undef class
#undef sizeof
#undef nullptr
#undef typeid
#undef static_cast
#undef decltype
#undef std

@@SERVER@@
