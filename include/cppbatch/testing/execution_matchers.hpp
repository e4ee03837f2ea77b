// gMock matchers for job and step executions, so tests state outcomes the
// way Spring Batch reports them and failures print the whole picture:
//
//   EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
//   EXPECT_THAT(step, HasCounts({.read = 10, .write = 10, .commit = 3, .rollback = 0}));
//   EXPECT_THAT(step, HasCounts(10, 10, 3));                 // read, write, commit
//   EXPECT_THAT(step, HasExitCode("FAILED"));
//   EXPECT_THAT(step, HasExitDescription(HasSubstr("boom")));
//   EXPECT_THAT(job, HasStepExecution("load", HasStatus(BatchStatus::FAILED)));
//
// HasStatus/HasExitCode/HasExitDescription work on JobExecution and
// StepExecution (anything with `status` and `exit_status`); HasCounts on
// StepExecution; HasStepExecution on JobExecution. Use Pointee() for
// pointers. Header-only; links gmock.
//
// (No PrintTo for BatchStatus/ExitStatus here: gtest printers must be
// declared with the type, or test files that see them and files that do
// not instantiate different printers — an ODR violation. The matchers
// print statuses by name in their explanations instead.)
#pragma once

#include <gmock/gmock.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "cppbatch/core/batch_status.hpp"
#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/step_execution.hpp"

namespace cppbatch::testing {

// The counters HasCounts checks; fields left empty are not checked.
struct StepCounts {
  std::optional<int64_t> read = std::nullopt;
  std::optional<int64_t> write = std::nullopt;
  std::optional<int64_t> commit = std::nullopt;
  std::optional<int64_t> rollback = std::nullopt;
  std::optional<int64_t> filter = std::nullopt;
  std::optional<int64_t> read_skip = std::nullopt;
  std::optional<int64_t> process_skip = std::nullopt;
  std::optional<int64_t> write_skip = std::nullopt;
};

namespace internal {

class HasStatusMatcher {
 public:
  using is_gtest_matcher = void;
  explicit HasStatusMatcher(BatchStatus status) : status_(status) {}
  template <class E>
  bool MatchAndExplain(const E& execution, std::ostream* os) const {
    if (os) {
      *os << "status is " << to_string(execution.status) << ", exit status " << execution.exit_status.code();
      if (!execution.exit_status.description().empty()) *os << " (" << execution.exit_status.description() << ")";
    }
    return execution.status == status_;
  }
  void DescribeTo(std::ostream* os) const { *os << "has status " << to_string(status_); }
  void DescribeNegationTo(std::ostream* os) const { *os << "does not have status " << to_string(status_); }

 private:
  BatchStatus status_;
};

class HasExitCodeMatcher {
 public:
  using is_gtest_matcher = void;
  explicit HasExitCodeMatcher(std::string code) : code_(std::move(code)) {}
  template <class E>
  bool MatchAndExplain(const E& execution, std::ostream* os) const {
    if (os) *os << "exit code is " << execution.exit_status.code() << ", description '"
                << execution.exit_status.description() << "'";
    return execution.exit_status.code() == code_;
  }
  void DescribeTo(std::ostream* os) const { *os << "has exit code " << code_; }
  void DescribeNegationTo(std::ostream* os) const { *os << "does not have exit code " << code_; }

 private:
  std::string code_;
};

class HasExitDescriptionMatcher {
 public:
  using is_gtest_matcher = void;
  explicit HasExitDescriptionMatcher(::testing::Matcher<const std::string&> inner) : inner_(std::move(inner)) {}
  template <class E>
  bool MatchAndExplain(const E& execution, std::ostream* os) const {
    if (os) *os << "exit description is '" << execution.exit_status.description() << "'";
    return inner_.Matches(execution.exit_status.description());
  }
  void DescribeTo(std::ostream* os) const {
    *os << "has an exit description that ";
    inner_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "has an exit description that ";
    inner_.DescribeNegationTo(os);
  }

