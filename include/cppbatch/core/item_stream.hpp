// ItemStream: the restart contract for anything that holds a position
// (readers, writers). The step engine calls, on the step's thread:
//   open(ctx)   once before the first chunk; ctx holds what the last
//               committed chunk of a previous execution saved (empty on a
//               first run) — resume from there;
//   update(ctx) inside every chunk transaction, after the write, to save
//               the position reached (it is committed with the chunk);
//   close()     once at the end, whatever the outcome.
//   discard_uncommitted()
//               after a chunk transaction rolled back, when the step may
//               carry on in the same process (a fault-tolerant step retries
//               the chunk or writes it again item by item): drop whatever
//               was written since the last update(), so the rolled-back
//               chunk leaves nothing behind (e.g. a file writer cuts the
//               file back to its committed size). Throw only when that
//               is impossible: the step then fails instead of carrying on.
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
  virtual void discard_uncommitted() {}
};

}  // namespace cppbatch
