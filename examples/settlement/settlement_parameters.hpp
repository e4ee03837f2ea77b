// The parameters of settlementJob, resolved once per step from the running
// job's JobParameters, and where the job keeps its files.
//
//   date     (date, required, identifying)   the business day settled;
//            "date=2026-11-21,date" or the plain string "date=2026-11-21"
//   count    (long, default 1,000,000)       transactions generated for it
//   workdir  (string, non-identifying, default: the current directory)
//            holds transactions.db, settlement.db and the report
//   faults   (long, default 100)                 settlement.db answers "busy"
//            once to one settle chunk in this many (a transient writer
//            error, retried with back-off); 0 = never
//   run.id   (long)                          added by `cppbatch run --next`
//
// SettlementParametersValidator refuses anything else, and values of the
// wrong shape, before an execution is created (CLI exit code 2).
// ParameterScope is the demo's "step scope": a StepExecutionListener that
// binds the parameters in before_step, i.e. before the step opens its
// streams, so components can use them from open() on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "cppbatch/common/result.hpp"
#include "cppbatch/common/time_format.hpp"
#include "cppbatch/core/job_parameters.hpp"
#include "cppbatch/core/job_parameters_validator.hpp"
#include "cppbatch/core/step_execution_listener.hpp"

namespace settlement {

inline constexpr int64_t kDefaultCount = 1'000'000;
inline constexpr int64_t kDefaultFaultEvery = 100;
// Ids are date_serial * kIdsPerDate + index + 1 (see transaction_generator.hpp).
inline constexpr int64_t kIdsPerDate = 1'000'000'000;

struct SettlementParameters {
  cppbatch::Date date;
  std::string date_text;  // "YYYY-MM-DD"
  int64_t count = kDefaultCount;
  int64_t fault_every = kDefaultFaultEvery;  // settle chunks per injected transient writer fault; 0 = off
  std::filesystem::path workdir;

  std::filesystem::path transactions_db() const { return workdir / "transactions.db"; }
  std::filesystem::path settlement_db() const { return workdir / "settlement.db"; }
  std::filesystem::path report_file() const { return workdir / ("settlement-report-" + date_text + ".txt"); }

  // INVALID_ARGUMENT naming the parameter when one is missing or malformed.
  static cppbatch::Result<SettlementParameters> from(const cppbatch::JobParameters& parameters);
};

// Required {date}; optional {count, workdir, faults, run.id}; date must be a date
// (or a string holding one), count a positive long below kIdsPerDate (or a
// string holding one), workdir a string.
class SettlementParametersValidator final : public cppbatch::JobParametersValidator {
 public:
  cppbatch::Result<void> validate(const cppbatch::JobParameters& parameters) const override;

 private:
  cppbatch::DefaultJobParametersValidator keys_{{"date"}, {"count", "workdir", "faults", "run.id"}};
};

// Binds the running job's parameters before each step it is registered
// with. get() throws std::logic_error when called before a step started.
class ParameterScope final : public cppbatch::StepExecutionListener {
 public:
  void before_step(cppbatch::StepExecution& execution) override;
  const SettlementParameters& get() const;

 private:
  std::optional<SettlementParameters> bound_;
};

}  // namespace settlement
