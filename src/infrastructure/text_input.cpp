#include "cppbatch/infrastructure/text_input.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace cppbatch {
namespace {

constexpr size_t kMinRead = 64 * 1024;

}  // namespace

TextInput::TextInput(std::string who) : who_(std::move(who)) {}

void TextInput::open(const std::string& path, Compression compression, size_t buffer_size,
                     size_t padding) {
  close();
  try {
    source_ = open_byte_source(path, compression);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(who_ + ": " + e.what());
  }
  capacity_ = std::max(buffer_size, 2 * kMinRead);
  padding_ = padding;
  buffer_ = std::make_unique_for_overwrite<char[]>(capacity_ + padding_);
  std::memset(buffer_.get() + capacity_, 0, padding_);
  begin_ = end_ = 0;
  eof_ = false;
  discard_line_ = false;
  buffer_offset_ = 0;
  lines_ = 0;
  fill();
  if (end_ >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0) begin_ = 3;
}

void TextInput::close() {
  source_.reset();
  buffer_.reset();
  capacity_ = begin_ = end_ = 0;
}

void TextInput::fill() {
  if (begin_ > 0) {
    size_t rest = end_ - begin_;
    std::memmove(buffer_.get(), buffer_.get() + begin_, rest);
    buffer_offset_ += static_cast<int64_t>(begin_);
    begin_ = 0;
    end_ = rest;
  }
  if (capacity_ - end_ < kMinRead) {
    size_t bigger = capacity_ * 2;
    auto grown = std::make_unique_for_overwrite<char[]>(bigger + padding_);
    std::memset(grown.get() + bigger, 0, padding_);
    std::memcpy(grown.get(), buffer_.get(), end_);
    buffer_ = std::move(grown);
    capacity_ = bigger;
  }
  size_t n = source_->read(buffer_.get() + end_, capacity_ - end_);
  if (n == 0) {
    eof_ = true;
  } else {
    end_ += n;
  }
}

void TextInput::resume(int64_t offset, int64_t lines, const std::string& who) {
  if (seek(offset, lines)) return;
  const bool compressed = source_->compression() != Compression::NONE;
  throw std::runtime_error(who + ": input file '" + source_->path() + "' has " +
                           std::to_string(this->offset()) + " bytes" +
                           (compressed ? " (uncompressed)" : "") + " but the restart offset is " +
                           std::to_string(offset) + " — was the file replaced?");
}

bool TextInput::seek(int64_t offset, int64_t lines) {
  int64_t reached = source_->seek(offset);
  buffer_offset_ = reached;
  begin_ = end_ = 0;
  eof_ = false;
  discard_line_ = false;
  if (reached != offset) return false;
  lines_ = lines;
  return true;
}


std::optional<TextInput::Line> TextInput::next_line_slow(size_t max_bytes) {
  for (;;) {
    if (begin_ == end_) {
      if (eof_) return std::nullopt;
      fill();
      continue;
    }
    const char* p = data();
    const size_t avail = available();
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', avail));
    if (discard_line_) {  // the rest of an overlong line
      if (nl == nullptr) {
        consume(avail, 0);
      } else {
        consume(static_cast<size_t>(nl - p) + 1, 1);
        discard_line_ = false;
      }
      continue;
    }
    if (nl == nullptr && !eof_) {
      if (avail > max_bytes) {
        Line line{std::string_view(p, max_bytes), lines_ + 1, true};
        consume(avail, 0);
        discard_line_ = true;
        return line;
      }
      fill();
      continue;
    }
    size_t size = nl != nullptr ? static_cast<size_t>(nl - p) : avail;
    Line line{std::string_view(p, size), lines_ + 1, false};
    consume(nl != nullptr ? size + 1 : size, nl != nullptr ? 1 : 0);
    if (!line.text.empty() && line.text.back() == '\r') line.text.remove_suffix(1);
    if (line.text.size() > max_bytes) {
      line.text = line.text.substr(0, max_bytes);
      line.overlong = true;
    }
    return line;
  }
}

}  // namespace cppbatch
