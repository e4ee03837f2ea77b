// ItemReader<T>: the source of a chunk step. read() returns the next item,
// or an empty optional at end of input (and keeps returning empty after).
// May throw on bad input (the engine classifies the error; see skip
// policies). Not required to be thread-safe: a multi-threaded step wraps it
// in a synchronizing reader. Readers that hold a position also implement
// ItemStream so a restart resumes after the last committed chunk.
//
//   class Counter : public ItemReader<int> {
//     int n_ = 0;
//    public:
//     std::optional<int> read() override { return n_ < 3 ? std::optional(n_++) : std::nullopt; }
//   };
#pragma once

#include <optional>

namespace cppbatch {

template <class T>
class ItemReader {
 public:
  using item_type = T;
  virtual ~ItemReader() = default;
  virtual std::optional<T> read() = 0;
};

}  // namespace cppbatch