 private:
  ::testing::Matcher<const std::string&> inner_;
};

class HasCountsMatcher {
 public:
  using is_gtest_matcher = void;
  explicit HasCountsMatcher(StepCounts expected) : expected_(expected) {}
  bool MatchAndExplain(const StepExecution& step, std::ostream* os) const {
    bool ok = true;
    auto check = [&](const char* name, const std::optional<int64_t>& want, int64_t actual) {
      if (want && *want != actual) {
        if (os) *os << (ok ? "" : ", ") << name << " is " << actual << " (expected " << *want << ")";
        ok = false;
      }
    };
    check("read", expected_.read, step.read_count);
    check("write", expected_.write, step.write_count);
    check("commit", expected_.commit, step.commit_count);
    check("rollback", expected_.rollback, step.rollback_count);
    check("filter", expected_.filter, step.filter_count);
    check("read_skip", expected_.read_skip, step.read_skip_count);
    check("process_skip", expected_.process_skip, step.process_skip_count);
    check("write_skip", expected_.write_skip, step.write_skip_count);
    if (os) *os << (ok ? "" : "; ") << "counts: " << step.summary();
    return ok;
  }
  void DescribeTo(std::ostream* os) const { describe(os, "has counts"); }
  void DescribeNegationTo(std::ostream* os) const { describe(os, "does not have counts"); }

 private:
  void describe(std::ostream* os, const char* prefix) const {
    *os << prefix;
    const char* sep = " ";
    auto part = [&](const char* name, const std::optional<int64_t>& want) {
      if (!want) return;
      *os << sep << name << "=" << *want;
      sep = ", ";
    };
    part("read", expected_.read);
    part("write", expected_.write);
    part("commit", expected_.commit);
    part("rollback", expected_.rollback);
    part("filter", expected_.filter);
    part("read_skip", expected_.read_skip);
    part("process_skip", expected_.process_skip);
    part("write_skip", expected_.write_skip);
  }
  StepCounts expected_;
};

class HasStepExecutionMatcher {
 public:
  using is_gtest_matcher = void;
  HasStepExecutionMatcher(std::string name, ::testing::Matcher<const StepExecution&> inner)
      : name_(std::move(name)), inner_(std::move(inner)) {}
  bool MatchAndExplain(const JobExecution& job, std::ostream* os) const {
    const StepExecution* found = nullptr;
    for (const auto& step : job.step_executions) {
      if (step->step_name == name_) found = step.get();  // the last one of that name
    }
    if (found == nullptr) {
      if (os) {
        *os << "has no step execution named '" << name_ << "' (steps:";
        for (const auto& step : job.step_executions) *os << " " << step->step_name;
        *os << ")";
      }
      return false;
    }
    ::testing::StringMatchResultListener listener;
    bool ok = inner_.MatchAndExplain(*found, &listener);
    if (os) *os << "step '" << name_ << "' " << listener.str();
    return ok;
  }
  void DescribeTo(std::ostream* os) const {
    *os << "has a step execution '" << name_ << "' that ";
    inner_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "has no step execution '" << name_ << "' that ";
    inner_.DescribeTo(os);
  }

 private:
  std::string name_;
  ::testing::Matcher<const StepExecution&> inner_;
};

}  // namespace internal

// The execution's BatchStatus equals `status`.
inline internal::HasStatusMatcher HasStatus(BatchStatus status) { return internal::HasStatusMatcher(status); }
// The execution's exit code equals `code`.
inline internal::HasExitCodeMatcher HasExitCode(std::string code) {
  return internal::HasExitCodeMatcher(std::move(code));
}
// The execution's exit description matches `matcher` (a string is Eq).
inline internal::HasExitDescriptionMatcher HasExitDescription(::testing::Matcher<const std::string&> matcher) {
  return internal::HasExitDescriptionMatcher(std::move(matcher));
}
// The step execution's counters equal every field set in `counts`.
inline internal::HasCountsMatcher HasCounts(StepCounts counts) { return internal::HasCountsMatcher(counts); }
inline internal::HasCountsMatcher HasCounts(int64_t read, int64_t write, int64_t commit) {
  return internal::HasCountsMatcher(StepCounts{.read = read, .write = write, .commit = commit});
}
// The job execution has a step execution of that name (the last one, if it
// ran more than once) matching `matcher`.
inline internal::HasStepExecutionMatcher HasStepExecution(std::string name,
                                                          ::testing::Matcher<const StepExecution&> matcher) {
  return internal::HasStepExecutionMatcher(std::move(name), std::move(matcher));
}

}  // namespace cppbatch::testing
