// abwire.hpp - the wire between the checker and the server of a C++
// assertion test (ab-exec(1)); included by checker.cpp and server.cpp.
//
// The checker (the test code, holding the run's nonce) talks to the
// server (the solution) over a socket: the checker's fd 4, the server's
// fd 3.  Frames: a 4-byte length in host order, then that many bytes.
//   hello (server, once):  u8 3, u32 magic, u32 the server's CPU, u64
//                          count, then count strings (the carried
//                          functions' types, as the server's text names
//                          them)
//   call (checker):        u32 function index, then each argument:
//                          a value (see below); a pointer as u8 0 (NULL),
//                          or u8 1, u64 n and the n bytes from the
//                          pointer to the end of its object (numbers)
//                          or its n values (other types)
//   answer (server):       u8 0, the return value (char *: u8 0 for NULL,
//                          or u8 1 and a string), then the final value of
//                          each non-const reference and of what each
//                          non-const pointer that was not NULL points to,
//                          in order
//   exception (server):    u8 1, the mangled type name and what() as
//                          strings
//   dying (server):        u8 2, u32 signal number
// A value: numbers, enums and char as their bytes; bool as one byte, 0
// or 1; a string (std::basic_string) as u64 length and the characters;
// a sequence (std::vector, std::deque, std::list) or a set as u64 count
// and the elements; a map as u64 count and the pairs; std::pair,
// std::tuple, std::array and C arrays as their elements; std::optional
// as u8 0, or u8 1 and the value; std::any and boost::any as u8 0
// (empty), or the index (from 1) of the type it holds in any_types and
// that type's value (a char * as a string), or u8 255 for a type not in
// the list (which the reader refuses); plain structs member by member
// (ab-exec writes those specialisations); a held union (a union of the
// solution with constructors and member functions, whose active member
// cannot be known) as the u64 index of the object in the server, which
// keeps it (no_object: one it could not keep).  Anything else does not
// compile.  The standard containers are recognised by their members, so
// this header needs few of theirs (<string>, <vector> and <map>, for
// the types a std::any may hold).
// The reader (the checker) bounds every count by the bytes left.
#ifndef AB_ABWIRE_HPP
#define AB_ABWIRE_HPP

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

namespace ab_wire {

constexpr std::uint32_t magic = 0x32574241u;	// "ABW2"
constexpr unsigned char OK = 0, EXC = 1, DYING = 2, HELLO = 3;
constexpr std::uint64_t max_zero_size = 1u << 20;	// elements of size 0

// A growing buffer (no std::string: this header stays light).
struct writer {
	char *p = nullptr;
	std::size_t len = 0, cap = 0;

