// SkipListener<I, O>: told about every item a fault-tolerant chunk step
// skipped (Spring's SkipListener), so it can be logged or parked for later.
//
//   class ParkBadLines : public cppbatch::SkipListener<Line, Row> {
//     void on_skip_in_process(const Line& line, const std::exception_ptr& error) override {
//       park(line, cppbatch::describe_exception(error));
//     }
//   };
//   StepBuilder("load", repo).chunk<Line, Row>(100)...fault_tolerant()
//       .skip<ParseError>().skip_listener(std::make_shared<ParkBadLines>()).build();
//
// When: once per skipped item, on the step's thread, inside the
// transaction of the chunk that records the skip, just before it commits —
// as Spring does, so a listener writing to the chunk's transactional
// resource commits with it. A skip decided in a transaction that then rolls
// back (e.g. the step fails on a later item of the chunk) is not reported
// then; if the item is skipped again on restart it is reported once, then.
// A listener that throws fails the step. No-op defaults.
#pragma once

#include <exception>

namespace cppbatch {

template <class I, class O>
class SkipListener {
 public:
  virtual ~SkipListener() = default;
  // A read failed with `error` and was skipped (there is no item).
  virtual void on_skip_in_read(const std::exception_ptr& error) { (void)error; }
  // Processing `item` failed with `error`; the item was skipped.
  virtual void on_skip_in_process(const I& item, const std::exception_ptr& error) {
    (void)item;
    (void)error;
  }
  // Writing `item` (the processor's output) failed with `error`; skipped.
  virtual void on_skip_in_write(const O& item, const std::exception_ptr& error) {
    (void)item;
    (void)error;
  }
};

}  // namespace cppbatch
