// Synchronous generators: a coroutine returning one runs its body in the
// context of whoever iterates it, so it is not async context by itself.
// cppcoro::generator is listed in rules/executors.yaml (generator-types);
// mini::generator is an in-house type the rules do not know, recognised
// because its coroutines only co_yield.
#ifndef TASKFIT_LIT_GENERATOR_H
#define TASKFIT_LIT_GENERATOR_H

#include <coroutine>

namespace detail_gen {
template <class T, class Self>
class basic_generator {
public:
  struct promise_type {
    Self get_return_object() noexcept;
    std::suspend_always initial_suspend() const noexcept;
    std::suspend_always final_suspend() const noexcept;
    std::suspend_always yield_value(T value) noexcept;
    void return_void() noexcept;
    void unhandled_exception() noexcept;
  };
  struct iterator {
    T operator*() const;
    iterator& operator++();
    bool operator!=(const iterator&) const;
  };
  iterator begin();
  iterator end();
};
} // namespace detail_gen

namespace cppcoro {
template <class T>
class generator : public detail_gen::basic_generator<T, generator<T>> {};
} // namespace cppcoro

namespace mini {
template <class T>
class generator : public detail_gen::basic_generator<T, generator<T>> {};
} // namespace mini

#endif
