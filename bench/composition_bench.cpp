// composition_bench: the composition components and the file utilities
// against hand-written code doing the same work, in one run.
//
//  1. CompositeItemProcessor — filter → transform → validate over Txn items
//     (ProcessorChain, a FilteringItemProcessor, a function stage and a
//     ValidatingItemProcessor) vs the same three steps inlined in a loop;
//     then the same stages given at compile time (make_composite_processor).
//  2. ClassifierCompositeItemWriter — chunks of 1000 Txn routed to 8
//     delegates by id % 8, each delegate summing its sub-chunk, vs a loop
//     partitioning each chunk into 8 reused vectors and summing them.
//  3. Sort step (SortTasklet in a job, in-memory repository) by
//     team asc, amount numeric desc — with a budget holding the whole file
//     and with an 8 MiB budget (runs + k-way merge) — vs a hand-written
//     in-memory std::stable_sort of the file's lines (read whole, keys
//     parsed once, one write). GNU sort with the same keys is timed for
//     information (it sorts with several threads).
//  4. Split step (SplitTasklet) by team vs a hand loop (read(2) 1 MiB
//     blocks, per-team 64 KiB buffers, one write(2) per full buffer).
// File outputs are compared byte for byte with the baselines'. No fsync on
// either side (sync = false).
//
// BENCH_LINES overrides the file line count (default 1,000,000, ~48 MB);
// BENCH_ITEMS the in-memory item count (default 1,000,000).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_util.hpp"
#include "csv_workload.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/classifier_composite_item_writer.hpp"
#include "cppbatch/infrastructure/composite_item_processor.hpp"
#include "cppbatch/infrastructure/file_sort.hpp"
#include "cppbatch/infrastructure/file_split.hpp"
#include "cppbatch/infrastructure/filtering_item_processor.hpp"
#include "cppbatch/infrastructure/validating_item_processor.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"

namespace {

constexpr const char* kTeams[] = {"mia", "nwe", "buf", "nyj", "kan", "den", "oak", "sdg",
                                  "pit", "cle", "cin", "bal", "hou", "ind", "jax", "ten"};

// id,team,email,amount,date — no quoting needed (~48 bytes a line).
uint64_t generate_games(const std::string& path, size_t lines) {
  std::string out = "id,team,email,amount,date\n";
  uint64_t x = 0x9E3779B97F4A7C15ULL, total = 0;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + path);
  char num[32];
  for (size_t i = 0; i < lines; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out += std::to_string(1'000'000 + i);
    out += ',';
    out += kTeams[x % 16];
    out += ",player";
    out += std::to_string((x >> 8) % 5000);
    out += "@example.com,";
    auto r = std::to_chars(num, num + sizeof num, static_cast<double>((x >> 24) % 1'000'000) / 100.0,
                           std::chars_format::fixed, 2);
    out.append(num, r.ptr);
    out += ",2026-0";
    out += static_cast<char>('1' + (x >> 40) % 9);
    out += "-1";
    out += static_cast<char>('0' + (x >> 44) % 10);
    out += '\n';
    if (out.size() >= (1 << 20)) {
      bench::write_all(fd, out.data(), out.size());
      total += out.size();
      out.clear();
    }
  }
  bench::write_all(fd, out.data(), out.size());
  total += out.size();
  ::close(fd);
  return total;
}

std::string slurp(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error("cannot open " + path);
  std::string text;
  char buffer[1 << 16];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  return text;
}

std::string_view field(std::string_view line, int index) {
  size_t start = 0;
  for (int i = 0; i < index; ++i) start = line.find(',', start) + 1;
  size_t end = line.find(',', start);
  return line.substr(start, end == std::string_view::npos ? line.npos : end - start);
}

// Hand-written in-memory sort: team asc, amount desc, stable.
void hand_sort(const std::string& input, const std::string& output) {
  std::string text = slurp(input);
  struct Line {
    std::string_view team;
    double amount;
    std::string_view raw;
  };
  std::vector<Line> lines;
  size_t pos = text.find('\n') + 1;
  const std::string_view header(text.data(), pos);
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view raw(text.data() + pos, nl - pos);
    std::string_view amount = field(raw, 3);
    double a = 0;
    std::from_chars(amount.data(), amount.data() + amount.size(), a);
    lines.push_back({field(raw, 1), a, raw});
    pos = nl + 1;
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& x, const Line& y) {
    if (x.team != y.team) return x.team < y.team;
    return x.amount > y.amount;
  });
  std::string out(header);
  out.reserve(text.size());
  for (const Line& l : lines) {
    out += l.raw;
    out += '\n';
  }
  int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  bench::write_all(fd, out.data(), out.size());
  ::close(fd);
}

