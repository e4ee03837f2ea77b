// MultiLineReader<T>: aggregates several physical records into one item —
// BEGIN ... END blocks, or HEA/LIT.../FOT orders (Spring's multiline and
// multilineOrder samples). A delegate RecordReader supplies the lines'
// FieldSets (delimited, fixed-length, pattern matching...); a fold
// callback decides, line by line, where an item starts and ends and
// copies what it needs into the item.
//
//   MultiLineReader<Trade> trades(
//       std::make_unique<DelimitedRecordReader>(DelimitedReaderOptions{.path = "multiLine.txt"}),
//       [](std::optional<Trade>& trade, const FieldSet& line) {
//         std::string_view tag = line.read_string(0);
//         if (tag == "BEGIN") { trade.emplace(); return LineAction::CONTINUE; }
//         if (!trade) line.fail(0, "expected BEGIN");
//         if (tag == "INFO") trade->isin = line.read_string(1);
//         else if (tag == "AMNT") trade->quantity = line.read_long(1);
//         else if (tag == "END") return LineAction::COMPLETE;
//         return LineAction::CONTINUE;
//       });
//
// The fold gets the item in progress (empty before the first line of an
// item: it emplaces one to start it) and returns
//   CONTINUE         the line was taken (or ignored); the item goes on;
//   COMPLETE         the line was taken and ends the item: read() returns it;
//   COMPLETE_BEFORE  the line is not part of the item — it starts the next
//                    one (formats without an end marker): read() returns
//                    the item and the next read() folds this line first.
// At the end of the input an unfinished item is a ParseError (located at
// its first line), or is returned when options.complete_at_end.
//
// Restart: update() saves the delegate's position at the start of the
// next unfinished item (never in the middle of one), so a restart re-reads
// that item whole. Keys: the delegate's own (offset/line), and
// <name>.read.count (items). An exception (bad line, the fold throws)
// abandons the item in progress and propagates; the next read() goes on
// with the following line, with no item in progress. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/record_reader.hpp"

namespace cppbatch {

enum class LineAction { CONTINUE, COMPLETE, COMPLETE_BEFORE };

struct MultiLineReaderOptions {
  // Prefix of <name>.read.count.
  std::string name = "multiLineReader";
  // true: an item still open at the end of the input is complete (formats
  // where only a start marks items). false: it is a ParseError.
  bool complete_at_end = false;
};

template <class T>
class MultiLineReader : public ItemReader<T>, public ItemStream {
 public:
  using Fold = std::function<LineAction(std::optional<T>& item, const FieldSet& line)>;

  // std::invalid_argument on a null delegate or an empty fold.
  MultiLineReader(std::unique_ptr<RecordReader> records, Fold fold,
                  MultiLineReaderOptions options = {})
      : records_(std::move(records)),
        fold_(std::move(fold)),
        options_(std::move(options)),
        count_key_(options_.name + ".read.count") {
    if (records_ == nullptr) throw std::invalid_argument("MultiLineReader: null delegate");
    if (!fold_) throw std::invalid_argument("MultiLineReader: empty fold");
  }

  std::optional<T> read() override {
    std::optional<T> item;
    int64_t first_line = 0;
    std::string first_raw;
    try {
      for (;;) {
        const RecordReader::Position before = records_->position();
        const FieldSet* line = pending_;
        pending_ = nullptr;
        if (line == nullptr) line = records_->next();
        if (line == nullptr) {
          mark_ = records_->position();
          if (!item) return std::nullopt;
          if (options_.complete_at_end) {
            ++count_;
            return item;
          }
          throw ParseError(records_->resource(), first_line, 0, std::string(), first_raw,
                           "the input ends inside a multi-line record that starts here");
        }
        const bool starting = !item.has_value();
        if (starting) {
          first_line = line->line_number();
          first_raw.assign(line->raw_line());
        }
        LineAction action = fold(item, *line);
        if (action == LineAction::CONTINUE) {
          if (!item) mark_ = records_->position();  // a line between items
          continue;
        }
        if (action == LineAction::COMPLETE_BEFORE) {
          if (starting) line->fail("the line both starts and precedes an item (COMPLETE_BEFORE with no item in progress)");
          pending_ = line;  // stays valid: the delegate is not read until the next read()
          mark_ = before;
        } else {
          if (!item) line->fail("the line completes an item that was never started");
          mark_ = records_->position();
        }
        ++count_;
        return item;
      }
    } catch (...) {
      pending_ = nullptr;
      throw;
    }
  }

  // Opens the delegate (it resumes at the start of the next unfinished
  // item) and restores the item count.
  void open(ExecutionContext& context) override {
    pending_ = nullptr;
    records_->open(context);
    mark_ = records_->position();
    count_ = context.get_long(count_key_).value_or(0);
  }
  void update(ExecutionContext& context) override {
    records_->update(context, mark_);
    context.put_long(count_key_, count_);
  }
  void close() override {
    pending_ = nullptr;
    records_->close();
  }

  RecordReader& records() { return *records_; }
  int64_t read_count() const { return count_; }

 private:
  LineAction fold(std::optional<T>& item, const FieldSet& line) {
    auto call = [&](const FieldSet& fields) { return fold_(item, fields); };
    return map_fields<LineAction>(call, line);
  }

  std::unique_ptr<RecordReader> records_;
  Fold fold_;
  MultiLineReaderOptions options_;
  std::string count_key_;
  const FieldSet* pending_ = nullptr;  // a line that starts the next item
  RecordReader::Position mark_{};      // start of the next unfinished item
  int64_t count_ = 0;
};

}  // namespace cppbatch
