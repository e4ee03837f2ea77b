#include "cppbatch/infrastructure/file_sort.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "key_compare.hpp"
#include "sort_runs.hpp"

namespace cppbatch {
namespace {

using internal::compare_keys;

constexpr size_t kMinBudget = 64 * 1024;
constexpr size_t kMaxBudget = size_t{1} << 32;  // offsets in a block are 32-bit
constexpr size_t kMinRunBuffer = 64 * 1024;

// One sort block: record bytes (key then raw text) packed from the front,
// entries from the back, in a single allocation of the budget — so the
// memory used is the budget whatever the record sizes.
class SortBlock {
 public:
  struct Entry {
    uint64_t prefix;  // first 8 key bytes, big-endian, zero-padded
    uint32_t offset;  // of the key in the byte area
    uint32_t key_size;
    uint32_t raw_size;
    uint32_t unused;
  };

  explicit SortBlock(size_t bytes) { reset_capacity(bytes); }

  // Adds a record; false when it does not fit (the block is full). An empty
  // block grows to take a record larger than the whole budget.
  bool add(std::string_view key, std::string_view raw) {
    const size_t need = key.size() + raw.size();
    if (used_ + need + (count_ + 1) * sizeof(Entry) > capacity_bytes()) {
      if (count_ > 0) return false;
      reset_capacity(need + sizeof(Entry) + sizeof(Entry));
    }
    char* base = bytes();
    std::memcpy(base + used_, key.data(), key.size());
    std::memcpy(base + used_ + key.size(), raw.data(), raw.size());
    Entry& e = storage_[size_ - 1 - count_];
    e.prefix = 0;
    for (size_t i = 0; i < 8; ++i) {
      e.prefix = (e.prefix << 8) | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0u);
    }
    e.offset = static_cast<uint32_t>(used_);
    e.key_size = static_cast<uint32_t>(key.size());
    e.raw_size = static_cast<uint32_t>(raw.size());
    used_ += need;
    ++count_;
    return true;
  }

  // Sorts by key; equal keys keep their insertion order (offsets grow with it).
  void sort() {
    const char* base = bytes();
    std::sort(entries_begin(), entries_end(), [base](const Entry& a, const Entry& b) {
      if (a.prefix != b.prefix) return a.prefix < b.prefix;
      if (a.key_size > 8 && b.key_size > 8) {
        int c = compare_keys(std::string_view(base + a.offset + 8, a.key_size - 8),
                             std::string_view(base + b.offset + 8, b.key_size - 8));
        if (c != 0) return c < 0;
      } else if (a.key_size != b.key_size) {
        return a.key_size < b.key_size;
      }
      return a.offset < b.offset;
    });
  }

  template <class F>
  void for_each(F&& f) const {
    const char* base = bytes();
    for (const Entry* e = entries_begin(); e != entries_end(); ++e) {
      f(std::string_view(base + e->offset, e->key_size), std::string_view(base + e->offset + e->key_size, e->raw_size));
    }
  }

  size_t count() const { return count_; }
  void clear() {
    used_ = 0;
    count_ = 0;
  }

 private:
  // Not value-initialised: pages of a large budget are touched only when used.
  void reset_capacity(size_t bytes_wanted) {
    size_ = (bytes_wanted + sizeof(Entry) - 1) / sizeof(Entry);
    storage_.reset();
    storage_.reset(new Entry[size_]);
  }
  size_t capacity_bytes() const { return size_ * sizeof(Entry); }
  char* bytes() { return reinterpret_cast<char*>(storage_.get()); }
  const char* bytes() const { return reinterpret_cast<const char*>(storage_.get()); }
  Entry* entries_begin() { return storage_.get() + size_ - count_; }
  Entry* entries_end() { return storage_.get() + size_; }
  const Entry* entries_begin() const { return storage_.get() + size_ - count_; }
  const Entry* entries_end() const { return storage_.get() + size_; }

  std::unique_ptr<Entry[]> storage_;
  size_t size_ = 0;  // entries' worth of storage
  size_t used_ = 0;   // bytes of records at the front
  size_t count_ = 0;  // entries at the back
};

// Merges sorted run files in order (ties: the earlier run first) into `emit(key, raw)`.
template <class Emit>
void merge_runs(const std::vector<std::string>& runs, size_t buffer_size, Emit&& emit) {
  std::vector<std::unique_ptr<internal::RunReader>> readers;
  std::vector<size_t> heap;
  for (size_t i = 0; i < runs.size(); ++i) {
    readers.push_back(std::make_unique<internal::RunReader>(runs[i], buffer_size));
    if (readers.back()->next()) heap.push_back(i);
  }
  auto after = [&](size_t a, size_t b) {  // heap order: the smallest on top
    int c = compare_keys(readers[a]->key(), readers[b]->key());
    return c > 0 || (c == 0 && a > b);
  };
  std::make_heap(heap.begin(), heap.end(), after);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), after);
    size_t top = heap.back();
    emit(readers[top]->key(), readers[top]->raw());
    if (readers[top]->next()) {
      std::push_heap(heap.begin(), heap.end(), after);
    } else {
      heap.pop_back();
    }
  }
}

