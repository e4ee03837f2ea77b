// RecordingListener: a listener for every lifecycle (job, step, chunk) that
// appends each callback to an EventLog, to check call order. An optional
// tag prefixes its events ("outer:before_step:load") so two listeners can
// be told apart. RecordingItemListener<I, O> does the same for item
// read/process/write callbacks.
//
// Event names: before_job, after_job:<STATUS>, before_step:<step>,
// after_step:<step>:<STATUS>, before_chunk, after_chunk,
// after_chunk_error:<what>; before_read, after_read[:<item>],
// on_read_error:<what>, before_process[:<item>], after_process[:<item>]
// (":filtered" when the processor returned empty), on_process_error:<what>,
// before_write:<n>, after_write:<n>, on_write_error:<what>
// (<item> only when the item type can be written to an ostream).
//
//   auto listener = std::make_shared<testing::RecordingListener>(log);
//   JobBuilder("job", repo).listener(listener)...;   // job callbacks
//   StepBuilder("s", repo).listener(listener)...;    // step + chunk callbacks
#pragma once

#include <exception>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>

#include "cppbatch/core/chunk_listener.hpp"
#include "cppbatch/core/item_listeners.hpp"
#include "cppbatch/core/job_execution_listener.hpp"
#include "cppbatch/core/step_execution_listener.hpp"
#include "cppbatch/testing/event_log.hpp"

namespace cppbatch::testing {

class RecordingListener : public JobExecutionListener, public StepExecutionListener, public ChunkListener {
 public:
  // `log` must outlive the listener.
  explicit RecordingListener(EventLog& log, std::string tag = "") : log_(log), tag_(std::move(tag)) {}

  // What after_step returns (combined by the step with its own exit status).
  void set_after_step_exit_status(std::optional<ExitStatus> status) { after_step_status_ = std::move(status); }

  void before_job(JobExecution& execution) override {
    (void)execution;
    record("before_job");
  }
  void after_job(JobExecution& execution) override {
    record("after_job:" + std::string(to_string(execution.status)));
  }
  void before_step(StepExecution& execution) override { record("before_step:" + execution.step_name); }
  std::optional<ExitStatus> after_step(StepExecution& execution) override {
    record("after_step:" + execution.step_name + ":" + std::string(to_string(execution.status)));
    return after_step_status_;
  }
  void before_chunk(ChunkContext& context) override {
    (void)context;
    record("before_chunk");
  }
  void after_chunk(ChunkContext& context) override {
    (void)context;
    record("after_chunk");
  }
  void after_chunk_error(ChunkContext& context, const std::exception& error) override {
    (void)context;
    record(std::string("after_chunk_error:") + error.what());
  }

 private:
  void record(std::string event) { log_.add(tag_.empty() ? std::move(event) : tag_ + ":" + event); }

  EventLog& log_;
  std::string tag_;
  std::optional<ExitStatus> after_step_status_;
};

template <class I, class O = I>
class RecordingItemListener : public ItemReadListener<I>,
                              public ItemProcessListener<I, O>,
                              public ItemWriteListener<O> {
 public:
  // `log` must outlive the listener.
  explicit RecordingItemListener(EventLog& log, std::string tag = "") : log_(log), tag_(std::move(tag)) {}

  void before_read() override { record("before_read"); }
  void after_read(const I& item) override { record("after_read" + describe(item)); }
  void on_read_error(const std::exception& error) override { record(std::string("on_read_error:") + error.what()); }
  void before_process(const I& item) override { record("before_process" + describe(item)); }
  void after_process(const I& item, const std::optional<O>& result) override {
    record("after_process" + describe(item) + (result ? "" : ":filtered"));
  }
  void on_process_error(const I& item, const std::exception& error) override {
    record("on_process_error" + describe(item) + ":" + error.what());
  }
  void before_write(const Chunk<O>& items) override { record("before_write:" + std::to_string(items.size())); }
  void after_write(const Chunk<O>& items) override { record("after_write:" + std::to_string(items.size())); }
  void on_write_error(const std::exception& error, const Chunk<O>& items) override {
    (void)items;
    record(std::string("on_write_error:") + error.what());
  }

 private:
  template <class T>
  static std::string describe(const T& item) {
    if constexpr (requires(std::ostream& os, const T& t) { os << t; }) {
      std::ostringstream out;
      out << ':' << item;
      return out.str();
    } else {
      (void)item;
      return "";
    }
  }
  void record(std::string event) { log_.add(tag_.empty() ? std::move(event) : tag_ + ":" + event); }

  EventLog& log_;
  std::string tag_;
};

}  // namespace cppbatch::testing
