// taskfit::Transferable: what may cross a process boundary. Values that cereal can write and read
// back; never identities (pointers, references, views, handles), behaviour (closures,
// std::function) or synchronisation state (mutexes, atomics, threads), even where cereal would
// accept them (cereal serialises std::atomic and smart pointers, which would silently copy a
// snapshot or duplicate ownership on the other side).
//
// A user type opts in by giving cereal a serialize (or save/load) function:
//   struct Job { std::string path; int level;
//                template <class Archive> void serialize(Archive& a) { a(path, level); } };
#pragma once

#include <array>
#include <atomic>
#include <cereal/archives/binary.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/chrono.hpp>
#include <cereal/types/deque.hpp>
#include <cereal/types/list.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/set.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/tuple.hpp>
#include <cereal/types/unordered_map.hpp>
#include <cereal/types/unordered_set.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/variant.hpp>
#include <cereal/types/vector.hpp>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <ios>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <span>
#include <string_view>
#include <thread>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace taskfit {

namespace detail {

template <class T, template <class...> class Template>
struct is_specialisation_of : std::false_type {};
template <template <class...> class Template, class... Args>
struct is_specialisation_of<Template<Args...>, Template> : std::true_type {};
template <class T, template <class...> class Template>
inline constexpr bool is_specialisation_of_v = is_specialisation_of<T, Template>::value;

template <class T>
struct is_span : std::false_type {};
template <class T, std::size_t Extent>
struct is_span<std::span<T, Extent>> : std::true_type {};

template <class T>
inline constexpr bool is_view_v =
    is_specialisation_of_v<T, std::basic_string_view> || is_span<T>::value;

template <class T>
inline constexpr bool is_smart_pointer_v =
    is_specialisation_of_v<T, std::unique_ptr> || is_specialisation_of_v<T, std::shared_ptr> ||
    is_specialisation_of_v<T, std::weak_ptr>;

template <class T>
inline constexpr bool is_function_wrapper_v = is_specialisation_of_v<T, std::function>;

template <class T>
inline constexpr bool is_sync_primitive_v =
    std::is_same_v<T, std::mutex> || std::is_same_v<T, std::recursive_mutex> ||
    std::is_same_v<T, std::timed_mutex> || std::is_same_v<T, std::recursive_timed_mutex> ||
    std::is_same_v<T, std::shared_mutex> || std::is_same_v<T, std::condition_variable> ||
    std::is_same_v<T, std::condition_variable_any> || std::is_same_v<T, std::thread> ||
    std::is_same_v<T, std::jthread> || is_specialisation_of_v<T, std::atomic>;

template <class T>
inline constexpr bool is_stream_or_handle_v =
    std::is_base_of_v<std::ios_base, T> || std::is_same_v<T, std::FILE>;

// Lambdas and other callables without a serialize function: behaviour, not data.
template <class T>
concept callable_object = std::is_class_v<T> && requires { &T::operator(); };

template <class T>
inline constexpr bool has_cereal_serialization_v =
    cereal::traits::is_output_serializable<T, cereal::BinaryOutputArchive>::value &&
    cereal::traits::is_input_serializable<T, cereal::BinaryInputArchive>::value;

template <class T>
constexpr bool transferable_shape() {
  return std::is_object_v<T> && !std::is_const_v<T> && !std::is_volatile_v<T> &&
         !std::is_pointer_v<T> && !std::is_member_pointer_v<T> && !std::is_array_v<T> &&
         !is_view_v<T> && !is_smart_pointer_v<T> && !is_function_wrapper_v<T> &&
         !is_sync_primitive_v<T> && !is_stream_or_handle_v<T> && std::is_move_constructible_v<T> &&
         std::is_default_constructible_v<T>;
}

// Standard containers are looked into: cereal would reject a vector<int*> only deep inside its
// own templates; here the element type is named.
template <class T>
struct elements_transferable;

} // namespace detail

template <class T>
concept Transferable = detail::transferable_shape<T>() && detail::elements_transferable<T>::value &&
                       detail::has_cereal_serialization_v<T>;

