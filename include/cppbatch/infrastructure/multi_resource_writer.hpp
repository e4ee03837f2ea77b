// MultiResourceWriter<T>: writes items to a series of files, starting a
// new one every `items_per_resource` items (Spring's
// MultiResourceItemWriter): out-001.csv, out-002.csv... A delegate writer
// is made per file by a factory, so each file gets its own header and
// footer.
//
//   MultiResourceWriter<Trade> writer(
//       {.path_pattern = "/data/out/trades-%03d.csv", .items_per_resource = 10000},
//       [](const std::string& path) {
//         return std::make_unique<DelimitedFileWriter<Trade>>(
//             DelimitedWriterOptions{.path = path, .header = "isin,qty"}, format_trade);
//       });
//
// Files are numbered from 1. Every file holds exactly items_per_resource
// items (the last one the rest): a chunk that crosses the limit is split
// — which copies the items of the split chunk, so T must be copyable. The
// first file is created by open() (an empty input gives one file with its
// header and footer only); the next file is created when an item has to
// go to it.
//
// Restart: update() saves <name>.resource.index (1-based file number),
// <name>.resource.items (items in that file) and the delegate's keys
// (its committed offset). open() reopens that file with them, so the
// delegate truncates it to its committed offset and writing continues in
// it; files after it are recreated when reached. discard_uncommitted()
// (a chunk rolled back in-process: retry, skip scan) cuts the current file
// back, or, when the chunk had moved on to later files, reopens the last
// committed file at its committed offset (later files are recreated when
// reached again). Not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/infrastructure/file_resources.hpp"

namespace cppbatch {

struct MultiResourceWriterOptions {
  // Output names: numbered_file_name(path_pattern, n), e.g. "out-%03d.csv".
  std::string path_pattern{};
  // Or any naming (n = 1, 2, ...); wins over path_pattern when set.
  std::function<std::string(int64_t n)> resource_namer{};
  // Items per file, > 0. Required.
  int64_t items_per_resource = 0;
  // Prefix of the context keys. The delegate keeps its own keys.
  std::string name = "multiResourceWriter";
};

template <class T>
class MultiResourceWriter : public ItemWriter<T>, public ItemStream {
  static_assert(std::is_copy_constructible_v<T>, "MultiResourceWriter splits chunks: T must be copyable");

 public:
  // Builds the writer of one file; it must also be an ItemStream.
  using Factory = std::function<std::unique_ptr<ItemWriter<T>>(const std::string& path)>;

  MultiResourceWriter(MultiResourceWriterOptions options, Factory factory)
      : options_(std::move(options)),
        factory_(std::move(factory)),
        index_key_(options_.name + ".resource.index"),
        items_key_(options_.name + ".resource.items") {
    if (!factory_) throw std::invalid_argument("MultiResourceWriter: empty factory");
    if (options_.items_per_resource <= 0) {
      throw std::invalid_argument("MultiResourceWriter '" + options_.name + "': items_per_resource must be > 0");
    }
    if (!options_.resource_namer) {
      (void)numbered_file_name(options_.path_pattern, 1);  // validates the pattern
    }
  }

  void open(ExecutionContext& context) override {
    close();
    std::optional<int64_t> saved = context.get_long(index_key_);
    if (saved) {
      index_ = *saved;
      items_ = context.get_long(items_key_).value_or(0);
      open_current(context);
      committed_ = context;
    } else {
      index_ = 1;
      items_ = 0;
      ExecutionContext fresh;
      open_current(fresh);
      committed_ = fresh;
    }
    committed_index_ = index_;
    committed_items_ = items_;
  }

  void write(const Chunk<T>& chunk) override {
    if (current_ == nullptr) throw std::logic_error("writer '" + options_.name + "': write() before open()");
    size_t done = 0;
    while (done < chunk.size()) {
      if (items_ >= options_.items_per_resource) roll_over();
      const size_t room = static_cast<size_t>(options_.items_per_resource - items_);
      const size_t take = std::min(room, chunk.size() - done);
      if (done == 0 && take == chunk.size()) {
        current_->write(chunk);
      } else {
        part_.clear();
        for (size_t i = done; i < done + take; ++i) part_.add(chunk[i]);
        current_->write(part_);
        part_.clear();
      }
      items_ += static_cast<int64_t>(take);
      done += take;
    }
  }

  void update(ExecutionContext& context) override {
    if (stream_ == nullptr) return;
    context.put_long(index_key_, index_);
    context.put_long(items_key_, items_);
    stream_->update(context);
    if (index_ != committed_index_) committed_ = ExecutionContext();
    stream_->update(committed_);  // the delegate's committed keys, to reopen after a rollback
    committed_index_ = index_;
    committed_items_ = items_;
  }

  void discard_uncommitted() override {
    if (stream_ == nullptr) return;
    if (index_ == committed_index_) {
      stream_->discard_uncommitted();
      items_ = committed_items_;
      return;
    }
    close();
    index_ = committed_index_;
    items_ = committed_items_;
    ExecutionContext reopen = committed_;
    open_current(reopen);
  }

  // Closes the current file (its footer is written).
  void close() override {
    if (stream_ != nullptr) stream_->close();
    current_.reset();
    stream_ = nullptr;
  }

  // The file being written (1-based number, path).
  int64_t resource_index() const { return index_; }
  std::string current_resource() const { return name_of(index_); }

 private:
  std::string name_of(int64_t n) const {
    return options_.resource_namer ? options_.resource_namer(n)
                                   : numbered_file_name(options_.path_pattern, n);
  }

  void roll_over() {
    close();
    ++index_;
    items_ = 0;
    ExecutionContext fresh;  // a new file starts fresh; update() saves its keys
    open_current(fresh);
  }

  void open_current(ExecutionContext& context) {
    current_ = factory_(name_of(index_));
    stream_ = dynamic_cast<ItemStream*>(current_.get());
    if (current_ == nullptr || stream_ == nullptr) {
      current_.reset();
      stream_ = nullptr;
      throw std::invalid_argument("writer '" + options_.name +
                                  "': the factory must return a writer that is an ItemStream");
    }
    stream_->open(context);
  }

  MultiResourceWriterOptions options_;
  Factory factory_;
  std::string index_key_, items_key_;
  int64_t index_ = 1;
  int64_t items_ = 0;
  int64_t committed_index_ = 1;
  int64_t committed_items_ = 0;
  ExecutionContext committed_;  // the delegate's keys as of the last update() of its file
  std::unique_ptr<ItemWriter<T>> current_;
  ItemStream* stream_ = nullptr;
  Chunk<T> part_;
};

}  // namespace cppbatch
