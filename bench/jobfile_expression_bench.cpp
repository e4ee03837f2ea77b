// jobfile_expression_bench: the job-file record processors on the per-item
// path — a `filter` (debut >= 1990) then a `compute` (age = debut - born,
// name = upper(last)), built from a job file's component definitions
// through the ComponentRegistry exactly as a step builds them — against a
// hand-written loop doing the same work on the same Records (fields are
// text, as read from CSV; the loop converts with from_chars and builds the
// output Record on a prepared layout). Both produce the same records; the
// counts and a checksum are compared.
//
// Input: Spring Batch's football players (player.csv), repeated to
// BENCH_ITEMS records (default 1,000,000).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bench_util.hpp"
#include "cppbatch/jobfile/component_registry.hpp"
#include "cppbatch/jobfile/job_file_parser.hpp"
#include "cppbatch/jobfile/record_processors.hpp"

using namespace cppbatch;

namespace {

std::vector<Record> load_players(size_t count) {
  const std::string path = std::string(CPPBATCH_BENCH_REFERENCE_DATA) + "/spring-batch-samples/football/player.csv";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  auto layout = make_record_layout({"id", "last", "first", "position", "born", "debut"});
  std::vector<Record> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<Value> values;
    std::stringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');) values.emplace_back(f);
    values.resize(6);
    rows.emplace_back(layout, std::move(values));
  }
  std::vector<Record> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) out.push_back(rows[i % rows.size()]);
  return out;
}

int64_t text_long(const Value& v) {
  const std::string& s = std::get<std::string>(v);
  int64_t n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

struct Tally {
  size_t kept = 0;
  int64_t checksum = 0;
};

void account(Tally& r, const Record& out) {
  ++r.kept;
  r.checksum += std::get<int64_t>(out[6]) + static_cast<int64_t>(std::get<std::string>(out[7]).size());
}

}  // namespace

int main() {
  const char* env = std::getenv("BENCH_ITEMS");
  const size_t items = env != nullptr ? static_cast<size_t>(std::atoll(env)) : 1'000'000;
  const std::vector<Record> input = load_players(items);

  // The processors as a job file declares them.
  ParsedJobFile parsed = parse_yaml_job_file(R"Y(components:
  recent: {type: filter, expression: "debut >= 1990"}
  enrich:
    type: compute
    fields: {age: "debut - born", name: "upper(last)"}
jobs: [{id: j, steps: [{step: s, tasklet: t}]}]
)Y", "bench.yaml");
  ComponentRegistry components;
  std::vector<DefinitionError> errors;
  const LateBindingContext nothing;
  auto make = [&](const std::string& id) {
    const NamedComponent* c = parsed.file.find_component(id);
    PropertyReader reader(c->component.properties, errors, id, &nothing, id);
    const auto* configure = components.find<ItemProcessor<Record, Record>>(c->component.type);
    if (configure == nullptr) throw std::runtime_error("no processor type " + c->component.type);
    auto creator = (*configure)(reader);
    reader.finish();
    if (!errors.empty()) throw std::runtime_error(to_string(errors));
    return creator();
  };
  std::vector<std::unique_ptr<ItemProcessor<Record, Record>>> stages;
  stages.push_back(make("recent"));
  stages.push_back(make("enrich"));
  RecordProcessorChain chain(std::move(stages));  // what a step with both processors runs

  const int reps = bench::repetitions();
  Tally ours, theirs;
  bench::Timing framework = bench::measure(reps, [&] {
    ours = {};
    for (const Record& r : input) {
      auto out = chain.process(r);
      if (out) account(ours, *out);
    }
  });

  auto out_layout = make_record_layout({"id", "last", "first", "position", "born", "debut", "age", "name"});
  bench::Timing baseline = bench::measure(reps, [&] {
    theirs = {};
    for (const Record& r : input) {
      const int64_t debut = text_long(r[5]);
      if (debut < 1990) continue;
      std::vector<Value> values;
      values.reserve(8);
      values.assign(r.values().begin(), r.values().end());
      values.emplace_back(debut - text_long(r[4]));
      std::string name = std::get<std::string>(r[1]);
      for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      values.emplace_back(std::move(name));
      Record out(out_layout, std::move(values));
      account(theirs, out);
    }
  });

  if (ours.kept != theirs.kept || ours.checksum != theirs.checksum) {
    std::fprintf(stderr, "MISMATCH: job file kept %zu (checksum %lld), hand-written %zu (%lld)\n", ours.kept,
                 static_cast<long long>(ours.checksum), theirs.kept, static_cast<long long>(theirs.checksum));
    return 1;
  }
  const double n = static_cast<double>(items);
  std::printf("filter + compute over %zu records (%zu kept), best of %d, CPU time:\n", items, ours.kept, reps);
  std::printf("  job-file processors (expressions)  %8.3f s  %12.0f records/s\n", framework.cpu, n / framework.cpu);
  std::printf("  hand-written loop                  %8.3f s  %12.0f records/s\n", baseline.cpu, n / baseline.cpu);
  std::printf("  ratio (job file / hand-written)    %8.2fx\n", framework.cpu / baseline.cpu);
  return 0;
}
