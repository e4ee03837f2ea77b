// Header and footer callbacks of the flat file writers, append mode, and
// the restart contract with a footer (delimited and fixed-length).
#include <gtest/gtest.h>

#include "cppbatch/infrastructure/delimited_file_writer.hpp"
#include "cppbatch/infrastructure/fixed_length_file_writer.hpp"
#include "writer_restart_support.hpp"

namespace cppbatch {
namespace {

using testing::Failure;
using testing::read_file;
using testing::ScratchDir;
using testing::write_file;

struct Line {
  int64_t id;
  std::string text;
};

std::vector<Line> lines(int n) {
  std::vector<Line> out;
  for (int i = 1; i <= n; ++i) out.push_back({i, "item, " + std::to_string(i)});
  return out;
}

DelimitedWriterOptions csv_options(const std::string& path) {
  return {.path = path,
          .name = "csv",
          .header = "id,text",
          .header_callback = [](std::string& out) { out += "# generated"; },
          .footer_callback = [](std::string& out, int64_t n) { out += "total: " + std::to_string(n); }};
}

void format_line(const Line& l, FieldWriter& out) {
  out.write(l.id);
  out.write(l.text);
}

TEST(FlatFileWriterTest, HeaderOnceFooterAtCloseWithTheCount) {
  ScratchDir dir;
  const std::string path = dir.file("out.csv");
  std::function<std::unique_ptr<DelimitedFileWriter<Line>>()> make = [&] {
    return std::make_unique<DelimitedFileWriter<Line>>(csv_options(path), format_line);
  };
  testing::run_writer(make, lines(3), 2);
  EXPECT_EQ(read_file(path),
            "id,text# generated\n1,\"item, 1\"\n2,\"item, 2\"\n3,\"item, 3\"\ntotal: 3\n");
}

TEST(FlatFileWriterTest, RestartRemovesTheFooterOfTheFailedRunAndUncommittedLines) {
  ScratchDir dir;
  const std::string expected_path = dir.file("expected.csv");
  std::function<std::unique_ptr<DelimitedFileWriter<Line>>()> make_expected = [&] {
    return std::make_unique<DelimitedFileWriter<Line>>(csv_options(expected_path), format_line);
  };
  testing::run_writer(make_expected, lines(23), 5);
  const std::string expected = read_file(expected_path);
  ASSERT_NE(expected.find("total: 23\n"), std::string::npos);
  for (Failure failure : {Failure::CLOSE_WITHOUT_UPDATE, Failure::CRASH}) {
    for (size_t k : {0u, 1u, 3u, 4u}) {
      SCOPED_TRACE(std::to_string(k) + (failure == Failure::CRASH ? " crash" : " close"));
      const std::string path = dir.file("out.csv");
      std::function<std::unique_ptr<DelimitedFileWriter<Line>>()> make = [&] {
        return std::make_unique<DelimitedFileWriter<Line>>(csv_options(path), format_line);
      };
      testing::run_writer(make, lines(23), 5, k, failure);
      EXPECT_EQ(read_file(path), expected);
    }
  }
}

TEST(FlatFileWriterTest, FailedRunLeavesAFooterThatTheRestartTruncates) {
  ScratchDir dir;
  const std::string path = dir.file("out.csv");
  DelimitedFileWriter<Line> writer(csv_options(path), format_line);
  ExecutionContext ctx;
  writer.open(ctx);
  writer.write(Chunk<Line>(lines(1)));
  writer.update(ctx);
  writer.write(Chunk<Line>(lines(2)));  // not committed
  writer.close();
  EXPECT_EQ(read_file(path),
            "id,text# generated\n1,\"item, 1\"\n1,\"item, 1\"\n2,\"item, 2\"\ntotal: 3\n");
  ExecutionContext restart = testing::persisted(ctx);
  DelimitedFileWriter<Line> again(csv_options(path), format_line);
  again.open(restart);
  EXPECT_EQ(read_file(path), "id,text# generated\n1,\"item, 1\"\n");
  again.close();
  EXPECT_EQ(read_file(path), "id,text# generated\n1,\"item, 1\"\ntotal: 1\n");
}

TEST(FlatFileWriterTest, AppendModeWritesTheHeaderOnlyToAnEmptyFileAndAFooterPerRun) {
  ScratchDir dir;
  const std::string path = dir.file("out.csv");
  auto options = csv_options(path);
  options.append = true;
  for (int run = 0; run < 2; ++run) {
    DelimitedFileWriter<Line> writer(options, format_line);
    ExecutionContext ctx;
    writer.open(ctx);
    writer.write(Chunk<Line>(lines(run + 1)));
    writer.update(ctx);
    writer.close();
  }
  EXPECT_EQ(read_file(path),
            "id,text# generated\n1,\"item, 1\"\ntotal: 1\n1,\"item, 1\"\n2,\"item, 2\"\ntotal: 2\n");
  // Restart of an appending run truncates to its own committed offset only.
  const std::string before = read_file(path);
  DelimitedFileWriter<Line> writer(options, format_line);
  ExecutionContext ctx;
  writer.open(ctx);
  ExecutionContext committed = testing::persisted(ctx);
  writer.write(Chunk<Line>(lines(2)));
  writer.close();
  DelimitedFileWriter<Line> restarted(options, format_line);
  restarted.open(committed);
  EXPECT_EQ(read_file(path), before);
  restarted.write(Chunk<Line>(lines(1)));
  restarted.update(committed);
  restarted.close();
  EXPECT_EQ(read_file(path), before + "1,\"item, 1\"\ntotal: 1\n");
}

TEST(FlatFileWriterTest, FixedLengthWriterRestartsWithHeaderAndFooter) {
  ScratchDir dir;
  auto options = [&](const std::string& path) {
    return FixedLengthWriterOptions{
        .path = path,
        .columns = {{"id", 4, Align::RIGHT, '0'}, {"text", 10}},
        .header_callback = [](std::string& out) { out += "HEADER"; },
        .footer_callback = [](std::string& out, int64_t n) { out += "F" + std::to_string(n) + "\n"; }};
  };
  auto format = [](const Line& l, FixedLengthFieldWriter& out) {
    out.write(l.id);
    out.write(l.text);
  };
  const std::string expected_path = dir.file("expected.txt");
  std::function<std::unique_ptr<FixedLengthFileWriter<Line>>()> make_expected = [&] {
    return std::make_unique<FixedLengthFileWriter<Line>>(options(expected_path), format);
  };
  testing::run_writer(make_expected, lines(9), 2);
  EXPECT_EQ(read_file(expected_path).substr(0, 22), "HEADER\n0001item, 1   \n");
  EXPECT_EQ(read_file(expected_path).substr(read_file(expected_path).size() - 3), "F9\n");
  for (size_t k : {0u, 2u, 4u}) {
    const std::string path = dir.file("out.txt");
    std::function<std::unique_ptr<FixedLengthFileWriter<Line>>()> make = [&] {
      return std::make_unique<FixedLengthFileWriter<Line>>(options(path), format);
    };
    testing::run_writer(make, lines(9), 2, k);
    EXPECT_EQ(read_file(path), read_file(expected_path)) << k;
  }
}

}  // namespace
}  // namespace cppbatch