namespace detail {

template <class T>
struct elements_transferable : std::true_type {};

template <class T, class A>
struct elements_transferable<std::vector<T, A>> : std::bool_constant<Transferable<T>> {};
template <class T, class A>
struct elements_transferable<std::deque<T, A>> : std::bool_constant<Transferable<T>> {};
template <class T, class A>
struct elements_transferable<std::list<T, A>> : std::bool_constant<Transferable<T>> {};
template <class T, std::size_t N>
struct elements_transferable<std::array<T, N>> : std::bool_constant<Transferable<T>> {};
template <class T>
struct elements_transferable<std::optional<T>> : std::bool_constant<Transferable<T>> {};
template <class K, class C, class A>
struct elements_transferable<std::set<K, C, A>> : std::bool_constant<Transferable<K>> {};
template <class K, class H, class E, class A>
struct elements_transferable<std::unordered_set<K, H, E, A>> : std::bool_constant<Transferable<K>> {
};
template <class K, class V, class C, class A>
struct elements_transferable<std::map<K, V, C, A>>
    : std::bool_constant<Transferable<K> && Transferable<V>> {};
template <class K, class V, class H, class E, class A>
struct elements_transferable<std::unordered_map<K, V, H, E, A>>
    : std::bool_constant<Transferable<K> && Transferable<V>> {};
template <class A, class B>
struct elements_transferable<std::pair<A, B>>
    : std::bool_constant<Transferable<A> && Transferable<B>> {};
template <class... Ts>
struct elements_transferable<std::tuple<Ts...>> : std::bool_constant<(Transferable<Ts> && ...)> {};
template <class... Ts>
struct elements_transferable<std::variant<Ts...>> : std::bool_constant<(Transferable<Ts> && ...)> {
};

template <class T>
struct element_types {
  using type = std::tuple<>;
};
template <class T, class A>
struct element_types<std::vector<T, A>> {
  using type = std::tuple<T>;
};
template <class T, class A>
struct element_types<std::deque<T, A>> {
  using type = std::tuple<T>;
};
template <class T, class A>
struct element_types<std::list<T, A>> {
  using type = std::tuple<T>;
};
template <class T, std::size_t N>
struct element_types<std::array<T, N>> {
  using type = std::tuple<T>;
};
template <class T>
struct element_types<std::optional<T>> {
  using type = std::tuple<T>;
};
template <class K, class C, class A>
struct element_types<std::set<K, C, A>> {
  using type = std::tuple<K>;
};
template <class K, class V, class C, class A>
struct element_types<std::map<K, V, C, A>> {
  using type = std::tuple<K, V>;
};
template <class K, class V, class H, class E, class A>
struct element_types<std::unordered_map<K, V, H, E, A>> {
  using type = std::tuple<K, V>;
};
template <class A, class B>
struct element_types<std::pair<A, B>> {
  using type = std::tuple<A, B>;
};
template <class... Ts>
struct element_types<std::tuple<Ts...>> {
  using type = std::tuple<Ts...>;
};
template <class... Ts>
struct element_types<std::variant<Ts...>> {
  using type = std::tuple<Ts...>;
};

// Compile-time diagnosis: one static_assert per reason, instantiated with the offending type so
// the compiler's "in instantiation of ... [with T = ...]" line names it.
template <class T>
constexpr bool diagnose_not_transferable();

template <class Tuple, std::size_t... I>
constexpr bool diagnose_elements(std::index_sequence<I...>) {
  return (diagnose_not_transferable<std::tuple_element_t<I, Tuple>>() && ...);
}

template <class T>
constexpr bool diagnose_not_transferable() {
  if constexpr (Transferable<T>) {
    return true;
  } else {
    static_assert(!std::is_reference_v<T>,
                  "taskfit::Transferable: a reference cannot cross a process boundary; take the "
                  "parameter by value (writes to it would be lost in the worker)");
    static_assert(!std::is_pointer_v<T> && !std::is_member_pointer_v<T>,
                  "taskfit::Transferable: a pointer cannot cross a process boundary; send the "
                  "value it points to");
    static_assert(!is_view_v<T>,
                  "taskfit::Transferable: a view (string_view, span) does not own its data; send "
                  "a std::string or std::vector");
    static_assert(!is_smart_pointer_v<T>,
                  "taskfit::Transferable: a smart pointer is an identity, not a value; send the "
                  "value it owns");
    static_assert(!is_function_wrapper_v<T> && !callable_object<T>,
                  "taskfit::Transferable: behaviour (std::function, lambda, closure) cannot cross "
                  "a process boundary; name a function with submit<&fn>(...) and send data");
    static_assert(!is_sync_primitive_v<T>,
                  "taskfit::Transferable: a mutex, condition variable, atomic or thread is local "
                  "to one process");
    static_assert(!is_stream_or_handle_v<T>,
                  "taskfit::Transferable: a stream or FILE is a handle local to one process; "
                  "send a path or the contents");
    static_assert(std::is_move_constructible_v<T> || std::is_reference_v<T>,
                  "taskfit::Transferable: the type is not movable (does it hold a mutex, atomic, "
                  "thread or stream?)");
    static_assert(std::is_default_constructible_v<T> || std::is_reference_v<T>,
                  "taskfit::Transferable: the receiving side default-constructs the value before "
                  "reading it; give the type a default constructor");
    if constexpr (!std::is_reference_v<T> && !std::is_pointer_v<T>) {
      using Elements = typename element_types<std::remove_cv_t<T>>::type;
      diagnose_elements<Elements>(std::make_index_sequence<std::tuple_size_v<Elements>>());
      static_assert(transferable_shape<T>() == false || !elements_transferable<T>::value ||
                        has_cereal_serialization_v<T>,
                    "taskfit::Transferable: cereal cannot serialise this type; give it a "
                    "serialize(Archive&) function (or include the cereal/types header for it)");
    }
    return false;
  }
}

// Used by ProcessPool::submit/map: fails to compile with the reasons above for any parameter or
// result that is not Transferable.
template <class T>
inline constexpr bool require_transferable = diagnose_not_transferable<T>();

} // namespace detail

} // namespace taskfit