	writer() = default;
	writer(const writer &) = delete;
	writer &operator=(const writer &) = delete;
	~writer() { std::free(p); }
	void raw(const void *s, std::size_t n)
	{
		if (n == 0)
			return;
		if (cap - len < n) {
			std::size_t c = cap ? cap : 256;

			while (c - len < n) {
				if (c > SIZE_MAX / 2)
					std::abort();
				c *= 2;
			}
			char *q = static_cast<char *>(std::realloc(p, c));

			if (q == nullptr)
				std::abort();
			p = q;
			cap = c;
		}
		std::memcpy(p + len, s, n);
		len += n;
	}
	void u8(unsigned v)
	{
		unsigned char c = static_cast<unsigned char>(v);

		raw(&c, 1);
	}
	void u64(std::uint64_t v) { raw(&v, sizeof v); }
	void clear() { len = 0; }
};

// A reader R has need(n) (n bytes or it fails), left() and bad(why).
template<class R> std::uint64_t
count(R &r, std::size_t elem_min)
{
	std::uint64_t n;

	std::memcpy(&n, r.need(sizeof n), sizeof n);
	if (elem_min > 0 ? n > r.left() / elem_min : n > max_zero_size)
		r.bad("a count beyond the answer");
	return n;
}

// What a type is, by its members.
enum class cat { none, raw, boolean, string, seq, set, map, tuple, opt, any,
    held };

// A union the server holds: the solution's own type in the server, a
// stand-in of the same name in the checker (ab-exec specialises is_held
// for each); held_io<T> is each side's (checker.cpp, server.cpp).
template<class T> struct is_held : std::false_type {};
struct remote_id {
	std::uint64_t id;
};
constexpr std::uint64_t no_object = UINT64_MAX;
template<class T> struct held_io;

template<class T, class = void> struct has_key : std::false_type {};
template<class T> struct has_key<T, std::void_t<typename T::key_type>> :
    std::true_type {};
template<class T, class = void> struct has_mapped : std::false_type {};
template<class T> struct has_mapped<T, std::void_t<typename T::mapped_type>> :
    std::true_type {};
template<class T, class = void> struct is_string : std::false_type {};
template<class T> struct is_string<T, std::void_t<typename T::traits_type,
    typename T::value_type, decltype(std::declval<T &>().resize(0)),
    decltype(std::declval<const T &>().data())>> : std::true_type {};
template<class T, class = void> struct is_seq : std::false_type {};
template<class T> struct is_seq<T, std::void_t<typename T::value_type,
    decltype(std::declval<T &>().push_back(
    std::declval<typename T::value_type>())),
    decltype(std::declval<T &>().clear()),
    decltype(std::declval<const T &>().size()),
    decltype(std::declval<const T &>().begin())>> : std::true_type {};
template<class T, class = void> struct is_set : std::false_type {};
template<class T> struct is_set<T, std::void_t<typename T::key_type,
    typename T::value_type, decltype(std::declval<T &>().insert(
    std::declval<typename T::value_type>())),
    decltype(std::declval<T &>().clear()),
    decltype(std::declval<const T &>().size())>> : std::true_type {};
template<class T, class = void> struct is_tuple : std::false_type {};
template<class T> struct is_tuple<T,
    std::void_t<decltype(std::tuple_size<T>::value)>> : std::true_type {};
template<class T, class = void> struct is_opt : std::false_type {};
template<class T> struct is_opt<T, std::void_t<typename T::value_type,
    decltype(std::declval<const T &>().has_value()),
    decltype(std::declval<T &>().reset()),
    decltype(std::declval<T &>().emplace(
    std::declval<typename T::value_type>()))>> : std::true_type {};
template<class T, class = void> struct is_contiguous : std::false_type {};
template<class T> struct is_contiguous<T, std::void_t<
    decltype(std::declval<T &>().data()),
    decltype(std::declval<T &>().resize(0))>> : std::true_type {};

// std::any, boost::any: what they hold has a type().
template<class T, class = void> struct is_any : std::false_type {};
template<class T> struct is_any<T, std::enable_if_t<std::is_same_v<
    decltype(std::declval<const T &>().type()), const std::type_info &>>> :
    std::true_type {};

template<class T> constexpr bool raw_v = (std::is_arithmetic_v<T> ||
    std::is_enum_v<T>) && !std::is_same_v<T, bool>;

template<class T> constexpr cat
cat_of()
{
	if constexpr (is_held<T>::value)
		return cat::held;
	else if constexpr (raw_v<T>)
		return cat::raw;
	else if constexpr (std::is_same_v<T, bool>)
		return cat::boolean;
	else if constexpr (!std::is_class_v<T>)
		return cat::none;
	else if constexpr (is_any<T>::value)
		return cat::any;
	else if constexpr (is_string<T>::value)
		return cat::string;
	else if constexpr (is_tuple<T>::value)
		return cat::tuple;
	else if constexpr (has_key<T>::value && has_mapped<T>::value &&
	    is_set<T>::value)
		return cat::map;
	else if constexpr (has_key<T>::value && is_set<T>::value)
		return cat::set;
	else if constexpr (is_seq<T>::value)
		return cat::seq;
	else if constexpr (is_opt<T>::value)
		return cat::opt;
	else
		return cat::none;
}

template<class T, class = void> struct io {
	static_assert(sizeof(T) == 0, "ab-exec: this type cannot be carried "
	    "between the checker and the solution's process (see ab-exec(1): "
	    "numbers, bool, char, enums, std::string, std::vector, "
	    "std::array, std::deque, std::list, std::pair, std::tuple, "
	    "std::optional, std::map, std::unordered_map, std::set, "
	    "std::unordered_set and plain structs of these)");
};

template<class T> constexpr std::size_t
min_of()
{
	return io<std::remove_cv_t<T>>::min();
}

template<class W, class T> void
put(W &w, const T &v)
{
	io<std::remove_cv_t<T>>::put(w, v);
}

template<class R, class T> void
get(R &r, T &v)
{
	io<std::remove_cv_t<T>>::get(r, v);
}

// A new value read from r (a held union has no default constructor).
template<class E, class R> E
get_new(R &r)
{
	if constexpr (cat_of<E>() == cat::held) {
		return held_io<E>::make(r);
	} else {
		E x{};

		ab_wire::get(r, x);
		return x;
	}
}

template<class T> struct io<T, std::enable_if_t<cat_of<T>() == cat::held>> {
	static constexpr std::size_t min() { return 8; }
	template<class W> static void put(W &w, const T &v)
	{
		held_io<T>::put(w, v);
	}
	template<class R> static void get(R &r, T &v)
	{
		held_io<T>::get(r, v);
	}
};

template<class T> struct io<T, std::enable_if_t<cat_of<T>() == cat::raw>> {
	static constexpr std::size_t min() { return sizeof(T); }
	template<class W> static void put(W &w, const T &v)
	{
		w.raw(&v, sizeof v);
	}
	template<class R> static void get(R &r, T &v)
	{
		std::memcpy(&v, r.need(sizeof v), sizeof v);
	}
};

template<class T> struct io<T, std::enable_if_t<cat_of<T>() ==
    cat::boolean>> {
	static constexpr std::size_t min() { return 1; }
	template<class W> static void put(W &w, const bool &v)
	{
		w.u8(v ? 1 : 0);
	}
	template<class R> static void get(R &r, bool &v)
	{
		unsigned char c = *r.need(1);

		if (c > 1)
			r.bad("a bool that is neither 0 nor 1");
		v = c == 1;
	}
};

template<class T> struct io<T, std::enable_if_t<cat_of<T>() == cat::string>> {
	using C = typename T::value_type;

	static constexpr std::size_t min() { return 8; }
	template<class W> static void put(W &w, const T &v)
	{
		w.u64(v.size());
		w.raw(v.data(), v.size() * sizeof(C));
	}
	template<class R> static void get(R &r, T &v)
	{
		std::uint64_t n = ab_wire::count(r, sizeof(C));

		v.resize(static_cast<std::size_t>(n));
		if (n > 0)
			std::memcpy(&v[0], r.need(n * sizeof(C)), n * sizeof(C));
	}
};

// Sequences (numbers of a contiguous one in bulk) and sets.
template<class T> struct io<T, std::enable_if_t<cat_of<T>() == cat::seq ||
    cat_of<T>() == cat::set>> {
	using E = typename T::value_type;

	static constexpr std::size_t min() { return 8; }
	template<class W> static void put(W &w, const T &v)
	{
		w.u64(v.size());
		if constexpr (raw_v<E> && is_contiguous<T>::value)
			w.raw(v.data(), v.size() * sizeof(E));
		else
			for (const auto &x : v)
				ab_wire::put(w, static_cast<const E &>(x));
	}
	template<class R> static void get(R &r, T &v)
	{
		std::uint64_t n = ab_wire::count(r, ab_wire::min_of<E>());

		v.clear();
		if constexpr (raw_v<E> && is_contiguous<T>::value) {
			v.resize(static_cast<std::size_t>(n));
			if (n > 0)
				std::memcpy(v.data(), r.need(n * sizeof(E)),
				    n * sizeof(E));
		} else {
			for (std::uint64_t i = 0; i < n; i++) {
				E x = ab_wire::get_new<E>(r);

				if constexpr (cat_of<T>() == cat::set)
					v.insert(std::move(x));
				else
					v.push_back(std::move(x));
			}
		}
	}
};

// Maps: count, then key and value of each.
template<class T> struct io<T, std::enable_if_t<cat_of<T>() == cat::map>> {
	using K = typename T::key_type;
	using V = typename T::mapped_type;

	static constexpr std::size_t min() { return 8; }
	template<class W> static void put(W &w, const T &v)
	{
		w.u64(v.size());
		for (const auto &x : v) {
			ab_wire::put(w, x.first);
			ab_wire::put(w, x.second);
		}
	}
	template<class R> static void get(R &r, T &v)
	{
		std::uint64_t n = ab_wire::count(r, ab_wire::min_of<K>() +
		    ab_wire::min_of<V>());

		v.clear();
		for (std::uint64_t i = 0; i < n; i++) {
			K k = ab_wire::get_new<K>(r);
			V x = ab_wire::get_new<V>(r);

			v.insert(typename T::value_type(std::move(k),
			    std::move(x)));
		}
	}
};

// std::get of the element I, found at instantiation (the solution's
// headers declare those of std::tuple and std::array).
namespace adl {
using std::get;

template<std::size_t I, class T> decltype(auto)
el(T &t)
{
	return get<I>(t);
}
}	// namespace adl

// std::pair, std::tuple, std::array: their elements.
template<class T> struct io<T, std::enable_if_t<cat_of<T>() == cat::tuple>> {
	static constexpr std::size_t N = std::tuple_size<T>::value;

	template<std::size_t... I> static constexpr std::size_t
	min_i(std::index_sequence<I...>)
	{
		return (std::size_t{0} + ... + ab_wire::min_of<
		    std::remove_reference_t<decltype(adl::el<I>(
		    std::declval<T &>()))>>());
	}
	static constexpr std::size_t min()
	{
		return min_i(std::make_index_sequence<N>{});
	}
	template<class W, std::size_t... I> static void
	put_i(W &w, const T &v, std::index_sequence<I...>)
	{
		(ab_wire::put(w, adl::el<I>(v)), ...);
		(void)w;
	}
	template<class R, std::size_t... I> static void
	get_i(R &r, T &v, std::index_sequence<I...>)
	{
		(ab_wire::get(r, adl::el<I>(v)), ...);
		(void)r;
	}
	template<class W> static void put(W &w, const T &v)
	{
		put_i(w, v, std::make_index_sequence<N>{});
	}
	template<class R> static void get(R &r, T &v)
	{
		get_i(r, v, std::make_index_sequence<N>{});
	}
};

template<class T> struct io<T, std::enable_if_t<cat_of<T>() == cat::opt>> {
	using E = typename T::value_type;

	static constexpr std::size_t min() { return 1; }
	template<class W> static void put(W &w, const T &v)
	{
		w.u8(v.has_value() ? 1 : 0);
		if (v.has_value())
			ab_wire::put(w, *v);
	}
	template<class R> static void get(R &r, T &v)
	{
		unsigned char c = *r.need(1);

		if (c > 1)
			r.bad("a bad std::optional");
		v.reset();
		if (c == 1)
			v.emplace(ab_wire::get_new<E>(r));
	}
};

// The value held by a std::any or boost::any, through the any_cast of
// its namespace (found by argument-dependent lookup; the declaration
// below only makes any_cast<U>(...) parse as a template).
namespace adl_any {
struct none_;
template<class U> U *any_cast(none_ *);

template<class U, class A> const U *
held(const A &a)
{
	return any_cast<U>(&a);
}
}	// namespace adl_any

template<class R> char *get_cstr(R &r, std::uint64_t *n);
template<class W> void put_cstr(W &w, const char *s);

template<class... U> struct types {};
// What a std::any may hold and still cross: the numbers, char strings,
// std::string, and the empty containers of MultiPL-E's tests (each type
// listed costs compile time in every program that carries a std::any).
using any_types = types<bool, char, signed char, unsigned char, short,
    unsigned short, int, unsigned, long, unsigned long, long long,
    unsigned long long, float, double, long double, const char *, char *,
    std::string, std::vector<long>, std::vector<int>,
    std::map<long, long>>;

template<class T> struct io<T, std::enable_if_t<cat_of<T>() == cat::any>> {
	static constexpr std::size_t min() { return 1; }
	template<unsigned K, class W> static void
	put_k(W &w, const T &, types<>)
	{
		w.u8(255);
	}
	template<unsigned K, class W, class U, class... Us> static void
	put_k(W &w, const T &v, types<U, Us...>)
	{
		const U *p = adl_any::held<U>(v);

		if (p == nullptr) {
			put_k<K + 1>(w, v, types<Us...>{});
			return;
		}
		w.u8(K);
		if constexpr (std::is_pointer_v<U>)
			ab_wire::put_cstr(w, *p != nullptr ? *p : "");
		else
			ab_wire::put(w, *p);
	}
	template<unsigned K, class R> static void
	get_k(R &r, T &, unsigned, types<>)
	{
		r.bad("a std::any holding a type ab-exec cannot carry");
	}
	template<unsigned K, class R, class U, class... Us> static void
	get_k(R &r, T &v, unsigned c, types<U, Us...>)
	{
		if (c != K) {
			get_k<K + 1>(r, v, c, types<Us...>{});
		} else if constexpr (std::is_pointer_v<U>) {
			std::uint64_t n;

			v = static_cast<U>(ab_wire::get_cstr(r, &n));	// never freed
		} else {
			U x{};

			ab_wire::get(r, x);
			v = std::move(x);
		}
	}
	template<class W> static void put(W &w, const T &v)
	{
		if (v.type() == typeid(void))
			w.u8(0);
		else
			put_k<1>(w, v, any_types{});
	}
	template<class R> static void get(R &r, T &v)
	{
		unsigned c = *r.need(1);

		v = T();
		if (c != 0)
			get_k<1>(r, v, c, any_types{});
	}
};

template<class T, std::size_t N> struct io<T[N], void> {
	static constexpr std::size_t min() { return N * ab_wire::min_of<T>(); }
	template<class W> static void put(W &w, const T (&v)[N])
	{
		for (const auto &x : v)
			ab_wire::put(w, x);
	}
	template<class R> static void get(R &r, T (&v)[N])
	{
		for (auto &x : v)
			ab_wire::get(r, x);
	}
};

// Frames.
inline int
write_all(int fd, const void *p, std::size_t n)
{
	const char *s = static_cast<const char *>(p);

	while (n > 0) {
		ssize_t w = ::write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= static_cast<std::size_t>(w);
	}
	return 0;
}

// Both programs on one CPU: a call then costs a quarter of what it
// costs across CPUs (wake-ups between virtual CPUs are slow).  The
// server pins itself to the CPU it runs on and names it in its hello,
// the checker follows; only a hint.
inline unsigned
pin(unsigned cpu)
{
	unsigned long mask[16] = {};

	if (cpu == static_cast<unsigned>(-1) &&
	    ::syscall(SYS_getcpu, &cpu, nullptr, nullptr) < 0)
		return static_cast<unsigned>(-1);
	if (cpu >= 8 * sizeof mask)
		return static_cast<unsigned>(-1);
	mask[cpu / (8 * sizeof mask[0])] |= 1UL << (cpu % (8 * sizeof mask[0]));
	if (::syscall(SYS_sched_setaffinity, 0, sizeof mask, mask) < 0)
		return static_cast<unsigned>(-1);
	return cpu;
}

// A buffered reader: one read() usually brings a whole frame.
struct in {
	int fd;
	std::size_t pos = 0, len = 0;
	unsigned char buf[65536];

