#include "cppbatch/common/connection_url.hpp"

#include <cctype>
#include <charconv>

namespace cppbatch {
namespace {

constexpr std::string_view kSupported =
    "supported: sqlite:PATH (or a bare PATH), postgresql://[user[:password]@][host][:port][/database][?options]";

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Error bad(std::string_view url, const std::string& why) {
  return Error(ErrorCode::INVALID_ARGUMENT, "bad database URL '" + redact_url(url) + "': " + why);
}

// Appends `text` percent-encoding what would end or confuse its URL part.
void encode(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
}

Result<ConnectionUrl> parse_postgresql(std::string_view url, std::string_view rest) {
  ConnectionUrl result;
  result.kind = DatabaseKind::POSTGRESQL;
  if (rest.substr(0, 2) != "//") {
    // Not quoted: without '//' redact_url cannot tell a password apart.
    return Error(ErrorCode::INVALID_ARGUMENT, "bad database URL: expected '//' after 'postgresql:'");
  }
  rest.remove_prefix(2);
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view authority = rest;
  std::string_view database;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    database = rest.substr(slash + 1);
  }
  // user-info ends at the last '@' (an unescaped '@' in a password still parses)
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view info = authority.substr(0, at);
    authority = authority.substr(at + 1);
    std::string_view user = info;
    if (size_t colon = info.find(':'); colon != std::string_view::npos) {
      user = info.substr(0, colon);
      if (!percent_decode(info.substr(colon + 1), result.password)) {
        return bad(url, "bad percent-escape in the password");
      }
      result.has_password = true;
    }
    if (!percent_decode(user, result.user)) return bad(url, "bad percent-escape in the user name");
  }
  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (!host.empty() && host.front() == '[') {  // [IPv6]:port
    size_t close = host.find(']');
    if (close == std::string_view::npos) return bad(url, "unterminated '[' in the host");
    std::string_view after = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad(url, "unexpected text after ']'");
      port = after.substr(1);
      has_port = true;
    }
  } else if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
    has_port = true;
  }
  if (!percent_decode(host, result.host)) return bad(url, "bad percent-escape in the host");
  if (has_port) {
    int value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value <= 0 || value > 65535) {
      return bad(url, "port '" + std::string(port) + "' is not a number from 1 to 65535");
    }
    result.port = value;
  }
  if (!percent_decode(database, result.database)) return bad(url, "bad percent-escape in the database name");
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return bad(url, "option '" + std::string(pair.substr(0, 40)) + "' is not key=value");
    }
    std::string key, value;
    if (!percent_decode(pair.substr(0, eq), key) || !percent_decode(pair.substr(eq + 1), value)) {
      return bad(url, "bad percent-escape in an option");
    }
    result.options.emplace_back(std::move(key), std::move(value));
  }
  return result;
}

}  // namespace

std::string_view url_scheme(std::string_view url) {
  size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon < 2) return {};
  if (!std::isalpha(static_cast<unsigned char>(url[0]))) return {};
  for (size_t i = 1; i < colon; ++i) {
    char c = url[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
  }
  return url.substr(0, colon);
}

bool percent_decode(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return false;
    int hi = hex_value(text[i + 1]);
    int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

Result<ConnectionUrl> parse_connection_url(std::string_view url) {
  std::string_view scheme = url_scheme(url);
  if (scheme.empty()) {
    if (url.empty()) return bad(url, "empty URL (" + std::string(kSupported) + ")");
    ConnectionUrl result;
    result.path = std::string(url);
    return result;
  }
  std::string_view rest = url.substr(scheme.size() + 1);
  if (iequals(scheme, "sqlite")) {
    if (rest.substr(0, 2) == "//") rest.remove_prefix(2);  // sqlite:///abs/path, sqlite://relative
    if (rest.empty()) return bad(url, "names no file");
    ConnectionUrl result;
    result.path = std::string(rest);
    return result;
  }
  if (iequals(scheme, "postgresql") || iequals(scheme, "postgres")) return parse_postgresql(url, rest);
  return bad(url, "unsupported scheme '" + std::string(scheme) + "' (" + std::string(kSupported) + ")");
}

std::string ConnectionUrl::redacted() const {
  if (kind == DatabaseKind::SQLITE) return "sqlite:" + path;
  std::string out = "postgresql://";
  if (!user.empty() || has_password) {
    encode(user, out);
    if (has_password) out += ":***";
    out += '@';
  }
  if (host.find(':') != std::string::npos) {
    out += '[' + host + ']';
  } else {
    encode(host, out);
  }
  if (port != 0) out += ':' + std::to_string(port);
  if (!database.empty()) {
    out += '/';
    encode(database, out);
  }
  char separator = '?';
  for (const auto& [key, value] : options) {
    out += separator;
    separator = '&';
    encode(key, out);
    out += '=';
    if (iequals(key, "password")) {
      out += "***";
    } else {
      encode(value, out);
    }
  }
  return out;
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  // scheme://user:password@host
  size_t authority = out.find("://");
  if (authority != std::string::npos) {
    authority += 3;
    size_t end = out.find_first_of("/?#", authority);
    if (end == std::string::npos) end = out.size();
    size_t at = out.rfind('@', end - 1);
    if (at != std::string::npos && at >= authority) {
      size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=secret (query string or libpq "key=value" form)
  size_t pos = 0;
  while (pos < out.size()) {
    size_t found = std::string::npos;
    for (size_t i = pos; i + 9 <= out.size(); ++i) {
      if (iequals(std::string_view(out).substr(i, 9), "password=") &&
          (i == 0 || out[i - 1] == '?' || out[i - 1] == '&' || out[i - 1] == ';' ||
           std::isspace(static_cast<unsigned char>(out[i - 1])))) {
        found = i;
        break;
      }
    }
    if (found == std::string::npos) break;
    size_t value = found + 9;
    size_t end = out.find_first_of("&; \t\n#", value);
    if (end == std::string::npos) end = out.size();
    out.replace(value, end - value, "***");
    pos = value + 3;
  }
  return out;
}

}  // namespace cppbatch
