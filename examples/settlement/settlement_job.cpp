#include "settlement/settlement_job.hpp"

#include <stdexcept>

#include "cppbatch/core/backoff_policy.hpp"
#include "cppbatch/core/dead_letter_reprocessing.hpp"
#include "cppbatch/core/deferred_item_io.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_parameters_incrementer.hpp"
#include "cppbatch/core/job_parameters_scope.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "settlement/fee_calculator.hpp"
#include "settlement/report_tasklet.hpp"
#include "settlement/settlement_parameters.hpp"
#include "settlement/settlement_writer.hpp"
#include "settlement/transaction_generator.hpp"
#include "settlement/transaction_store.hpp"

namespace settlement {

std::unique_ptr<cppbatch::Job> make_settlement_job(cppbatch::JobRepository& repository) {
  using cppbatch::DeferredItemReader;
  using cppbatch::DeferredItemWriter;
  using cppbatch::StepBuilder;
  // Shared by the three steps: each binds the job's parameters before it
  // opens its streams.
  auto scope = std::make_shared<ParameterScope>();

  auto generate = StepBuilder("generate", repository)
                      .chunk<Transaction>(kGenerateChunkSize)
                      .reader(std::make_unique<TransactionGenerator>(scope))
                      .writer(std::make_unique<DeferredItemWriter<Transaction>>(
                          [scope] { return make_transaction_writer(scope->get()); }))
                      .listener(scope)
                      .build();

  // Transient writer errors: 3 attempts in all, 10 ms then 20 ms apart.
  auto back_off = std::make_shared<cppbatch::ExponentialBackOffPolicy>(cppbatch::ExponentialBackOffOptions{
      cppbatch::Millis{10}, 2.0, cppbatch::Millis{100}});
  auto settle = StepBuilder("settle", repository)
                    .chunk<Transaction, SettlementLine>(kSettleChunkSize)
                    .reader(std::make_unique<DeferredItemReader<Transaction>>(
                        [scope] { return make_transaction_reader(scope->get()); }))
                    .processor(std::make_unique<FeeCalculator>([scope] { return scope->get().workdir; }))
                    .writer(std::make_unique<SettlementWriter>(scope))
                    .listener(scope)
                    .fault_tolerant()
                    .retry<TransientSettlementError>()
                    .retry_limit(kSettleAttempts)
                    .back_off(back_off)
                    .skip<RejectedTransaction>()
                    .skip_limit(kSettleSkipLimit)
                    .dead_letters()  // JSON of the Transaction, in the chunk's repository transaction
                    .build();

  auto report = StepBuilder("report", repository)
                    .listener(scope)
                    .tasklet(std::make_unique<ReportTasklet>(scope, repository))
                    .build();

  return cppbatch::JobBuilder(kJobName, repository)
      .start(std::move(generate))
      .next(std::move(settle))
      .next(std::move(report))
      .incrementer(std::make_shared<cppbatch::RunIdIncrementer>())
      .validator(std::make_shared<SettlementParametersValidator>())
      .build();
}

std::unique_ptr<cppbatch::Job> make_settlement_reprocessing_job(cppbatch::JobRepository& repository) {
  auto scope = std::make_shared<cppbatch::JobParametersScope>();
  auto workdir = [scope] {
    auto text = scope->get().get_string("workdir");
    return text && !text->empty() ? std::filesystem::path(*text) : std::filesystem::current_path();
  };
  cppbatch::DeadLetterRoute<Transaction, SettlementLine> route;
  route.processor = std::make_unique<FeeCalculator>(workdir);
  route.writer = std::make_unique<LateSettlementWriter>(workdir);
  return cppbatch::DeadLetterReprocessingJobBuilder(kJobName, repository)
      .route<Transaction, SettlementLine>("settle", std::move(route))
      .chunk_size(kSettleChunkSize)
      .max_attempts(kReprocessingAttempts)
      .listener(scope)
      .build();
}

}  // namespace settlement

namespace cppbatch {

void register_settlement_job(JobRegistry& registry) {
  auto added = registry.add(
      settlement::kJobName, [](JobRepository& repository) { return settlement::make_settlement_job(repository); },
      settlement::kJobDescription);
  if (!added) throw std::logic_error(added.error().to_string());
  added = registry.add(
      dead_letter_job_name(settlement::kJobName),
      [](JobRepository& repository) { return settlement::make_settlement_reprocessing_job(repository); },
      "retry settle's dead letters (fee-schedule.txt in force) into the settlement as late lines; "
      "run by 'dlq retry --job settlementJob'");
  if (!added) throw std::logic_error(added.error().to_string());
}

}  // namespace cppbatch
