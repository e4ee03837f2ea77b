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
#include "cppbatch/cppbatch.hpp"
#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/delimited_file_writer.hpp"

namespace {

using namespace cppbatch;

struct Player {
  std::string id, last_name, first_name, position;
  int64_t birth_year = 0, debut_year = 0;
};

// The step needs job parameters (file names) that are known only when the
// execution starts: the reader and writer are created in open().
class PlayerReader final : public ItemReader<Player>, public ItemStream {
 public:
  void open(ExecutionContext& context) override {
    DelimitedReaderOptions options;
    options.path = path_;
    options.names = {"id", "last_name", "first_name", "position", "birth_year", "debut_year"};
    reader_ = std::make_unique<DelimitedFileReader<Player>>(options, [](const FieldSet& f) {
      return Player{std::string(f.read_string("id")), std::string(f.read_string("last_name")),
                    std::string(f.read_string("first_name")), std::string(f.read_string("position")),
                    f.read_long("birth_year"), f.read_long("debut_year")};
    });
    reader_->open(context);
  }
  void update(ExecutionContext& context) override { reader_->update(context); }
  void close() override { reader_->close(); }
  std::optional<Player> read() override { return reader_->read(); }
  void set_path(std::string path) { path_ = std::move(path); }

 private:
  std::string path_;
  std::unique_ptr<DelimitedFileReader<Player>> reader_;
};

class PlayerWriter final : public ItemWriter<Player>, public ItemStream {
 public:
  void open(ExecutionContext& context) override {
    DelimitedWriterOptions options;
    options.path = path_;
    options.header = "id,last_name,first_name,position,birth_year,debut_year";
    writer_ = std::make_unique<DelimitedFileWriter<Player>>(options, [](const Player& p, FieldWriter& out) {
      out.write(p.id);
      out.write(p.last_name);
      out.write(p.first_name);
      out.write(p.position);
      out.write(p.birth_year);
      out.write(p.debut_year);
    });
    writer_->open(context);
  }
  void update(ExecutionContext& context) override { writer_->update(context); }
  void close() override { writer_->close(); }
  void write(const Chunk<Player>& chunk) override { writer_->write(chunk); }
  void set_path(std::string path) { path_ = std::move(path); }

 private:
  std::string path_;
  std::unique_ptr<DelimitedFileWriter<Player>> writer_;
};

// Hands the job's parameters to the reader and writer before they open.
class Parameters final : public StepExecutionListener {
 public:
  Parameters(PlayerReader& reader, PlayerWriter& writer, int64_t& since)
      : reader_(reader), writer_(writer), since_(since) {}
  void before_step(StepExecution& step) override {
    const JobParameters& p = step.job_execution->job_parameters;
    reader_.set_path(p.get_string("input").value_or(""));
    writer_.set_path(p.get_string("output").value_or("players-upper.csv"));
    since_ = p.get_long("since").value_or(0);
  }

 private:
  PlayerReader& reader_;
  PlayerWriter& writer_;
  int64_t& since_;
};

std::unique_ptr<Job> make_players_job(JobRepository& repo) {
  auto reader = std::make_unique<PlayerReader>();
  auto writer = std::make_unique<PlayerWriter>();
  auto since = std::make_shared<int64_t>(0);
  auto parameters = std::make_shared<Parameters>(*reader, *writer, *since);
  auto normalize = StepBuilder("normalize", repo)
                       .chunk<Player>(100)  // one transaction per 100 players
                       .reader(std::move(reader))
                       .processor([since](const Player& player) -> std::optional<Player> {
                         if (player.debut_year < *since) return std::nullopt;  // filtered
                         Player out = player;
                         for (char& c : out.last_name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                         return out;
                       })
                       .writer(std::move(writer))
                       .listener(parameters)
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
