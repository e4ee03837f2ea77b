#include "cppbatch/infrastructure/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace cppbatch {
namespace {

constexpr size_t kInputBuffer = 128 * 1024;

// An open file descriptor, read with read(2).
class File {
 public:
  explicit File(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      throw std::runtime_error("cannot open input file '" + path + "': " + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || S_ISDIR(st.st_mode)) {
      int err = S_ISDIR(st.st_mode) ? EISDIR : errno;
      ::close(fd_);
      throw std::runtime_error("cannot read input file '" + path + "': " + std::strerror(err));
    }
    size_ = static_cast<int64_t>(st.st_size);
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~File() { ::close(fd_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  size_t read(char* buffer, size_t size) {
    ssize_t n;
    do {
      n = ::read(fd_, buffer, size);
    } while (n < 0 && errno == EINTR);
    if (n < 0) throw std::system_error(errno, std::generic_category(), "reading '" + path_ + "'");
    return static_cast<size_t>(n);
  }
  void seek(int64_t offset) {
    if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) {
      throw std::system_error(errno, std::generic_category(), "seeking in '" + path_ + "'");
    }
  }
  int64_t size() const { return size_; }

 private:
  std::string path_;
  int fd_ = -1;
  int64_t size_ = 0;
};

class PlainSource final : public ByteSource {
 public:
  PlainSource(std::string path, std::unique_ptr<File> file, const char* head, size_t head_size)
      : ByteSource(std::move(path)), file_(std::move(file)), head_(head, head + head_size) {}

  size_t read(char* buffer, size_t size) override {
    size_t n;
    if (head_used_ < head_.size()) {  // the bytes read to detect the format, then more
      n = std::min(size, head_.size() - head_used_);
      std::memcpy(buffer, head_.data() + head_used_, n);
      head_used_ += n;
      if (n < size) n += file_->read(buffer + n, size - n);  // a full first read, not 4 bytes
    } else {
      n = file_->read(buffer, size);
    }
    position_ += static_cast<int64_t>(n);
    return n;
  }
  int64_t seek(int64_t offset) override {
    offset = std::min(std::max<int64_t>(offset, 0), file_->size());
    file_->seek(offset);
    head_used_ = head_.size();
    position_ = offset;
    return offset;
  }
  int64_t position() const override { return position_; }
  std::optional<int64_t> size() const override { return file_->size(); }
  Compression compression() const override { return Compression::NONE; }

 private:
  std::unique_ptr<File> file_;
  std::vector<char> head_;
  size_t head_used_ = 0;
  int64_t position_ = 0;
};

// A stream decoder over the file's bytes; subclasses wrap one library.
class CompressedSource : public ByteSource {
 public:
  CompressedSource(std::string path, std::unique_ptr<File> file, const char* head,
                   size_t head_size)
      : ByteSource(std::move(path)), file_(std::move(file)), input_(kInputBuffer) {
    std::memcpy(input_.data(), head, head_size);
    input_end_ = head_size;
  }

  size_t read(char* buffer, size_t size) override {
    size_t produced = 0;
    for (;;) {
      if (input_pos_ == input_end_ && !file_eof_) {
        input_pos_ = 0;
        input_end_ = file_->read(input_.data(), input_.size());
        if (input_end_ == 0) file_eof_ = true;
      }
      const bool no_input = input_pos_ == input_end_;  // and the file is at its end
      if (no_input && at_frame_end()) return 0;
      size_t used = 0;
      // With no input left the decoder may still hold output to flush.
      produced = decode(input_.data() + input_pos_, input_end_ - input_pos_, &used, buffer, size);
      input_pos_ += used;
      if (produced > 0) break;
      if (no_input) fail("truncated data (the file ends inside a compressed stream)");
    }
    position_ += static_cast<int64_t>(produced);
    return produced;
  }

  int64_t seek(int64_t offset) override {
    if (offset < position_) {
      file_->seek(0);
      input_pos_ = input_end_ = 0;
      file_eof_ = false;
      reset();
      position_ = 0;
    }
    std::vector<char> discard(static_cast<size_t>(std::min<int64_t>(offset - position_, 256 * 1024)) + 1);
    while (position_ < offset) {
      size_t want = static_cast<size_t>(
          std::min<int64_t>(offset - position_, static_cast<int64_t>(discard.size())));
      if (read(discard.data(), want) == 0) break;
    }
    return position_;
  }
  int64_t position() const override { return position_; }
  std::optional<int64_t> size() const override { return std::nullopt; }

 protected:
  // Decodes from `in` (consuming *used bytes) into `out`; returns the bytes
  // produced (0 is fine when more input is needed).
  virtual size_t decode(const char* in, size_t in_size, size_t* used, char* out,
                        size_t out_size) = 0;
  // True between frames/members (the file may end there).
  virtual bool at_frame_end() const = 0;
  virtual void reset() = 0;

  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("input file '" + path() + "' (" +
                             std::string(to_string(compression())) + "): " + why);
  }

 private:
  std::unique_ptr<File> file_;
  std::vector<char> input_;
  size_t input_pos_ = 0;
  size_t input_end_ = 0;
  bool file_eof_ = false;
  int64_t position_ = 0;
};

class GzipSource final : public CompressedSource {
 public:
  GzipSource(std::string path, std::unique_ptr<File> file, const char* head, size_t head_size)
      : CompressedSource(std::move(path), std::move(file), head, head_size) {
    std::memset(&stream_, 0, sizeof stream_);
    if (inflateInit2(&stream_, 15 + 16) != Z_OK) fail("cannot initialise zlib");
  }
  ~GzipSource() override { inflateEnd(&stream_); }
  Compression compression() const override { return Compression::GZIP; }

