// The CSV workload shared by csv_transform_bench and csv_to_sqlite_bench:
// a generated transactions file (id,name,email,amount,date; ~62 bytes a
// line, a quarter of the names quoted because they hold a comma, 1 % with
// doubled quotes inside), the item type and transform both sides run, the
// framework's mapper/formatter, and the hand-written baseline's reader
// (read(2) into a 1 MiB buffer, RFC 4180 quotes handled the same way as
// DelimitedRecordReader: quoted fields may hold delimiters, doubled quotes
// and line breaks) and writer (formats into a buffer, one write(2) per MiB,
// quotes values holding the delimiter, a quote, CR or LF).
//
// Not a public API: only bench/*_bench.cpp include it.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cppbatch/common/time_format.hpp"
#include "cppbatch/infrastructure/field_set.hpp"
#include "cppbatch/infrastructure/field_writer.hpp"

namespace bench {

inline constexpr const char* kCsvHeader = "id,name,email,amount,date";

struct Txn {
  int64_t id = 0;
  std::string name;
  std::string email;
  double amount = 0;
  cppbatch::Date date{};
};

// The transform both sides run: name upper-cased (ASCII), a 1.5 % fee added
// to the amount, the value date moved to the next day.
inline Txn transform(const Txn& in) {
  Txn out;
  out.id = in.id;
  out.name = in.name;
  for (char& c : out.name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  out.email = in.email;
  out.amount = in.amount * 1.015;
  out.date = std::chrono::year_month_day(std::chrono::sys_days(in.date) + std::chrono::days(1));
  return out;
}

// ---- the input file --------------------------------------------------------

inline void write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "write");
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// Writes `lines` records plus a header to `path`; returns the file size.
inline uint64_t generate_csv(const std::string& path, size_t lines) {
  static const char* const kFirst[] = {"anna",  "bernard", "chloe", "dmitri", "elena",  "farid",  "gustav",
                                       "hana",  "ines",    "jonas", "kwame",  "laura",  "mateo",  "nadia",
                                       "oscar", "priya",   "quinn", "rosa",   "stefan", "tomoko"};
  static const char* const kLast[] = {"muller", "okafor",  "rossi",   "nguyen", "kowalski", "garcia", "smith",
                                      "tanaka", "dubois",  "hansen",  "silva",  "novak",    "ivanova", "chen",
                                      "meyer",  "fischer", "andrade", "larsen", "moreau",   "haddad"};
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
  std::string out;
  out.reserve(2 << 20);
  out += kCsvHeader;
  out += '\n';
  uint64_t total = 0;
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  char num[32];
  for (size_t i = 0; i < lines; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const char* first = kFirst[x % 20];
    const char* last = kLast[(x >> 8) % 20];
    auto r = std::to_chars(num, num + sizeof num, static_cast<int64_t>(1'000'000 + i));
    out.append(num, r.ptr);
    out += ',';
    const uint64_t kind = (x >> 16) % 100;
    if (kind == 0) {  // doubled quotes inside a quoted field
      out += '"';
      out += first;
      out += " \"\"the\"\" ";
      out += last;
      out += '"';
    } else if (kind <= 25) {  // a delimiter inside a quoted field
      out += '"';
      out += last;
      out += ", ";
      out += first;
      out += '"';
    } else {
      out += first;
      out += ' ';
      out += last;
    }
    out += ',';
    out += first;
    out += '.';
    out += last;
    out += "@example.com,";
    r = std::to_chars(num, num + sizeof num, static_cast<int64_t>((x >> 24) % 10'000'000) / 100.0,
                      std::chars_format::fixed, 2);
    out.append(num, r.ptr);
    out += ',';
    unsigned month = static_cast<unsigned>((x >> 40) % 12) + 1;
    unsigned day = static_cast<unsigned>((x >> 44) % 28) + 1;
    std::snprintf(num, sizeof num, "2026-%02u-%02u", month, day);
    out += num;
    out += '\n';
    if (out.size() >= (1 << 20)) {
      write_all(fd, out.data(), out.size());
      total += out.size();
      out.clear();
    }
  }
  write_all(fd, out.data(), out.size());
  total += out.size();
  ::close(fd);
  return total;
}

// ---- the framework side --------------------------------------------------------

inline Txn map_txn(const cppbatch::FieldSet& fs) {
  return Txn{fs.read_long(0), std::string(fs.read_string(1)), std::string(fs.read_string(2)), fs.read_double(3),
             fs.read_date(4)};
}

inline void format_txn(const Txn& t, cppbatch::FieldWriter& out) {
  out.write(t.id);
  out.write(t.name);
  out.write(t.email);
  out.write_fixed(t.amount, 2);
  out.write(t.date);
}

// ---- the hand-written baseline ---------------------------------------------

// "YYYY-MM-DD" into out[0..10).
inline void format_date_chars(cppbatch::Date date, char* out) {
  int y = static_cast<int>(date.year());
  unsigned m = static_cast<unsigned>(date.month());
  unsigned d = static_cast<unsigned>(date.day());
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
}

inline cppbatch::Date parse_date_chars(std::string_view s) {
  auto digit = [&](size_t i) {
    if (s[i] < '0' || s[i] > '9') throw std::runtime_error("bad date: " + std::string(s));
    return s[i] - '0';
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') throw std::runtime_error("bad date: " + std::string(s));
  int y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  unsigned m = static_cast<unsigned>(digit(5) * 10 + digit(6));
  unsigned d = static_cast<unsigned>(digit(8) * 10 + digit(9));
  cppbatch::Date date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!date.ok()) throw std::runtime_error("bad date: " + std::string(s));
  return date;
}

// Reads a delimited file record by record into views (valid until the
// next call). Quoting as RFC 4180 / DelimitedRecordReader.
class HandCsvReader {
 public:
  explicit HandCsvReader(const std::string& path) : buffer_(1 << 20) {
    fd_ = ::open(path.c_str(), O_RDONLY);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
  }
  ~HandCsvReader() {
    if (fd_ >= 0) ::close(fd_);
  }
  HandCsvReader(const HandCsvReader&) = delete;
  HandCsvReader& operator=(const HandCsvReader&) = delete;