	explicit in(int f) : fd(f) {}
};

// Read exactly n bytes; 0, or -1 at the end of input or on an error.
inline int
read_all(in &r, void *p, std::size_t n)
{
	unsigned char *s = static_cast<unsigned char *>(p);
	ssize_t k;

	for (;;) {
		std::size_t c = r.len - r.pos < n ? r.len - r.pos : n;

		std::memcpy(s, r.buf + r.pos, c);
		r.pos += c;
		s += c;
		n -= c;
		if (n == 0)
			return 0;
		if (n >= sizeof r.buf) {
			while (n > 0) {
				if ((k = ::read(r.fd, s, n)) <= 0) {
					if (k < 0 && errno == EINTR)
						continue;
					return -1;
				}
				s += k;
				n -= static_cast<std::size_t>(k);
			}
			return 0;
		}
		r.pos = r.len = 0;
		while ((k = ::read(r.fd, r.buf, sizeof r.buf)) <= 0)
			if (k == 0 || errno != EINTR)
				return -1;
		r.len = static_cast<std::size_t>(k);
	}
}

// Send b as one frame, in one writev() when the socket takes it.
inline int
send(int fd, const writer &b)
{
	std::uint32_t n = static_cast<std::uint32_t>(b.len);
	struct iovec iov[2];
	int i = 0;
	ssize_t w;

	if (b.len > UINT32_MAX)
		return -1;
	iov[0].iov_base = &n;
	iov[0].iov_len = sizeof n;
	iov[1].iov_base = b.p;
	iov[1].iov_len = b.len;
	while (i < 2) {
		if ((w = ::writev(fd, iov + i, 2 - i)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (i < 2 && static_cast<std::size_t>(w) >= iov[i].iov_len) {
			w -= static_cast<ssize_t>(iov[i].iov_len);
			i++;
		}
		if (i < 2) {
			iov[i].iov_base = static_cast<char *>(iov[i].iov_base) +
			    w;
			iov[i].iov_len -= static_cast<std::size_t>(w);
		}
	}
	return 0;
}

// A string on the wire, as a new NUL-terminated buffer (n: its length).
template<class R> char *
get_cstr(R &r, std::uint64_t *n)
{
	char *s;

	*n = ab_wire::count(r, 1);
	if ((s = static_cast<char *>(std::malloc(*n + 1))) == nullptr)
		std::abort();
	std::memcpy(s, r.need(*n), *n);
	s[*n] = '\0';
	return s;
}

template<class W> void
put_cstr(W &w, const char *s)
{
	std::size_t n = std::strlen(s);

	w.u64(n);
	w.raw(s, n);
}

}	// namespace ab_wire

#endif
