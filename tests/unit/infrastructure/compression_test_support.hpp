// Writes gzip and zstd files with the libraries' own APIs, for the tests
// of compressed input.
#pragma once

#include <zlib.h>
#include <zstd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "io_test_support.hpp"

namespace cppbatch::testing {

// One gzip member per element of `members` (concatenated, as `cat a.gz b.gz`).
inline void write_gzip(const std::string& path, const std::vector<std::string>& members) {
  std::string out;
  for (const std::string& content : members) {
    z_stream z{};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("deflateInit2");
    }
    std::string buf(deflateBound(&z, static_cast<uLong>(content.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(content.data()));
    z.avail_in = static_cast<uInt>(content.size());
    z.next_out = reinterpret_cast<Bytef*>(buf.data());
    z.avail_out = static_cast<uInt>(buf.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
    buf.resize(z.total_out);
    deflateEnd(&z);
    out += buf;
  }
  write_file(path, out);
}

inline void write_gzip(const std::string& path, const std::string& content) {
  write_gzip(path, std::vector<std::string>{content});
}

inline void write_zstd(const std::string& path, const std::string& content, int level = 3) {
  std::string buf(ZSTD_compressBound(content.size()), '\0');
  size_t n = ZSTD_compress(buf.data(), buf.size(), content.data(), content.size(), level);
  if (ZSTD_isError(n)) throw std::runtime_error(ZSTD_getErrorName(n));
  buf.resize(n);
  write_file(path, buf);
}

}  // namespace cppbatch::testing