  // Next non-empty record into `fields`; false at end of input.
  bool next(std::vector<std::string_view>& fields) {
    while (true) {
      size_t consumed = parse(fields);
      if (consumed > 0) {
        begin_ += consumed;
        if (fields.size() == 1 && fields[0].empty()) continue;  // empty line
        return true;
      }
      if (eof_) return false;
      refill();
    }
  }

 private:
  void refill() {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    while (true) {
      ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::system_error(errno, std::generic_category(), "read");
      if (n == 0) eof_ = true;
      end_ += static_cast<size_t>(n);
      return;
    }
  }

  // Tokenises the record at begin_; returns its size including the line
  // break, or 0 when the buffer does not hold it whole yet (or is empty at
  // end of input).
  size_t parse(std::vector<std::string_view>& fields) {
    const char* const p = buffer_.data() + begin_;
    const char* const e = buffer_.data() + end_;
    if (p == e) return 0;
    fields.clear();
    scratch_.clear();
    scratch_.reserve(end_ - begin_);  // views into it must survive the record
    const char* q = p;
    while (true) {
      if (q < e && *q == '"') {
        const char* s = q + 1;
        const char* r = s;
        bool escaped = false;
        const char* close = nullptr;
        while (true) {
          const void* hit = std::memchr(r, '"', static_cast<size_t>(e - r));
          if (hit == nullptr) {
            if (eof_) throw std::runtime_error("unterminated quote");
            return 0;
          }
          const char* h = static_cast<const char*>(hit);
          if (h + 1 == e && !eof_) return 0;
          if (h + 1 < e && h[1] == '"') {
            escaped = true;
            r = h + 2;
            continue;
          }
          close = h;
          break;
        }
        std::string_view value(s, static_cast<size_t>(close - s));
        if (escaped) {
          size_t start = scratch_.size();
          for (size_t i = 0; i < value.size(); ++i) {
            scratch_ += value[i];
            if (value[i] == '"') ++i;
          }
          value = std::string_view(scratch_.data() + start, scratch_.size() - start);
        }
        fields.push_back(value);
        q = close + 1;
        if (q == e) {
          if (!eof_) return 0;
          return static_cast<size_t>(q - p);
        }
        if (*q == ',') {
          ++q;
          continue;
        }
        if (*q == '\n') return static_cast<size_t>(q + 1 - p);
        if (*q == '\r') {
          if (q + 1 == e && !eof_) return 0;
          if (q + 1 == e) return static_cast<size_t>(q + 1 - p);
          if (q[1] == '\n') return static_cast<size_t>(q + 2 - p);
        }
        throw std::runtime_error("characters after a closing quote");
      }
      const char* r = q;
      while (r < e && *r != ',' && *r != '\n') ++r;
      if (r == e) {
        if (!eof_) return 0;
        std::string_view value(q, static_cast<size_t>(r - q));
        if (!value.empty() && value.back() == '\r') value.remove_suffix(1);
        fields.push_back(value);
        return static_cast<size_t>(r - p);
      }
      std::string_view value(q, static_cast<size_t>(r - q));
      if (*r == '\n') {
        if (!value.empty() && value.back() == '\r') value.remove_suffix(1);
        fields.push_back(value);
        return static_cast<size_t>(r + 1 - p);
      }
      fields.push_back(value);
      q = r + 1;
    }
  }