 protected:
  size_t decode(const char* in, size_t in_size, size_t* used, char* out,
                size_t out_size) override {
    if (member_done_) {  // another member follows the previous one
      if (inflateReset(&stream_) != Z_OK) fail("cannot reset zlib");
      member_done_ = false;
    }
    const uInt in_avail = static_cast<uInt>(std::min<size_t>(in_size, 1u << 30));
    const uInt out_avail = static_cast<uInt>(std::min<size_t>(out_size, 1u << 30));
    // zlib's API takes non-const pointers but does not write the input.
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
    stream_.avail_in = in_avail;
    stream_.next_out = reinterpret_cast<Bytef*>(out);
    stream_.avail_out = out_avail;
    int rc = inflate(&stream_, Z_NO_FLUSH);
    *used = in_avail - stream_.avail_in;
    if (rc == Z_STREAM_END) {
      member_done_ = true;
    } else if (rc != Z_OK && !(rc == Z_BUF_ERROR && *used == 0 && in_avail == 0)) {
      fail(std::string("corrupt gzip data: ") +
           (stream_.msg != nullptr ? stream_.msg : zError(rc)));
    }
    started_ = true;
    return out_avail - stream_.avail_out;
  }
  bool at_frame_end() const override { return member_done_ || !started_; }
  void reset() override {
    if (inflateReset(&stream_) != Z_OK) fail("cannot reset zlib");
    member_done_ = false;
    started_ = false;
  }

 private:
  z_stream stream_;
  bool member_done_ = false;
  bool started_ = false;
};

class ZstdSource final : public CompressedSource {
 public:
  ZstdSource(std::string path, std::unique_ptr<File> file, const char* head, size_t head_size)
      : CompressedSource(std::move(path), std::move(file), head, head_size),
        context_(ZSTD_createDCtx()) {
    if (context_ == nullptr) fail("cannot create a zstd context");
  }
  ~ZstdSource() override { ZSTD_freeDCtx(context_); }
  Compression compression() const override { return Compression::ZSTD; }

 protected:
  size_t decode(const char* in, size_t in_size, size_t* used, char* out,
                size_t out_size) override {
    ZSTD_inBuffer input{in, in_size, 0};
    ZSTD_outBuffer output{out, out_size, 0};
    size_t rc = ZSTD_decompressStream(context_, &output, &input);
    if (ZSTD_isError(rc)) fail(std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc));
    *used = input.pos;
    if (input.pos > 0 || output.pos > 0) frame_done_ = rc == 0;
    return output.pos;
  }
  bool at_frame_end() const override { return frame_done_; }
  void reset() override {
    ZSTD_DCtx_reset(context_, ZSTD_reset_session_only);
    frame_done_ = true;
  }

 private:
  ZSTD_DCtx* context_;
  bool frame_done_ = true;  // an empty file is a valid (empty) input
};

}  // namespace

std::string_view to_string(Compression compression) {
  switch (compression) {
    case Compression::AUTO: return "auto";
    case Compression::NONE: return "none";
    case Compression::GZIP: return "gzip";
    case Compression::ZSTD: return "zstd";
  }
  return "?";
}

std::unique_ptr<ByteSource> open_byte_source(const std::string& path, Compression compression) {
  auto file = std::make_unique<File>(path);
  // Enough bytes to recognise the formats (a short file simply is plain).
  char head[4];
  size_t got = 0;
  while (got < sizeof head) {
    size_t n = file->read(head + got, sizeof head - got);
    if (n == 0) break;
    got += n;
  }
  if (compression == Compression::AUTO) {
    static constexpr unsigned char kGzip[] = {0x1f, 0x8b};
    static constexpr unsigned char kZstd[] = {0x28, 0xb5, 0x2f, 0xfd};
    if (got >= 2 && std::memcmp(head, kGzip, 2) == 0) {
      compression = Compression::GZIP;
    } else if (got >= 4 && std::memcmp(head, kZstd, 4) == 0) {
      compression = Compression::ZSTD;
    } else {
      compression = Compression::NONE;
    }
  }
  switch (compression) {
    case Compression::GZIP:
      return std::make_unique<GzipSource>(path, std::move(file), head, got);
    case Compression::ZSTD:
      return std::make_unique<ZstdSource>(path, std::move(file), head, got);
    default:
      return std::make_unique<PlainSource>(path, std::move(file), head, got);
  }
}

}  // namespace cppbatch
