// ChunkListener: callbacks around each chunk transaction. before_chunk
// runs after the transaction began, after_chunk after it committed,
// after_chunk_error after it rolled back. No-op defaults.
#pragma once

#include <exception>

#include "cppbatch/core/chunk_context.hpp"

namespace cppbatch {

class ChunkListener {
 public:
  virtual ~ChunkListener() = default;
  virtual void before_chunk(ChunkContext& context) { (void)context; }
  virtual void after_chunk(ChunkContext& context) { (void)context; }
  virtual void after_chunk_error(ChunkContext& context, const std::exception& error) {
    (void)context;
    (void)error;
  }
};

}  // namespace cppbatch
