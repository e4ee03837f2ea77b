// The restart contract of a writer, run by the writer tests: write chunks,
// "fail" after k committed chunks — one more chunk written but never
// committed, then the writer is either closed (as the step engine does
// after a failure: footers get written) or simply destroyed (a crash) —
// restart with the committed context and finish. The output must equal an
// uninterrupted run's: nothing missing, nothing twice, no stale footer.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "cppbatch/core/chunk.hpp"
#include "io_test_support.hpp"

namespace cppbatch::testing {

enum class Failure { CLOSE_WITHOUT_UPDATE, CRASH };

template <class Writer, class T>
void run_writer(const std::function<std::unique_ptr<Writer>()>& make, const std::vector<T>& items,
                size_t chunk_size, std::optional<size_t> fail_after = std::nullopt,
                Failure failure = Failure::CLOSE_WITHOUT_UPDATE) {
  auto chunks = [&](size_t from, size_t to, Writer& writer, ExecutionContext& ctx, bool commit) {
    for (size_t c = from; c < to; ++c) {
      Chunk<T> chunk;
      for (size_t i = c * chunk_size; i < std::min(items.size(), (c + 1) * chunk_size); ++i) {
        chunk.add(items[i]);
      }
      writer.write(chunk);
      if (commit) writer.update(ctx);
    }
  };
  const size_t total = (items.size() + chunk_size - 1) / chunk_size;
  ExecutionContext ctx;
  if (!fail_after) {
    auto writer = make();
    writer->open(ctx);
    chunks(0, total, *writer, ctx, true);
    writer->close();
    return;
  }
  ExecutionContext committed;
  {
    auto writer = make();
    writer->open(ctx);
    committed = persisted(ctx);  // saved right after open, as the engine does
    chunks(0, *fail_after, *writer, ctx, true);
    committed = persisted(ctx);
    chunks(*fail_after, std::min(total, *fail_after + 1), *writer, ctx, false);  // never committed
    if (failure == Failure::CLOSE_WITHOUT_UPDATE) writer->close();
  }
  auto writer = make();
  writer->open(committed);
  chunks(*fail_after, total, *writer, committed, true);
  writer->close();
}

}  // namespace cppbatch::testing
