#include "cppbatch/infrastructure/file_split.hpp"

#include <cstdio>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "key_compare.hpp"
#include "sort_runs.hpp"

namespace cppbatch {
namespace {

constexpr size_t kOutputBuffer = 64 * 1024;
constexpr size_t kMaxNameBytes = 100;

uint32_t fnv1a(std::string_view text) {
  uint32_t h = 2166136261u;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

void check_pattern(const std::string& pattern) {
  size_t at = pattern.find("{}");
  if (at == std::string::npos || pattern.find("{}", at + 2) != std::string::npos) {
    throw std::invalid_argument("split: file name pattern '" + pattern + "' must hold exactly one {}");
  }
  if (pattern.find('/') != std::string::npos) {
    throw std::invalid_argument("split: file name pattern '" + pattern + "' must be a file name, not a path");
  }
}

struct Output {
  std::string file_name;
  std::unique_ptr<internal::BufferedFileOutput> file;  // null while closed
  std::list<Output*>::iterator lru;                    // valid while open
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

}  // namespace

std::string sanitize_file_name(std::string_view value) {
  std::string out;
  bool changed = false;
  for (char c : value) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (out.empty() && c == '.') ok = false;
    out.push_back(ok ? c : '_');
    changed |= !ok;
  }
  if (out.empty()) {
    out = "_";
    changed = true;
  }
  if (out.size() > kMaxNameBytes) {
    out.resize(kMaxNameBytes);
    changed = true;
  }
  if (changed) {
    char hash[16];
    std::snprintf(hash, sizeof hash, "-%08x", fnv1a(value));
    out += hash;
  }
  return out;
}

SplitResult split_file(const SplitOptions& options) {
  if (options.field.empty() && !options.column) throw std::invalid_argument("split: no field or column");
  if (options.output_directory.empty()) throw std::invalid_argument("split: no output directory");
  check_pattern(options.file_name_pattern);
  const size_t max_open = std::max<size_t>(options.max_open_files, 1);
  const size_t at = options.file_name_pattern.find("{}");
  const std::string prefix = options.file_name_pattern.substr(0, at);
  const std::string suffix = options.file_name_pattern.substr(at + 2);

  std::filesystem::create_directories(options.output_directory);
  const std::string staging =
      (std::filesystem::path(options.output_directory) / ("." + options.name + ".split.tmp")).string();
  internal::remove_quietly(staging);  // what a crashed run left
  struct Guard {
    std::string path;
    ~Guard() { internal::remove_quietly(path); }
  } guard{staging};
  std::filesystem::create_directories(staging);

  DelimitedReaderOptions input = options.input;
  input.save_state = false;
  DelimitedRecordReader reader(input);
  ExecutionContext context;
  reader.open(context);

  SplitResult result;
  std::unordered_map<std::string, Output, StringHash, std::equal_to<>> outputs;
  std::list<Output*> lru;  // most recently used first
  std::string header;
  std::optional<size_t> column = options.column;

  auto close_output = [&](Output& o) {
    o.file->close();  // flushes; syncing waits for the end (once per file)
    o.file.reset();
    lru.erase(o.lru);
  };
  auto open_output = [&](Output& o, bool fresh) {
    if (lru.size() >= max_open) close_output(*lru.back());
    o.file = std::make_unique<internal::BufferedFileOutput>(staging + "/" + o.file_name, /*append=*/!fresh,
                                                            /*sync=*/false, kOutputBuffer);
    lru.push_front(&o);
    o.lru = lru.begin();
    if (fresh && input.header_as_names) o.file->append_line(header);
  };

  bool first = true;
  std::unordered_map<std::string, std::string> owners;  // file name → the value it holds
  while (const FieldSet* fields = reader.next()) {
    if (first) {
      first = false;
      if (!column) {
        std::optional<size_t> index = reader.names().index_of(options.field);
        if (!index) {
          throw std::invalid_argument("split field '" + options.field + "' is not a field of '" + input.path + "'" +
                                      (reader.names().empty() ? std::string(" (it has no field names)")
                                                              : " (fields: " + reader.names().joined() + ")"));
        }
        column = *index;
      }
      if (input.header_as_names) header = internal::header_line(reader.names(), input);
    }
    std::string_view value = fields->read_string(*column);
    auto found = outputs.find(value);
    if (found == outputs.end()) {
      std::string file_name = prefix + sanitize_file_name(value) + suffix;
      auto [owner, added] = owners.emplace(file_name, std::string(value));
      if (!added) {
        throw std::runtime_error("split: values '" + owner->second + "' and '" + std::string(value) +
                                 "' map to the same file name '" + file_name + "'");
      }
      found = outputs.emplace(std::string(value), Output{std::move(file_name), nullptr, {}}).first;
      open_output(found->second, /*fresh=*/true);
    } else if (!found->second.file) {
      open_output(found->second, /*fresh=*/false);
      ++result.reopens;
    } else if (found->second.lru != lru.begin()) {
      lru.splice(lru.begin(), lru, found->second.lru);
    }
    found->second.file->append_line(fields->raw_line());
    ++result.records;
  }
  reader.close();
  while (!lru.empty()) close_output(*lru.front());

  // Everything is written: make it durable, then move the outputs into place.
  if (options.sync) {
    for (auto& [value, o] : outputs) internal::sync_file(staging + "/" + o.file_name);
    internal::sync_file(staging);
  }
  std::error_code ec;
  const auto input_path = std::filesystem::weakly_canonical(input.path, ec);
  for (auto& [value, o] : outputs) {
    auto target = std::filesystem::weakly_canonical(std::filesystem::path(options.output_directory) / o.file_name, ec);
    if (!ec && target == input_path) {
      throw std::runtime_error("split: the output for value '" + value + "' would replace the input '" + input.path +
                               "'");
    }
  }
  for (auto& [value, o] : outputs) {
    std::string target = (std::filesystem::path(options.output_directory) / o.file_name).string();
    std::filesystem::rename(staging + "/" + o.file_name, target);
  }
  if (options.sync) internal::sync_file(options.output_directory);
  result.files = outputs.size();
  return result;
}

SplitTasklet::SplitTasklet(SplitOptions options) : options_(std::move(options)) {
  if (options_.field.empty() && !options_.column) throw std::invalid_argument("split: no field or column");
  check_pattern(options_.file_name_pattern);
}

RepeatStatus SplitTasklet::execute(StepContribution& contribution, ChunkContext&) {
  SplitResult result = split_file(options_);
  contribution.increment_read_count(result.records);
  contribution.increment_write_count(result.records);
  return RepeatStatus::FINISHED;
}

}  // namespace cppbatch
