#include "settlement/settlement_job.hpp"

#include <stdexcept>

#include "cppbatch/core/deferred_item_io.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_parameters_incrementer.hpp"
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

  auto settle = StepBuilder("settle", repository)
                    .chunk<Transaction, SettlementLine>(kSettleChunkSize)
                    .reader(std::make_unique<DeferredItemReader<Transaction>>(
                        [scope] { return make_transaction_reader(scope->get()); }))
                    .processor(std::make_unique<FeeCalculator>())
                    .writer(std::make_unique<SettlementWriter>(scope))
                    .listener(scope)
                    .build();

  auto report =
      StepBuilder("report", repository).listener(scope).tasklet(std::make_unique<ReportTasklet>(scope)).build();

  return cppbatch::JobBuilder(kJobName, repository)
      .start(std::move(generate))
      .next(std::move(settle))
      .next(std::move(report))
      .incrementer(std::make_shared<cppbatch::RunIdIncrementer>())
      .validator(std::make_shared<SettlementParametersValidator>())
      .build();
}

}  // namespace settlement

namespace cppbatch {

void register_settlement_job(JobRegistry& registry) {
  auto added = registry.add(
      settlement::kJobName, [](JobRepository& repository) { return settlement::make_settlement_job(repository); },
      settlement::kJobDescription);
  if (!added) throw std::logic_error(added.error().to_string());
}

}  // namespace cppbatch
