// MultiResourceReader<T>: reads several files one after the other through
// a delegate reader made per file (Spring's MultiResourceItemReader) — a
// glob of daily files, the parts of an export. Files are taken in name
// order (byte order); the delegate factory builds the reader of one file.
//
//   MultiResourceReader<Trade> reader(
//       {.pattern = "/data/in/trades-*.csv.gz"},
//       [](const std::string& path) {
//         return std::make_unique<DelimitedFileReader<Trade>>(
//             DelimitedReaderOptions{.path = path, .header_as_names = true}, map_trade);
//       });
//
// Parse errors come from the delegate and name the file they are about
// (ParseError::resource()); current_resource() tells which file is read.
//
// Restart: update() saves <name>.resource.index (0-based), <name>.resource
// (its path) and the delegate's own keys (its position in that file);
// open() reopens that file with them, so reading resumes in the right file
// at the right record. The file list is resolved again at open(): if the
// file at the saved index is not the saved one, open() fails. Files are
// opened one at a time. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/file_resources.hpp"

namespace cppbatch {

struct MultiResourceReaderOptions {
  // The files, in this order. Or:
  std::vector<std::string> paths{};
  // a glob (find_files), used when `paths` is empty.
  std::string pattern{};
  // Prefix of the context keys. The delegate keeps its own keys.
  std::string name = "multiResourceReader";
  // true: no file at all fails open(); false: no items.
  bool strict = true;
  // false: nothing saved, nothing restored.
  bool save_state = true;
};

template <class T>
class MultiResourceReader : public ItemReader<T>, public ItemStream {
 public:
  // Builds the reader of one file; it must also be an ItemStream.
  using Factory = std::function<std::unique_ptr<ItemReader<T>>(const std::string& path)>;

  MultiResourceReader(MultiResourceReaderOptions options, Factory factory)
      : options_(std::move(options)),
        factory_(std::move(factory)),
        index_key_(options_.name + ".resource.index"),
        path_key_(options_.name + ".resource") {
    if (!factory_) throw std::invalid_argument("MultiResourceReader: empty factory");
    if (options_.paths.empty() && options_.pattern.empty()) {
      throw std::invalid_argument("MultiResourceReader '" + options_.name + "': no paths and no pattern");
    }
  }

  // Resolves the files and opens the one to read (the first, or the saved
  // one on restart with the context's delegate keys). std::runtime_error:
  // no file (strict), or the saved file is no longer at its index.
  void open(ExecutionContext& context) override {
    close();
    resources_ = options_.paths.empty() ? find_files(options_.pattern) : options_.paths;
    if (resources_.empty() && options_.strict) {
      throw std::runtime_error("reader '" + options_.name + "': no input file matches '" +
                               options_.pattern + "'");
    }
    index_ = 0;
    std::optional<int64_t> saved =
        options_.save_state ? context.get_long(index_key_) : std::nullopt;
    if (saved) {
      index_ = static_cast<size_t>(*saved);
      if (index_ < resources_.size()) {
        std::string saved_path = context.get_string(path_key_).value_or("");
        if (saved_path != resources_[index_]) {
          throw std::runtime_error("reader '" + options_.name + "': restart expects '" +
                                   saved_path + "' as file " + std::to_string(index_ + 1) +
                                   " but found '" + resources_[index_] +
                                   "' — did the set of input files change?");
        }
        open_current(context);
      }
      return;
    }
    if (!resources_.empty()) {
      ExecutionContext fresh;
      open_current(fresh);
    }
  }

  std::optional<T> read() override {
    while (index_ < resources_.size()) {
      if (current_ == nullptr) throw std::logic_error("reader '" + options_.name + "': read() before open()");
      if (auto item = current_->read()) return item;
      stream_->close();
      current_.reset();
      stream_ = nullptr;
      ++index_;
      if (index_ < resources_.size()) {
        ExecutionContext fresh;
        open_current(fresh);
      }
    }
    return std::nullopt;
  }

  void update(ExecutionContext& context) override {
    if (!options_.save_state) return;
    context.put_long(index_key_, static_cast<int64_t>(index_));
    context.put_string(path_key_, index_ < resources_.size() ? resources_[index_] : std::string());
    if (stream_ != nullptr) stream_->update(context);
  }

  void close() override {
    if (stream_ != nullptr) stream_->close();
    current_.reset();
    stream_ = nullptr;
  }

  // The file being read; empty after the last one.
  std::string current_resource() const {
    return index_ < resources_.size() ? resources_[index_] : std::string();
  }
  const std::vector<std::string>& resources() const { return resources_; }

 private:
  void open_current(ExecutionContext& context) {
    current_ = factory_(resources_[index_]);
    stream_ = dynamic_cast<ItemStream*>(current_.get());
    if (current_ == nullptr || stream_ == nullptr) {
      current_.reset();
      stream_ = nullptr;
      throw std::invalid_argument("reader '" + options_.name +
                                  "': the factory must return a reader that is an ItemStream");
    }
    stream_->open(context);
  }

  MultiResourceReaderOptions options_;
  Factory factory_;
  std::string index_key_, path_key_;
  std::vector<std::string> resources_;
  size_t index_ = 0;
  std::unique_ptr<ItemReader<T>> current_;
  ItemStream* stream_ = nullptr;  // current_ as a stream
};

}  // namespace cppbatch
