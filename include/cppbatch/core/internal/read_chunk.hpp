// internal::read_chunk: the read half of a plain chunk — items from the
// reader, with the read listeners around each read, until the completion
// policy says the chunk is full or the reader ends. Shared by
// ChunkOrientedStep (on the step's thread) and ReadAhead (on its reading
// thread), which passes a flag that ends the loop early when set.
#pragma once

#include <atomic>
#include <exception>
#include <memory>
#include <optional>
#include <vector>

#include "cppbatch/core/chunk.hpp"
#include "cppbatch/core/completion_policy.hpp"
#include "cppbatch/core/item_listeners.hpp"
#include "cppbatch/core/item_reader.hpp"

namespace cppbatch::internal {

// Appends the chunk's items to `items`; true when the reader reached the
// end of input. A reader's exception is passed to on_read_error and
// rethrown.
template <class I>
bool read_chunk(ItemReader<I>& reader, const std::vector<std::shared_ptr<ItemReadListener<I>>>& listeners,
                CompletionPolicy& policy, Chunk<I>& items, const std::atomic<bool>* stop = nullptr) {
  policy.start();
  while (stop == nullptr || !stop->load(std::memory_order_relaxed)) {
    for (auto& l : listeners) l->before_read();
    std::optional<I> item;
    try {
      item = reader.read();
    } catch (const std::exception& error) {
      for (auto& l : listeners) l->on_read_error(error);
      throw;
    }
    if (!item) return true;
    for (auto& l : listeners) l->after_read(*item);
    items.add(std::move(*item));
    if (policy.is_complete(items.size())) return false;
  }
  return false;
}

}  // namespace cppbatch::internal
