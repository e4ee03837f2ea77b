#include "cppbatch/core/dead_letter_reprocessing.hpp"

#include <algorithm>
#include <deque>
#include <limits>

#include "core/failure_description.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/job_parameters_incrementer.hpp"
#include "cppbatch/core/job_parameters_validator.hpp"
#include "cppbatch/core/step_builder.hpp"

namespace cppbatch {

std::string dead_letter_job_name(std::string_view job_name) { return std::string(job_name) + ".dlq"; }

namespace internal {

void cannot_rebuild(const DeadLetter& letter, const char* what) {
  throw std::runtime_error("cannot rebuild the item of dead letter " + std::to_string(letter.id) + " (" +
                           std::string(to_string(letter.phase)) + " skip in step '" + letter.step_name + "'): " +
                           what);
}

namespace {

constexpr const char* kLastIdKey = "deadLetterReader.lastId";
const std::vector<DeadLetterStatus> kDefaultStatuses{DeadLetterStatus::NEW, DeadLetterStatus::FAILED_AGAIN};

// The statuses a "status" parameter names; INVALID_ARGUMENT for an unknown one.
Result<std::vector<DeadLetterStatus>> parse_statuses(std::string_view text) {
  std::vector<DeadLetterStatus> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string_view name = text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    auto status = parse_dead_letter_status(name);
    if (!status) {
      return Error(ErrorCode::INVALID_ARGUMENT,
                   "parameter 'status': '" + std::string(name) +
                       "' is not a dead-letter status (NEW, FAILED_AGAIN, PARKED, RESOLVED)");
    }
    out.push_back(*status);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

// The letters a run selects, from its job parameters (bound in before_step).
class Selection final : public StepExecutionListener {
 public:
  void before_step(StepExecution& execution) override {
    if (execution.job_execution == nullptr) throw std::logic_error("reprocessing step runs outside a job");
    const JobParameters& parameters = execution.job_execution->job_parameters;
    error_type = parameters.get_string(kDeadLetterErrorTypeParameter).value_or("");
    statuses = kDefaultStatuses;
    if (auto text = parameters.get_string(kDeadLetterStatusParameter); text && !text->empty()) {
      auto parsed = parse_statuses(*text);
      if (!parsed) throw std::invalid_argument(parsed.error().message());
      statuses = std::move(parsed.value());
    }
  }
  bool selected(DeadLetterStatus status) const {
    return std::find(statuses.begin(), statuses.end(), status) != statuses.end();
  }

  std::string error_type;
  std::vector<DeadLetterStatus> statuses;
};

// Refuses a run whose `status` parameter names an unknown status.
class ReprocessingParametersValidator final : public JobParametersValidator {
 public:
  Result<void> validate(const JobParameters& parameters) const override {
    if (auto text = parameters.get_string(kDeadLetterStatusParameter); text && !text->empty()) {
      auto parsed = parse_statuses(*text);
      if (!parsed) return parsed.error();
    }
    return {};
  }
};

// Every letter of the job (and error type) by ascending id, from the first
// one the run selects — whatever its status now, so that the sequence is
// the same on restart while letters change status (the fault-tolerant
// step's restart offset counts reads); the processor passes over letters
// not selected. Restarts after the last checkpointed id.
class DeadLetterReader final : public ItemReader<DeadLetter>, public ItemStream {
 public:
  DeadLetterReader(DeadLetterStore& store, std::string job_name, std::shared_ptr<const Selection> selection,
                   int64_t page)
      : store_(store), job_name_(std::move(job_name)), selection_(std::move(selection)), page_(page) {}

  void open(ExecutionContext& context) override {
    buffer_.clear();
    end_ = false;
    if (auto last = context.get_long(kLastIdKey)) {
      last_id_ = *last;
      return;
    }
    DeadLetterQuery first{job_name_, "", selection_->error_type, selection_->statuses, 0, 1};
    auto found = store_.find(first);
    if (!found) throw DeadLetterReprocessingError("cannot read the dead letters: " + found.error().to_string());
    if (found->empty()) {
      end_ = true;
    } else {
      last_id_ = found->front().id - 1;
    }
  }
  void update(ExecutionContext& context) override { context.put_long(kLastIdKey, last_id_); }

  std::optional<DeadLetter> read() override {
    if (buffer_.empty() && !end_) {
      DeadLetterQuery page{job_name_, "", selection_->error_type, {}, last_id_, page_};
      auto found = store_.find(page);
      if (!found) throw DeadLetterReprocessingError("cannot read the dead letters: " + found.error().to_string());
      if (found->empty()) end_ = true;
      for (DeadLetter& letter : found.value()) buffer_.push_back(std::move(letter));
    }
    if (buffer_.empty()) return std::nullopt;
    DeadLetter letter = std::move(buffer_.front());
    buffer_.pop_front();
    last_id_ = letter.id;
    return letter;
  }

 private:
  DeadLetterStore& store_;
  std::string job_name_;
  std::shared_ptr<const Selection> selection_;
  int64_t page_;
  std::deque<DeadLetter> buffer_;
  int64_t last_id_ = 0;
  bool end_ = false;
};

// A letter with its route and rebuilt output (null: the processor filtered it).
struct Reprocessed {
  DeadLetter letter;
  ErasedDeadLetterRoute* route = nullptr;
  std::shared_ptr<void> output;
};

using RouteMap = std::map<std::string, std::unique_ptr<ErasedDeadLetterRoute>, std::less<>>;

// Opens, updates and closes every route's components with the step.
class RouteStreams final : public ItemStream {
 public:
  explicit RouteStreams(RouteMap all) : routes(std::move(all)) {}
  void open(ExecutionContext& context) override {
    for (auto& [name, route] : routes) route->open(context);
  }
  void update(ExecutionContext& context) override {
    for (auto& [name, route] : routes) route->update(context);
  }
  void close() override {
    for (auto& [name, route] : routes) route->close();
  }
  void discard_uncommitted() override {
    for (auto& [name, route] : routes) route->discard_uncommitted();
  }
  RouteMap routes;
};

class ReprocessingProcessor final : public ItemProcessor<DeadLetter, Reprocessed> {
 public:
  ReprocessingProcessor(std::shared_ptr<RouteStreams> routes, std::shared_ptr<const Selection> selection)
      : routes_(std::move(routes)), selection_(std::move(selection)) {}

  std::optional<Reprocessed> process(const DeadLetter& letter) override {
    if (!selection_->selected(letter.status)) return std::nullopt;
    auto it = routes_->routes.find(letter.step_name);
    if (it == routes_->routes.end()) {
      std::string known;
      for (const auto& [name, route] : routes_->routes) known += (known.empty() ? "" : ", ") + name;
      throw DeadLetterReprocessingError("dead letter " + std::to_string(letter.id) + " comes from step '" +
                                        letter.step_name + "' of job '" + letter.job_name +
                                        "', which has no reprocessing route (routed steps: " + known +
                                        "); park it with 'dlq park " + std::to_string(letter.id) + "'");
    }
    return Reprocessed{letter, it->second.get(), it->second->reprocess(letter)};
  }

 private:
  std::shared_ptr<RouteStreams> routes_;
  std::shared_ptr<const Selection> selection_;
};

// Marks letters: RESOLVED when written, FAILED_AGAIN or PARKED when skipped
// (the fault-tolerant step calls the skip listener inside the transaction
// that commits), counting the outcomes in the step's context.
class Outcomes final : public SkipListener<DeadLetter, Reprocessed>, public StepExecutionListener {
 public:
  Outcomes(DeadLetterStore& store, int64_t max_attempts) : store_(store), max_attempts_(max_attempts) {}

  void before_step(StepExecution& execution) override { execution_ = &execution; }

  void resolved(DeadLetter letter) {
    letter.status = DeadLetterStatus::RESOLVED;
    letter.attempts += 1;
    save(letter, kDeadLettersResolvedKey);
  }
  void on_skip_in_process(const DeadLetter& letter, const std::exception_ptr& error) override {
    failed(letter, error);
  }
  void on_skip_in_write(const Reprocessed& item, const std::exception_ptr& error) override {
    failed(item.letter, error);
  }

 private:
  void failed(DeadLetter letter, const std::exception_ptr& error) {
    letter.attempts += 1;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      // The type is said only when it differs from the original error's.
      letter.last_error = exception_type_name(e) == letter.error_type ? e.what() : describe_failure(e);
    } catch (...) {
      letter.last_error = "unknown error";
    }
    const bool park = letter.attempts >= max_attempts_;
    letter.status = park ? DeadLetterStatus::PARKED : DeadLetterStatus::FAILED_AGAIN;
    save(letter, park ? kDeadLettersParkedKey : kDeadLettersFailedAgainKey);
  }

  void save(DeadLetter& letter, const char* count_key) {
    auto updated = store_.update(letter);
    if (!updated) {
      throw DeadLetterReprocessingError("cannot mark dead letter " + std::to_string(letter.id) + " " +
                                        std::string(to_string(letter.status)) + ": " + updated.error().to_string());
    }
    ExecutionContext& context = execution_->execution_context;
    context.put_long(count_key, context.get_long(count_key).value_or(0) + 1);
  }

  DeadLetterStore& store_;
  int64_t max_attempts_;
  StepExecution* execution_ = nullptr;
};

// Writes the chunk's outputs through their routes (one write per route, in
// the order of first appearance), then marks every letter RESOLVED.
class ResolvingWriter final : public ItemWriter<Reprocessed> {
 public:
  explicit ResolvingWriter(std::shared_ptr<Outcomes> outcomes) : outcomes_(std::move(outcomes)) {}

