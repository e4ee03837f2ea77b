// flat_file_bench: the flat-file readers and writers against hand-written
// loops doing the same work, in one run.
//
//   fixed-length read   FlatFileReader<Trade> + FixedLengthTokenizer (4 columns, trimmed,
//                       integer and decimal parsed)  vs  read(2) + memchr + substr + from_chars
//   gzip read           DelimitedFileReader<Row> on a .csv.gz  vs  gzread + memchr + split (checking
//                       for quotes, which the framework must handle) + from_chars
//   zstd read           DelimitedFileReader<Row> on a .csv.zst vs  ZSTD_decompressStream + the same split
//   multi-resource read MultiResourceReader<Row> over 10 files (glob) vs a loop over the files
//   delimited write     DelimitedFileWriter<Row> with a "total: N" footer, chunks of 1000 with
//                       update() (commit) after each  vs  format into a buffer, write(2) per MiB
//
// The typed readers are built with their mapper's own type (the deduced
// form, FlatFileReader<Trade, decltype(map)>), as hot paths should be.
// Readers are driven directly (open, read, update every 1000 items, close):
// the component's cost, not the step engine's. Every workload checks that
// both sides saw the same items (sum of ids and amounts).
// BENCH_LINES overrides the line count (default 2,000,000); BENCH_ONLY=fixed
// (gzip, zstd, multi, write) runs the workloads whose name contains it, for
// profiling one of them (valgrind --tool=callgrind).
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "csv_workload.hpp"
#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/delimited_file_writer.hpp"
#include "cppbatch/infrastructure/fixed_length_tokenizer.hpp"
#include "cppbatch/infrastructure/flat_file_reader.hpp"
#include "cppbatch/infrastructure/multi_resource_reader.hpp"

namespace {

struct Row {
  int64_t id = 0;
  std::string name;
  double amount = 0;
};

struct Totals {
  int64_t items = 0;
  int64_t ids = 0;
  double amounts = 0;
  void add(int64_t id, double amount) {
    ++items;
    ids += id;
    amounts += amount;
  }
  bool operator==(const Totals& o) const { return items == o.items && ids == o.ids && amounts == o.amounts; }
};

// ---- inputs -------------------------------------------------------------------

// id,name,amount lines (~30 bytes), no quotes.
std::string csv_text(size_t lines, size_t first_id = 0) {
  std::string out;
  out.reserve(lines * 32);
  char num[32];
  for (size_t i = 0; i < lines; ++i) {
    auto r = std::to_chars(num, num + sizeof num, static_cast<int64_t>(first_id + i));
    out.append(num, r.ptr);
    out += ",customer";
    out += static_cast<char>('a' + i % 26);
    out += static_cast<char>('a' + i / 26 % 26);
    out += ',';
    r = std::to_chars(num, num + sizeof num, static_cast<double>(i % 100000) / 100.0, std::chars_format::fixed, 2);
    out.append(num, r.ptr);
    out += '\n';
  }
  return out;
}

// ISIN 1-12, quantity 13-15, price 16-20, customer 21-29 (Spring's trade layout).
std::string fixed_text(size_t lines) {
  std::string out;
  out.reserve(lines * 30);
  char line[64];
  for (size_t i = 0; i < lines; ++i) {
    std::snprintf(line, sizeof line, "UK%010zu%3zu%5.2f%-9s\n", i, i % 1000, static_cast<double>(i % 9999) / 100.0,
                  ("cust" + std::to_string(i % 10000)).c_str());
    out += line;
  }
  return out;
}

void save(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  bench::write_all(fd, text.data(), text.size());
  ::close(fd);
}

void save_gzip(const std::string& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb6");
  for (size_t done = 0; done < text.size();) {
    unsigned n = static_cast<unsigned>(std::min<size_t>(text.size() - done, 1 << 20));
    gzwrite(f, text.data() + done, n);
    done += n;
  }
  gzclose(f);
}

void save_zstd(const std::string& path, const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
  save(path, out);
}

// ---- the hand-written side ---------------------------------------------------

// Pulls bytes: read(2), gzread or ZSTD_decompressStream.
class Pull {
 public:
  virtual ~Pull() = default;
  virtual size_t read(char* out, size_t size) = 0;
};

class FilePull : public Pull {
 public:
  explicit FilePull(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY)) {}
  ~FilePull() override { ::close(fd_); }
  size_t read(char* out, size_t size) override {
    ssize_t n = ::read(fd_, out, size);
    return n > 0 ? static_cast<size_t>(n) : 0;
  }