// Hand-written split by team: 1 MiB reads, 64 KiB buffer per team.
void hand_split(const std::string& input, const std::string& directory) {
  struct Out {
    int fd = -1;
    std::string buffer;
  };
  std::unordered_map<std::string, Out> outs;
  int in = ::open(input.c_str(), O_RDONLY);
  std::string carry, header;
  std::vector<char> block(1 << 20);
  bool first = true;
  auto line_out = [&](std::string_view line) {
    if (first) {
      header = std::string(line) + "\n";
      first = false;
      return;
    }
    std::string_view team = field(line, 1);
    auto it = outs.find(std::string(team));
    if (it == outs.end()) {
      it = outs.emplace(std::string(team), Out{}).first;
      std::string path = directory + "/" + std::string(team) + ".csv";
      it->second.fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      it->second.buffer = header;
    }
    Out& o = it->second;
    o.buffer.append(line);
    o.buffer.push_back('\n');
    if (o.buffer.size() >= 64 * 1024) {
      bench::write_all(o.fd, o.buffer.data(), o.buffer.size());
      o.buffer.clear();
    }
  };
  ssize_t n;
  while ((n = ::read(in, block.data(), block.size())) > 0) {
    std::string_view data(block.data(), static_cast<size_t>(n));
    size_t start = 0;
    while (true) {
      size_t nl = data.find('\n', start);
      if (nl == std::string_view::npos) break;
      if (!carry.empty()) {
        carry.append(data.substr(start, nl - start));
        line_out(carry);
        carry.clear();
      } else {
        line_out(data.substr(start, nl - start));
      }
      start = nl + 1;
    }
    carry.append(data.substr(start));
  }
  ::close(in);
  for (auto& [team, o] : outs) {
    bench::write_all(o.fd, o.buffer.data(), o.buffer.size());
    ::close(o.fd);
  }
}

bool same_directory(const std::string& a, const std::string& b) {
  std::map<std::string, std::string> fa, fb;
  for (const auto& e : std::filesystem::directory_iterator(a)) fa[e.path().filename().string()] = e.path().string();
  for (const auto& e : std::filesystem::directory_iterator(b)) fb[e.path().filename().string()] = e.path().string();
  if (fa.size() != fb.size()) return false;
  for (const auto& [name, path] : fa) {
    if (!fb.count(name) || !bench::same_content(path, fb[name])) return false;
  }
  return true;
}

std::vector<bench::Txn> make_items(size_t n) {
  std::vector<bench::Txn> items(n);
  uint64_t x = 0x2545F4914F6CDD1DULL;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    items[i].id = static_cast<int64_t>(i);
    items[i].name = std::string(kTeams[x % 16]) + " player " + std::to_string(x % 997);
    items[i].email = "p" + std::to_string(x % 5000) + "@example.com";
    items[i].amount = static_cast<double>(x % 100000) / 10.0;
    items[i].date = cppbatch::Date{std::chrono::year{2026}, std::chrono::month{1}, std::chrono::day{2}};
  }
  return items;
}

bool keep(const bench::Txn& t) { return t.amount >= 100.0; }
void check(const bench::Txn& t) {
  if (t.name.empty() || t.amount > 1e9) throw cppbatch::ValidationError("amount", "out of range");
}

// A delegate summing what it is given.
class SummingWriter final : public cppbatch::ItemWriter<bench::Txn> {
 public:
  explicit SummingWriter(double& sum) : sum_(sum) {}
  void write(const cppbatch::Chunk<bench::Txn>& chunk) override {
    for (const bench::Txn& t : chunk) sum_ += t.amount;
  }

 private:
  double& sum_;
};

}  // namespace