  void write(const Chunk<Reprocessed>& chunk) override {
    std::vector<ErasedDeadLetterRoute*> order;
    for (const Reprocessed& item : chunk) {
      if (std::find(order.begin(), order.end(), item.route) == order.end()) order.push_back(item.route);
    }
    for (ErasedDeadLetterRoute* route : order) {
      outputs_.clear();
      for (const Reprocessed& item : chunk) {
        if (item.route == route && item.output) outputs_.push_back(item.output.get());
      }
      if (!outputs_.empty()) route->write(outputs_);
    }
    for (const Reprocessed& item : chunk) outcomes_->resolved(item.letter);
  }

 private:
  std::shared_ptr<Outcomes> outcomes_;
  std::vector<const void*> outputs_;
};

}  // namespace
}  // namespace internal

DeadLetterReprocessingJobBuilder::DeadLetterReprocessingJobBuilder(std::string job_name, JobRepository& repository)
    : job_name_(std::move(job_name)), repository_(repository) {}

void DeadLetterReprocessingJobBuilder::add_route(const std::string& step_name,
                                                 std::unique_ptr<internal::ErasedDeadLetterRoute> route) {
  if (!routes_.emplace(step_name, std::move(route)).second) {
    throw std::invalid_argument("step '" + step_name + "' has two dead-letter routes");
  }
}

DeadLetterReprocessingJobBuilder& DeadLetterReprocessingJobBuilder::chunk_size(size_t size) {
  if (size == 0) throw std::invalid_argument("dead-letter reprocessing: chunk size must be positive");
  chunk_size_ = size;
  return *this;
}

DeadLetterReprocessingJobBuilder& DeadLetterReprocessingJobBuilder::max_attempts(int64_t attempts) {
  if (attempts < 1) throw std::invalid_argument("dead-letter reprocessing: max_attempts must be at least 1");
  max_attempts_ = attempts;
  return *this;
}

DeadLetterReprocessingJobBuilder& DeadLetterReprocessingJobBuilder::listener(
    std::shared_ptr<StepExecutionListener> listener) {
  listeners_.push_back(std::move(listener));
  return *this;
}

std::unique_ptr<Job> DeadLetterReprocessingJobBuilder::build() {
  using namespace internal;
  if (routes_.empty()) {
    throw std::invalid_argument("dead-letter reprocessing of job '" + job_name_ + "' has no route");
  }
  DeadLetterStore& store = repository_.dead_letters();
  auto selection = std::make_shared<Selection>();
  auto routes = std::make_shared<RouteStreams>(std::move(routes_));
  auto outcomes = std::make_shared<Outcomes>(store, max_attempts_);
  auto builder = StepBuilder("reprocessDeadLetters", repository_).chunk<DeadLetter, Reprocessed>(chunk_size_);
  builder.reader(std::make_unique<DeadLetterReader>(store, job_name_, selection, static_cast<int64_t>(chunk_size_)))
      .processor(std::make_unique<ReprocessingProcessor>(routes, selection))
      .writer(std::make_unique<ResolvingWriter>(outcomes))
      .stream(routes)
      .listener(selection);  // first: the parameters are bound before anything else
  for (auto& listener : listeners_) builder.listener(listener);
  auto step = builder.fault_tolerant()
                  .skip<std::exception>()
                  .no_skip<DeadLetterReprocessingError>()
                  .skip_limit(std::numeric_limits<int64_t>::max())
                  .listener(outcomes)
                  .transaction_manager(repository_.transaction_manager())
                  .build();
  return JobBuilder(dead_letter_job_name(job_name_), repository_)
      .start(std::move(step))
      .incrementer(std::make_shared<RunIdIncrementer>())
      .validator(std::make_shared<ReprocessingParametersValidator>())
      .build();
}

}  // namespace cppbatch