// Removes the run directory on every exit path.
struct DirectoryGuard {
  std::string path;
  ~DirectoryGuard() { internal::remove_quietly(path); }
};

}  // namespace

SortResult sort_file(const SortOptions& options) {
  if (options.output.empty()) throw std::invalid_argument("sort: no output file");
  if (options.input.path.empty()) throw std::invalid_argument("sort: no input file");
  std::error_code in_error, out_error;
  auto in_path = std::filesystem::weakly_canonical(options.input.path, in_error);
  auto out_path = std::filesystem::weakly_canonical(options.output, out_error);
  if (options.input.path == options.output || (!in_error && !out_error && in_path == out_path)) {
    throw std::invalid_argument("sort: output '" + options.output + "' is the input file");
  }
  KeyEncoder encoder(options.keys);
  const size_t budget = std::clamp(options.memory_budget, kMinBudget, kMaxBudget - 1);
  const size_t fan_in = std::max<size_t>(options.fan_in, 2);
  const size_t run_buffer = std::max(kMinRunBuffer, budget / (fan_in + 1));

  std::filesystem::path output(options.output);
  std::filesystem::path temp_base = options.temp_directory.empty() ? output.parent_path()
                                                                   : std::filesystem::path(options.temp_directory);
  if (temp_base.empty()) temp_base = ".";
  // A fixed name, so a rerun after a crash (kill -9) clears what the dead run left.
  DirectoryGuard runs_dir{(temp_base / ("." + output.filename().string() + ".sort.d")).string()};
  internal::remove_quietly(runs_dir.path);
  internal::remove_quietly(internal::AtomicFileOutput::temporary_path(options.output));

  DelimitedReaderOptions input = options.input;
  input.save_state = false;
  DelimitedRecordReader reader(input);
  ExecutionContext context;
  reader.open(context);

  SortResult result;
  SortBlock block(budget);
  std::vector<std::string> runs;
  auto spill = [&] {
    if (runs.empty()) std::filesystem::create_directories(runs_dir.path);
    std::string path = runs_dir.path + "/run-" + std::to_string(runs.size());
    block.sort();
    internal::RunWriter writer(path, run_buffer);
    block.for_each([&](std::string_view key, std::string_view raw) { writer.add(key, raw); });
    writer.finish();
    runs.push_back(std::move(path));
    block.clear();
  };

  std::string key;
  while (const FieldSet* fields = reader.next()) {
    if (!encoder.resolved()) encoder.resolve(reader.names());
    key.clear();
    encoder.encode(*fields, key);
    if (!block.add(key, fields->raw_line())) {
      spill();
      block.add(key, fields->raw_line());
    }
    ++result.records;
  }
  if (!encoder.resolved() && !reader.names().empty()) encoder.resolve(reader.names());
  std::string header = input.header_as_names ? internal::header_line(reader.names(), input) : std::string();
  reader.close();

  internal::AtomicFileOutput out(options.output, options.sync);
  if (input.header_as_names) out.out().append_line(header);
  if (runs.empty()) {
    block.sort();
    block.for_each([&](std::string_view, std::string_view raw) { out.out().append_line(raw); });
  } else {
    if (block.count() > 0) spill();
    result.runs = runs.size();
    size_t next_id = runs.size();
    while (runs.size() > fan_in) {
      std::vector<std::string> merged;
      for (size_t first = 0; first < runs.size(); first += fan_in) {
        std::vector<std::string> group(runs.begin() + static_cast<std::ptrdiff_t>(first),
                                       runs.begin() + static_cast<std::ptrdiff_t>(std::min(first + fan_in, runs.size())));
        if (group.size() == 1) {
          merged.push_back(group[0]);
          continue;
        }
        std::string path = runs_dir.path + "/run-" + std::to_string(next_id++);
        internal::RunWriter writer(path, run_buffer);
        merge_runs(group, run_buffer, [&](std::string_view k, std::string_view raw) { writer.add(k, raw); });
        writer.finish();
        for (const std::string& done : group) internal::remove_quietly(done);
        merged.push_back(std::move(path));
      }
      runs = std::move(merged);
      ++result.merge_passes;
    }
    merge_runs(runs, run_buffer, [&](std::string_view, std::string_view raw) { out.out().append_line(raw); });
  }
  out.commit();
  return result;
}

SortTasklet::SortTasklet(SortOptions options) : options_(std::move(options)) {
  (void)KeyEncoder(options_.keys);  // bad keys fail at build time, not at run time
}

RepeatStatus SortTasklet::execute(StepContribution& contribution, ChunkContext&) {
  result_ = sort_file(options_);
  contribution.increment_read_count(result_.records);
  contribution.increment_write_count(result_.records);
  return RepeatStatus::FINISHED;
}

}  // namespace cppbatch
