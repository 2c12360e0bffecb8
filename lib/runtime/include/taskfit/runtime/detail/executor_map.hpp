// map() as every executor runs it: the inputs go out in chunks of MapOptions::chunksize, one task
// a chunk, and the results come back in input order. Only how a chunk becomes a task differs
// (a closure on a thread pool, a serialized call on a process pool).
#pragma once

#include "taskfit/runtime/executor_options.hpp"
#include "taskfit/runtime/future.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <iterator>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>
#include <vector>

namespace taskfit::detail {

// The chunks' results in order, all within `timeout`. On the first failure (or the timeout) every
// chunk is cancelled, so those not started never run, and the exception is rethrown.
template <class Result>
std::vector<Result> collect_chunks(std::vector<Future<std::vector<Result>>>& chunks,
                                   std::optional<std::chrono::nanoseconds> timeout) {
  const auto deadline =
      std::chrono::steady_clock::now() + timeout.value_or(std::chrono::nanoseconds(0));
  std::vector<Result> results;
  try {
    for (auto& chunk : chunks) {
      auto& values =
          timeout ? chunk.result(deadline - std::chrono::steady_clock::now()) : chunk.result();
      if (results.empty())
        results = std::move(values); // the first chunk's results are taken, not copied
      else
        std::move(values.begin(), values.end(), std::back_inserter(results));
    }
  } catch (...) {
    for (auto& chunk : chunks)
      chunk.cancel();
    throw;
  }
  return results;
}

// Hands `inputs`, as `Input`s, to `submit_chunk` in chunks of options.chunksize and collects the
// results. submit_chunk(std::vector<Input>&) returns the Future<std::vector<Result>> of one
// chunk; it may move the inputs out, and what it leaves is cleared (the vector's memory serves
// the next chunk).
template <class Input, class Result, std::ranges::input_range Inputs, class SubmitChunk>
std::vector<Result> map_in_chunks(Inputs&& inputs, const MapOptions& options,
                                  SubmitChunk&& submit_chunk) {
  const std::size_t chunksize = options.chunksize == 0 ? 1 : options.chunksize;
  std::vector<Future<std::vector<Result>>> chunks;
  std::vector<Input> chunk;
  auto submit = [&] {
    chunks.push_back(submit_chunk(chunk));
    chunk.clear();
  };
  for (auto&& input : inputs) {
    // Explicitly: a process pool's inputs travel as its function's parameter type, which the
    // range's elements may convert to only explicitly.
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(input)>, Input>)
      chunk.push_back(std::forward<decltype(input)>(input));
    else
      chunk.push_back(static_cast<Input>(std::forward<decltype(input)>(input)));
    if (chunk.size() == chunksize)
      submit();
  }
  if (!chunk.empty())
    submit();
  return collect_chunks(chunks, options.timeout);
}

} // namespace taskfit::detail
