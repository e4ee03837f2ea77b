// ItemStream: the restart contract for anything that holds a position
// (readers, writers). The step engine calls, on the step's thread:
//   open(ctx)   once before the first chunk; ctx holds what the last
//               committed chunk of a previous execution saved (empty on a
//               first run) — resume from there;
//   update(ctx) inside every chunk transaction, after the write, to save
//               the position reached (it is committed with the chunk);
//   close()     once at the end, whatever the outcome.
// Keys should be prefixed with the component's name so two streams of one
// step do not collide. Defaults do nothing.
#pragma once

#include "cppbatch/core/execution_context.hpp"

namespace cppbatch {

class ItemStream {
 public:
  virtual ~ItemStream() = default;
  virtual void open(ExecutionContext& context) { (void)context; }
  virtual void update(ExecutionContext& context) { (void)context; }
  virtual void close() {}
};

}  // namespace cppbatch