int main() {
  bench::quiet_logs();
  size_t lines = 1'000'000, items_n = 1'000'000;
  if (const char* env = std::getenv("BENCH_LINES")) lines = std::strtoull(env, nullptr, 10);
  if (const char* env = std::getenv("BENCH_ITEMS")) items_n = std::strtoull(env, nullptr, 10);
  const int reps = bench::repetitions();

  // ---- 1 + 2: in-memory composition -----------------------------------------
  std::vector<bench::Txn> items = make_items(items_n);
  bench::print_header("composition_bench — processors and writers over in-memory Txn items",
                      std::to_string(items_n) + " items; baseline: the same work inlined in a loop");
  std::vector<bench::Row> rows;
  {
    auto chain = cppbatch::ProcessorChain<bench::Txn>()
                     .then(cppbatch::make_filtering_processor<bench::Txn>(keep))
                     .then<bench::Txn>([](const bench::Txn& t) -> std::optional<bench::Txn> { return bench::transform(t); })
                     .then(std::make_unique<cppbatch::ValidatingItemProcessor<bench::Txn>>(
                         cppbatch::make_validator<bench::Txn>(check)))
                     .build();
    double fw_sum = 0, base_sum = 0;
    bench::Timing fw = bench::measure(reps, [&] {
      fw_sum = 0;
      for (const bench::Txn& t : items) {
        if (auto out = chain->process(t)) fw_sum += out->amount;
      }
    });
    bench::Timing base = bench::measure(reps, [&] {
      base_sum = 0;
      for (const bench::Txn& t : items) {
        if (!keep(t)) continue;
        bench::Txn out = bench::transform(t);
        check(out);
        base_sum += out.amount;
      }
    });
    if (fw_sum != base_sum) throw std::runtime_error("composite chain and baseline disagree");
    rows.push_back({"CompositeItemProcessor: filter→transform→validate", items_n, fw, base, 0});

    // The same stages known at compile time: make_composite_processor.
    auto inline_chain = cppbatch::make_composite_processor<bench::Txn>(
        cppbatch::make_filtering_processor<bench::Txn>([](const bench::Txn& t) { return keep(t); }),
        [](const bench::Txn& t) { return bench::transform(t); },  // never filters: built in place
        std::make_unique<cppbatch::ValidatingItemProcessor<bench::Txn>>(cppbatch::make_validator<bench::Txn>(check)));
    double inline_sum = 0;
    bench::Timing fw_inline = bench::measure(reps, [&] {
      inline_sum = 0;
      for (const bench::Txn& t : items) {
        if (auto out = inline_chain->process(t)) inline_sum += out->amount;
      }
    });
    if (inline_sum != base_sum) throw std::runtime_error("inline composite and baseline disagree");
    rows.push_back({"make_composite_processor: filter→transform→validate", items_n, fw_inline, base, 0});
  }
  {
    double sums[8] = {};
    cppbatch::ClassifierCompositeItemWriter<bench::Txn, int64_t> writer(
        [](const bench::Txn& t) { return t.id % 8; });
    for (int64_t k = 0; k < 8; ++k) writer.route(k, std::make_unique<SummingWriter>(sums[k]));
    std::vector<cppbatch::Chunk<bench::Txn>> chunks;
    for (size_t i = 0; i < items.size(); i += 1000) {
      chunks.emplace_back(std::vector<bench::Txn>(items.begin() + static_cast<std::ptrdiff_t>(i),
                                                  items.begin() + static_cast<std::ptrdiff_t>(std::min(i + 1000, items.size()))));
    }
    bench::Timing fw = bench::measure(reps, [&] {
      for (const auto& c : chunks) writer.write(c);
    });
    double base_sums[8] = {};
    std::vector<bench::Txn> parts[8];
    bench::Timing base = bench::measure(reps, [&] {
      for (const auto& c : chunks) {
        for (auto& p : parts) p.clear();
        for (const bench::Txn& t : c) parts[t.id % 8].push_back(t);
        for (int k = 0; k < 8; ++k) {
          for (const bench::Txn& t : parts[k]) base_sums[k] += t.amount;
        }
      }
    });
    bench::do_not_optimize(sums);
    bench::do_not_optimize(base_sums);
    rows.push_back({"ClassifierCompositeItemWriter: 8 routes, chunk 1000", items_n, fw, base, 0});
  }
  bench::print_rows(rows);

  // ---- 3 + 4: file utilities -------------------------------------------------
  bench::TempDir dir("composition");
  const std::string input = dir.file("games.csv");
  const uint64_t bytes = generate_games(input, lines);
  bench::print_header("composition_bench — sort and split steps on a delimited file",
                      "input: " + std::to_string(lines) + " lines, " + std::to_string(bytes / 1'000'000) +
                          " MB (MB/s = input MB per second); keys: team asc, amount numeric desc");
  std::vector<bench::Row> file_rows;
  const std::string base_sorted = dir.file("hand-sorted.csv");
  const std::string fw_sorted = dir.file("sorted.csv");
  bench::Timing hand = bench::measure(reps, [&] { hand_sort(input, base_sorted); });

  auto run_sort = [&](size_t budget, const std::string& label) {
    std::unique_ptr<cppbatch::InMemoryJobRepository> repository;
    std::unique_ptr<cppbatch::Job> job;
    cppbatch::SortOptions options{.input = {.path = input, .header_as_names = true},
                                  .output = fw_sorted,
                                  .keys = cppbatch::parse_sort_keys("team,amount:numeric:desc"),
                                  .memory_budget = budget,
                                  .sync = false};
    bench::Timing fw = bench::measure(
        reps,
        [&] {
          cppbatch::JobLauncher launcher(*repository);
          bench::run_job(launcher, *job, bench::unique_parameters());
        },
        [&] {
          job.reset();
          repository = std::make_unique<cppbatch::InMemoryJobRepository>();
          job = cppbatch::JobBuilder("sortBench", *repository)
                    .start(cppbatch::StepBuilder("sort", *repository)
                               .tasklet(std::make_unique<cppbatch::SortTasklet>(options))
                               .build())
                    .build();
          bench::remove_file(fw_sorted);
        });
    if (!bench::same_content(fw_sorted, base_sorted)) throw std::runtime_error("sort outputs differ: " + label);
    file_rows.push_back({label, lines, fw, hand, bytes});
  };
  run_sort(size_t{1} << 30, "sort step, in memory (1 GiB budget)");
  run_sort(size_t{8} << 20, "sort step, external (8 MiB budget)");

  {
    const std::string fw_dir = dir.file("split-fw"), base_dir = dir.file("split-hand");
    std::filesystem::create_directories(base_dir);
    bench::Timing base = bench::measure(reps, [&] { hand_split(input, base_dir); });
    std::unique_ptr<cppbatch::InMemoryJobRepository> repository;
    std::unique_ptr<cppbatch::Job> job;
    cppbatch::SplitOptions options{.input = {.path = input, .header_as_names = true},
                                   .field = "team",
                                   .output_directory = fw_dir,
                                   .sync = false};
    bench::Timing fw = bench::measure(
        reps,
        [&] {
          cppbatch::JobLauncher launcher(*repository);
          bench::run_job(launcher, *job, bench::unique_parameters());
        },
        [&] {
          job.reset();
          repository = std::make_unique<cppbatch::InMemoryJobRepository>();
          job = cppbatch::JobBuilder("splitBench", *repository)
                    .start(cppbatch::StepBuilder("split", *repository)
                               .tasklet(std::make_unique<cppbatch::SplitTasklet>(options))
                               .build())
                    .build();
        });
    if (!same_directory(fw_dir, base_dir)) throw std::runtime_error("split outputs differ");
    file_rows.push_back({"split step by team (16 files)", lines, fw, base, bytes});
  }
  bench::print_rows(file_rows);

  // GNU sort, same keys, for information.
  const std::string gnu_sorted = dir.file("gnu-sorted.csv");
  const std::string command = "(head -n 1 '" + input + "'; tail -n +2 '" + input +
                              "' | LC_ALL=C sort -s -t, -k2,2 -k4,4nr) > '" + gnu_sorted + "'";
  double gnu = bench::best_of(reps, [&] {
    if (std::system(command.c_str()) != 0) throw std::runtime_error("GNU sort failed");
  });
  std::printf("GNU sort (LC_ALL=C sort -s -t, -k2,2 -k4,4nr, default threads): %.3f s, %.0f items/s, %.1f MB/s; "
              "output %s the framework's\n",
              gnu, static_cast<double>(lines) / gnu, static_cast<double>(bytes) / 1e6 / gnu,
              bench::same_content(gnu_sorted, fw_sorted) ? "identical to" : "DIFFERENT from");
  return 0;
}
