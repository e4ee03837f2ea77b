// ItemWriter<T>: the sink of a chunk step. write() receives all the items
// of one chunk, inside the chunk's transaction; throwing rolls the chunk
// back. A writer whose resource is not the repository's database must be
// idempotent (upsert) or transactional (a file writer truncates to the last
// committed offset on restart): see docs/transactions.md.
#pragma once

#include "cppbatch/core/chunk.hpp"

namespace cppbatch {

template <class T>
class ItemWriter {
 public:
  using item_type = T;
  virtual ~ItemWriter() = default;
  virtual void write(const Chunk<T>& chunk) = 0;
};

}  // namespace cppbatch
