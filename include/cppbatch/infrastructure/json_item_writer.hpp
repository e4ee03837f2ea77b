// JsonItemWriter<T>: a restartable, transactional ItemWriter to a JSON
// array file or a JSON Lines file (Spring's JsonFileItemWriter). Each item
// becomes one JSON value through a formatter given at construction:
//   - returning an nlohmann::json (convenient; it is dumped compactly), or
//   - appending the value's JSON text to a std::string (fast, no
//     intermediate objects; append_json_string() escapes strings).
// write() formats the whole chunk into one reused buffer and appends it
// with a single write(2).
//
//   JsonItemWriter<Trade> writer({.path = "trades.json"},
//       [](const Trade& t) { return nlohmann::json{{"isin", t.isin}, {"qty", t.quantity}}; });
//   JsonItemWriter<Trade> lines({.path = "trades.jsonl", .format = JsonFormat::LINES},
//       [](const Trade& t, std::string& out) {
//         out += "{\"isin\":"; append_json_string(out, t.isin);
//         out += ",\"qty\":"; out += std::to_string(t.quantity); out += '}';
//       });
//   JsonItemWriter<Record> records({.path = "out.json"}, append_record_json);
//
// File layout. ARRAY: "[" at a fresh start, then "\n" before the first item
// and ",\n" before every other, and "\n]\n" (or "]\n" when empty) at
// close(). LINES: each item followed by "\n".
//
// Transactional (TransactionalFileOutput): update() commits the file size;
// a restart cuts the file back to the last committed size — which never
// includes the closing "]", written at close() only — and continues, the
// separator depending on the committed item count. The finished file is
// byte-identical to an uninterrupted run's, and valid JSON. A run that
// fails still closes the array at close() (the file is valid JSON, holding
// what was written); the restart removes that bracket again.
//
// Not thread-safe. The formatter must not throw for valid items; if it
// does (or writes nothing, or a line break in LINES format), nothing of the
// chunk is written.
#pragma once

#include <concepts>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/infrastructure/json_element_reader.hpp"
#include "cppbatch/infrastructure/record.hpp"
#include "cppbatch/infrastructure/transactional_file_output.hpp"

namespace cppbatch {

struct JsonWriterOptions {
  // The file to write. Required. Its directory must exist.
  std::string path{};
  // Prefix of the ExecutionContext keys <name>.offset, <name>.written.
  std::string name = "jsonWriter";
  JsonFormat format = JsonFormat::ARRAY;
  // LINES only: a fresh start appends to an existing file instead of
  // truncating it. (ARRAY refuses it: one file holds one array.)
  bool append = false;
  // fdatasync() in update() (see DelimitedWriterOptions::sync_on_commit
  // for the cost).
  bool sync_on_commit = false;
};

// Appends `text` as a JSON string literal (quotes, escapes for '"', '\\'
// and control characters; other bytes, UTF-8 included, as is).
void append_json_string(std::string& out, std::string_view text);

// Appends `record` as a JSON object with its fields in layout order (the
// Record formatter: JsonItemWriter<Record>(options, append_record_json)).
// null, booleans, integers and strings map to themselves; doubles to the
// shortest text that reads back the same (NaN and infinities, which JSON
// cannot hold, to null); dates and date-times to ISO strings. Unlike
// record_to_json (whose nlohmann object orders keys by name) it keeps the
// field order and builds no intermediate objects.
void append_record_json(const Record& record, std::string& out);

template <class T>
class JsonItemWriter : public ItemWriter<T>, public ItemStream {
 public:
  // Appends one item's JSON text to `out`.
  using Formatter = std::function<void(const T&, std::string& out)>;

  // Throws std::invalid_argument on an empty path or formatter, or append
  // with ARRAY.
  JsonItemWriter(JsonWriterOptions options, Formatter formatter)
      : options_(std::move(options)),
        formatter_(std::move(formatter)),
        output_(options_.path, options_.name, options_.append, options_.sync_on_commit) {
    if (!formatter_) throw std::invalid_argument("JsonItemWriter: empty formatter");
    if (options_.append && options_.format == JsonFormat::ARRAY) {
      throw std::invalid_argument("JsonItemWriter '" + options_.name +
                                  "': append is for JSON Lines, not for an array file");
    }
  }

  // A formatter returning nlohmann::json (dumped compactly, UTF-8 kept).
  template <class F>
    requires std::is_invocable_r_v<nlohmann::json, F, const T&>
  JsonItemWriter(JsonWriterOptions options, F to_json)
      : JsonItemWriter(std::move(options),
                       Formatter([f = std::move(to_json)](const T& item, std::string& out) {
                         out += nlohmann::json(std::invoke(f, item)).dump();
                       })) {}

  // Fresh start: truncates (LINES: or appends) and, ARRAY, writes "[".
  // Restart: truncates to the committed offset. See
  // TransactionalFileOutput::open for errors.
  void open(ExecutionContext& context) override {
    if (output_.open(context) && options_.format == JsonFormat::ARRAY) {
      output_.write("[", 0);
      output_.update(context);
    }
  }

  void write(const Chunk<T>& chunk) override {
    buffer_.clear();
    const bool array = options_.format == JsonFormat::ARRAY;
    int64_t n = output_.records();
    for (const T& item : chunk) {
      if (array) buffer_ += n == 0 ? "\n" : ",\n";
      const size_t start = buffer_.size();
      formatter_(item, buffer_);
      if (buffer_.size() == start) {
        throw std::invalid_argument("JsonItemWriter '" + options_.name +
                                    "': the formatter wrote nothing for an item");
      }
      if (!array) {
        if (std::memchr(buffer_.data() + start, '\n', buffer_.size() - start) != nullptr) {
          throw std::invalid_argument("JsonItemWriter '" + options_.name +
                                      "': the formatter wrote a line break (JSON Lines needs "
                                      "one value per line)");
        }
        buffer_ += '\n';
      }
      ++n;
    }
    output_.write(buffer_, static_cast<int64_t>(chunk.size()));
  }

  void update(ExecutionContext& context) override { output_.update(context); }

  // ARRAY: writes the closing bracket (not part of any committed offset).
  // Closes the file. Idempotent. Throws std::system_error when the bracket
  // cannot be written (the file is closed anyway).
  void close() override {
    if (!output_.is_open()) return;
    try {
      if (options_.format == JsonFormat::ARRAY) {
        output_.write(output_.records() == 0 ? "]\n" : "\n]\n", 0);
      }
    } catch (...) {
      output_.close();
      throw;
    }
    output_.close();
  }

  // Cuts the file back to the last update() (a chunk rolled back in-process).
  void discard_uncommitted() override { output_.discard_uncommitted(); }
  const TransactionalFileOutput& output() const { return output_; }

 private:
  JsonWriterOptions options_;
  Formatter formatter_;
  TransactionalFileOutput output_;
  std::string buffer_;  // one chunk's text; keeps its capacity
};

}  // namespace cppbatch
