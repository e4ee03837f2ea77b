// playersJob — the README's tour as a program you can run: read Spring
// Batch's football players file, upper-case the last names, keep players
// who debuted in or after `since`, write a CSV, then report.
//
//   players.csv ──► [normalize: chunk 100]  reader ─► processor ─► writer ──► out.csv
//                         │ filtered players counted, not written
//                         ▼
//                   [report: tasklet]  logs read/written/filtered
//
//   build/examples/players_example run playersJob
//       input=../shared/reference-data/spring-batch-samples/football/player.csv
//       output=players-upper.csv since=1990,long        (one command line)
//
// Run it again with the same parameters: refused as complete. Kill it and
// `restart`: it resumes after the last committed chunk, and the output file
// is cut back to what that chunk committed.
#include <cctype>
#include <memory>
#include <optional>
#include <string>

#include "cppbatch/cli/cli_runner.hpp"
#include "cppbatch/common/logging.hpp"
#include "cppbatch/core/deferred_item_io.hpp"
#include "cppbatch/core/job_parameters_scope.hpp"
#include "cppbatch/cppbatch.hpp"
#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/delimited_file_writer.hpp"

namespace {

using namespace cppbatch;

struct Player {
  std::string id, last_name, first_name, position;
  int64_t birth_year = 0, debut_year = 0;
};

std::unique_ptr<ItemReader<Player>> make_reader(const JobParameters& parameters) {
  DelimitedReaderOptions options;
  options.path = parameters.get_string("input").value_or("");
  options.names = {"id", "last_name", "first_name", "position", "birth_year", "debut_year"};
  return std::make_unique<DelimitedFileReader<Player>>(options, [](const FieldSet& f) {
    return Player{std::string(f.read_string("id")), std::string(f.read_string("last_name")),
                  std::string(f.read_string("first_name")), std::string(f.read_string("position")),
                  f.read_long("birth_year"), f.read_long("debut_year")};
  });
}

std::unique_ptr<ItemWriter<Player>> make_writer(const JobParameters& parameters) {
  DelimitedWriterOptions options;
  options.path = parameters.get_string("output").value_or("players-upper.csv");
  options.header = "id,last_name,first_name,position,birth_year,debut_year";
  return std::make_unique<DelimitedFileWriter<Player>>(options, [](const Player& p, FieldWriter& out) {
    out.write(p.id);
    out.write(p.last_name);
    out.write(p.first_name);
    out.write(p.position);
    out.write(p.birth_year);
    out.write(p.debut_year);
  });
}

std::unique_ptr<Job> make_players_job(JobRepository& repo) {
  // File names and the year are job parameters, known when the step
  // starts: the reader and writer are made when the step opens them.
  auto scope = std::make_shared<JobParametersScope>();
  auto normalize = StepBuilder("normalize", repo)
                       .chunk<Player>(100)  // one transaction per 100 players
                       .listener(scope)
                       .reader(std::make_unique<DeferredItemReader<Player>>([scope] { return make_reader(scope->get()); }))
                       .processor([scope](const Player& player) -> std::optional<Player> {
                         if (player.debut_year < scope->get().get_long("since").value_or(0)) {
                           return std::nullopt;  // filtered: counted, not written
                         }
                         Player out = player;
                         for (char& c : out.last_name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                         return out;
                       })
                       .writer(std::make_unique<DeferredItemWriter<Player>>([scope] { return make_writer(scope->get()); }))
                       .build();
  auto report = StepBuilder("report", repo)
                    .tasklet([](StepContribution&, ChunkContext& context) {
                      const StepExecution* normalized = context.job_execution()->find_step_execution("normalize");
                      if (normalized != nullptr) {
                        logger().info("players: {} read, {} written, {} filtered", normalized->read_count,
                                      normalized->write_count, normalized->filter_count);
                      }
                      return RepeatStatus::FINISHED;
                    })
                    .build();
  return JobBuilder("playersJob", repo)
      .start(std::move(normalize))
      .next(std::move(report))
      .validator(std::make_shared<DefaultJobParametersValidator>(std::vector<std::string>{"input"},
                                                                 std::vector<std::string>{"output", "since", "run.id"}))
      .incrementer(std::make_shared<RunIdIncrementer>())
      .build();
}

}  // namespace

int main(int argc, char** argv) {
  JobRegistry registry;
  if (auto added = registry.add("playersJob", make_players_job, "upper-case player last names (input, output, since)");
      !added) {
    return kExitRunnerError;
  }
  return run_cli(argc, argv, registry);
}