  int fd_ = -1;
  std::vector<char> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  std::string scratch_;
};

// Fields → Txn with the same checks the framework's mapper makes (count,
// integer, number, calendar date).
inline Txn hand_parse_txn(const std::vector<std::string_view>& f) {
  if (f.size() != 5) throw std::runtime_error("expected 5 fields");
  Txn t;
  auto r1 = std::from_chars(f[0].data(), f[0].data() + f[0].size(), t.id);
  if (r1.ec != std::errc() || r1.ptr != f[0].data() + f[0].size()) throw std::runtime_error("bad id");
  t.name = f[1];
  t.email = f[2];
  auto r2 = std::from_chars(f[3].data(), f[3].data() + f[3].size(), t.amount);
  if (r2.ec != std::errc() || r2.ptr != f[3].data() + f[3].size()) throw std::runtime_error("bad amount");
  t.date = parse_date_chars(f[4]);
  return t;
}

// Appends `value`, quoted (quotes doubled) when it holds ',', '"', CR or LF.
inline void append_field(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

inline void hand_format_txn(const Txn& t, std::string& out) {
  char num[64];
  auto r = std::to_chars(num, num + sizeof num, t.id);
  out.append(num, r.ptr);
  out += ',';
  append_field(out, t.name);
  out += ',';
  append_field(out, t.email);
  out += ',';
  r = std::to_chars(num, num + sizeof num, t.amount, std::chars_format::fixed, 2);
  out.append(num, r.ptr);
  out += ',';
  format_date_chars(t.date, num);
  out.append(num, 10);
  out += '\n';
}

// Buffered output file: one write(2) per MiB.
class HandCsvWriter {
 public:
  explicit HandCsvWriter(const std::string& path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
    buffer_.reserve((1 << 20) + 4096);
  }
  ~HandCsvWriter() {
    if (fd_ >= 0) {
      flush();
      ::close(fd_);
    }
  }
  HandCsvWriter(const HandCsvWriter&) = delete;
  HandCsvWriter& operator=(const HandCsvWriter&) = delete;

  std::string& buffer() { return buffer_; }
  // Call after each record.
  void maybe_flush() {
    if (buffer_.size() >= (1 << 20)) flush();
  }
  void flush() {
    write_all(fd_, buffer_.data(), buffer_.size());
    buffer_.clear();
  }

 private:
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace bench
