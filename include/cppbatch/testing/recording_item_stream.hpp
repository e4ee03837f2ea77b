// RecordingItemStream: an ItemStream that appends open/update/close to an
// EventLog, together with what it saw in the context, so a test can check
// when the step engine calls the stream contract and what it hands over.
// Each update() also stores an increasing "<name>.updates" counter in the
// context, which shows which update a saved checkpoint came from.
//
// Events: "open:<name>:<updates in ctx or none>", "update:<name>:<n>",
// "close:<name>".
//
//   testing::EventLog log;
//   auto stream = std::make_shared<testing::RecordingItemStream>(log, "s1");
//   StepBuilder("s", repo).chunk<int>(5).reader(...).writer(...).stream(stream).build();
#pragma once

#include <string>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/testing/event_log.hpp"

namespace cppbatch::testing {

class RecordingItemStream : public ItemStream {
 public:
  // `log` must outlive the stream.
  explicit RecordingItemStream(EventLog& log, std::string name = "stream") : log_(log), name_(std::move(name)) {}

  void open(ExecutionContext& context) override {
    auto seen = context.get_long(key());
    updates_ = seen.value_or(0);
    log_.add("open:" + name_ + ":" + (seen ? std::to_string(*seen) : std::string("none")));
  }
  void update(ExecutionContext& context) override {
    ++updates_;
    context.put_long(key(), updates_);
    log_.add("update:" + name_ + ":" + std::to_string(updates_));
  }
  void close() override { log_.add("close:" + name_); }

  std::string key() const { return name_ + ".updates"; }

 private:
  EventLog& log_;
  std::string name_;
  int64_t updates_ = 0;
};

}  // namespace cppbatch::testing