 private:
  int fd_;
};

class GzPull : public Pull {
 public:
  explicit GzPull(const std::string& path) : f_(gzopen(path.c_str(), "rb")) { gzbuffer(f_, 128 * 1024); }
  ~GzPull() override { gzclose(f_); }
  size_t read(char* out, size_t size) override {
    int n = gzread(f_, out, static_cast<unsigned>(size));
    return n > 0 ? static_cast<size_t>(n) : 0;
  }

 private:
  gzFile f_;
};

class ZstdPull : public Pull {
 public:
  explicit ZstdPull(const std::string& path) : file_(path), in_(ZSTD_DStreamInSize()), ctx_(ZSTD_createDCtx()) {}
  ~ZstdPull() override { ZSTD_freeDCtx(ctx_); }
  size_t read(char* out, size_t size) override {
    ZSTD_outBuffer output{out, size, 0};
    while (output.pos == 0) {
      if (input_.pos == input_.size) {
        size_t n = file_.read(in_.data(), in_.size());
        if (n == 0) return 0;
        input_ = {in_.data(), n, 0};
      }
      ZSTD_decompressStream(ctx_, &output, &input_);
    }
    return output.pos;
  }

 private:
  FilePull file_;
  std::vector<char> in_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  ZSTD_DCtx* ctx_;
};

// Calls on_line(line) for every line, 1 MiB buffer.
template <class F>
void for_each_line(Pull& pull, F&& on_line) {
  std::vector<char> buf(1 << 20);
  size_t begin = 0, end = 0;
  for (;;) {
    const char* p = buf.data() + begin;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - begin));
    if (nl != nullptr) {
      on_line(std::string_view(p, static_cast<size_t>(nl - p)));
      begin += static_cast<size_t>(nl - p) + 1;
      continue;
    }
    std::memmove(buf.data(), p, end - begin);
    end -= begin;
    begin = 0;
    size_t n = pull.read(buf.data() + end, buf.size() - end);
    if (n == 0) {
      if (end > 0) on_line(std::string_view(buf.data(), end));
      return;
    }
    end += n;
  }
}

int64_t to_long(std::string_view v) {
  int64_t out = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), out);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size()) throw std::runtime_error("bad integer");
  return out;
}
double to_double(std::string_view v) {
  double out = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), out);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size()) throw std::runtime_error("bad number");
  return out;
}
std::string_view trimmed(std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

// Like the framework it must notice quoted fields (RFC 4180); this input
// has none, so meeting a quote is an error here instead of a slow path.
void hand_csv(Pull& pull, Totals& totals) {
  std::vector<std::string_view> f;
  for_each_line(pull, [&](std::string_view line) {
    f.clear();
    size_t start = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == ',') {
        f.push_back(line.substr(start, i - start));
        start = i + 1;
      } else if (line[i] == '"') {
        throw std::runtime_error("quoted field");
      }
    }
    f.push_back(line.substr(start));
    if (f.size() != 3) throw std::runtime_error("expected 3 fields");
    Row row{to_long(f[0]), std::string(f[1]), to_double(f[2])};
    bench::do_not_optimize(row);
    totals.add(row.id, row.amount);
  });
}

// ---- our side ---------------------------------------------------------------------

Row map_row(const cppbatch::FieldSet& fs) {
  return Row{fs.read_long(0), std::string(fs.read_string(1)), fs.read_double(2)};
}

template <class Reader>
void drain(Reader& reader, Totals& totals) {
  cppbatch::ExecutionContext ctx;
  reader.open(ctx);
  int64_t n = 0;
  while (auto item = reader.read()) {
    bench::do_not_optimize(*item);
    totals.add(item->id, item->amount);
    if (++n % 1000 == 0) reader.update(ctx);
  }
  reader.update(ctx);
  reader.close();
}

struct Trade {
  int64_t id = 0;  // the ISIN's digits
  int64_t amount_cents = 0;
  std::string customer;
  double amount = 0;
};

}  // namespace

int main() {
  bench::quiet_logs();
  size_t lines = 2'000'000;
  if (const char* env = std::getenv("BENCH_LINES")) lines = std::strtoull(env, nullptr, 10);
  const int reps = bench::repetitions();
  const char* only = std::getenv("BENCH_ONLY");
  auto wanted = [&](std::string_view name) { return only == nullptr || name.find(only) != std::string_view::npos; };
  bench::TempDir dir("flat-file");
  std::vector<bench::Row> rows;
  bool same = true;
  auto check = [&](const char* what, const Totals& a, const Totals& b) {
    if (!(a == b)) {
      std::fprintf(stderr, "%s: framework and baseline disagree (%lld vs %lld items)\n", what,
                   static_cast<long long>(a.items), static_cast<long long>(b.items));
      same = false;
    }
  };

  bench::print_header("flat_file_bench — flat-file readers and writers vs hand-written loops",
                      std::to_string(lines) + " lines per workload; MB/s = uncompressed MB per second");

  // fixed-length read
  if (wanted("fixed")) {
    const std::string path = dir.file("trades.txt");
    const std::string text = fixed_text(lines);
    save(path, text);
    Totals fw, base;
    auto tokenizer = [] {
      return std::make_unique<cppbatch::FixedLengthTokenizer>(cppbatch::FixedLengthTokenizerOptions{
          .columns = cppbatch::parse_column_ranges("1-12, 13-15, 16-20, 21-29"),
          .names = {"isin", "quantity", "price", "customer"}});
    };
    auto map = [](const cppbatch::FieldSet& fs) {
      std::string_view isin = fs.read_string(0);
      return Trade{fs.read_long(1) + static_cast<int64_t>(isin.size()), 0, std::string(fs.read_string(3)),
                   fs.read_double(2)};
    };
    bench::Timing f = bench::measure(reps, [&] {
      fw = {};
      cppbatch::FlatFileReader reader({.path = path}, tokenizer(), map);  // FlatFileReader<Trade, decltype(map)>
      drain(reader, fw);
    });
    bench::Timing b = bench::measure(reps, [&] {
      base = {};
      FilePull pull(path);
      for_each_line(pull, [&](std::string_view line) {
        if (line.size() != 29) throw std::runtime_error("bad line length");
        std::string_view isin = trimmed(line.substr(0, 12));
        Trade t{to_long(trimmed(line.substr(12, 3))) + static_cast<int64_t>(isin.size()), 0,
                std::string(trimmed(line.substr(20, 9))), to_double(trimmed(line.substr(15, 5)))};
        bench::do_not_optimize(t);
        base.add(t.id, t.amount);
      });
    });
    check("fixed-length", fw, base);
    rows.push_back({"fixed-length read (4 columns)", lines, f, b, text.size()});
  }

  const std::string csv = csv_text(lines);
  // gzip / zstd read
  for (int kind = 0; kind < 2; ++kind) {
    if (!wanted(kind == 0 ? "gzip" : "zstd")) continue;
    const std::string path = dir.file(kind == 0 ? "rows.csv.gz" : "rows.csv.zst");
    if (kind == 0) {
      save_gzip(path, csv);
    } else {
      save_zstd(path, csv);
    }
    Totals fw, base;
    bench::Timing f = bench::measure(reps, [&] {
      fw = {};
      cppbatch::DelimitedFileReader reader({.path = path}, map_row);
      drain(reader, fw);
    });
    bench::Timing b = bench::measure(reps, [&] {
      base = {};
      std::unique_ptr<Pull> pull;
      if (kind == 0) {
        pull = std::make_unique<GzPull>(path);
      } else {
        pull = std::make_unique<ZstdPull>(path);
      }
      hand_csv(*pull, base);
    });
    check(kind == 0 ? "gzip" : "zstd", fw, base);
    rows.push_back({kind == 0 ? "gzip read (.csv.gz, 3 fields)" : "zstd read (.csv.zst, 3 fields)", lines, f, b,
                    csv.size()});
  }

  // multi-resource read
  if (wanted("multi")) {
    const size_t files = 10;
    uint64_t bytes = 0;
    std::vector<std::string> paths;
    for (size_t i = 0; i < files; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "part-%02zu.csv", i);
      std::string text = csv_text(lines / files, i * (lines / files));
      bytes += text.size();
      paths.push_back(dir.file(name));
      save(paths.back(), text);
    }
    Totals fw, base;
    bench::Timing f = bench::measure(reps, [&] {
      fw = {};
      cppbatch::MultiResourceReader<Row> reader({.pattern = dir.file("part-*.csv")}, [](const std::string& p) {
        return std::make_unique<cppbatch::DelimitedFileReader<Row, decltype(&map_row)>>(
            cppbatch::DelimitedReaderOptions{.path = p}, map_row);
      });
      drain(reader, fw);
    });
    bench::Timing b = bench::measure(reps, [&] {
      base = {};
      for (const std::string& p : paths) {
        FilePull pull(p);
        hand_csv(pull, base);
      }
    });
    check("multi-resource", fw, base);
    rows.push_back({"multi-resource read (10 files)", lines, f, b, bytes});
  }

  // delimited write with footer
  if (wanted("write")) {
    std::vector<Row> items;
    items.reserve(lines);
    for (size_t i = 0; i < lines; ++i) {
      items.push_back(Row{static_cast<int64_t>(i), "customer" + std::to_string(i % 676), static_cast<double>(i % 100000) / 100.0});
    }
    const std::string fw_path = dir.file("fw-out.csv"), base_path = dir.file("base-out.csv");
    bench::Timing f = bench::measure(reps, [&] {
      cppbatch::DelimitedFileWriter<Row> writer(
          {.path = fw_path,
           .header = "id,name,amount",
           .footer_callback = [](std::string& out, int64_t n) { out += "total: " + std::to_string(n); }},
          [](const Row& r, cppbatch::FieldWriter& out) {
            out.write(r.id);
            out.write(r.name);
            out.write_fixed(r.amount, 2);
          });
      cppbatch::ExecutionContext ctx;
      writer.open(ctx);
      cppbatch::Chunk<Row> chunk;
      for (size_t i = 0; i < items.size(); i += 1000) {
        chunk.clear();
        for (size_t j = i; j < std::min(items.size(), i + 1000); ++j) chunk.add(items[j]);
        writer.write(chunk);
        writer.update(ctx);
      }
      writer.close();
    });
    bench::Timing b = bench::measure(reps, [&] {
      bench::HandCsvWriter writer(base_path);
      std::string& out = writer.buffer();
      out += "id,name,amount\n";
      char num[64];
      for (const Row& r : items) {
        auto res = std::to_chars(num, num + sizeof num, r.id);
        out.append(num, res.ptr);
        out += ',';
        bench::append_field(out, r.name);
        out += ',';
        res = std::to_chars(num, num + sizeof num, r.amount, std::chars_format::fixed, 2);
        out.append(num, res.ptr);
        out += '\n';
        writer.maybe_flush();
      }
      out += "total: " + std::to_string(items.size()) + "\n";
      writer.flush();
    });
    // The framework side copies each item into its chunk; both write the same bytes.
    if (!bench::same_content(fw_path, base_path)) {
      std::fprintf(stderr, "delimited write: outputs differ\n");
      same = false;
    }
    uint64_t bytes = std::filesystem::file_size(fw_path);
    rows.push_back({"delimited write + footer (chunks of 1000)", lines, f, b, bytes});
  }

  bench::print_rows(rows);
  return same ? 0 : 1;
}
