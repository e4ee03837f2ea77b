#include "cppbatch/infrastructure/pg_connection.hpp"

#include <charconv>
#include <cstring>

#include "infrastructure/pg_internal.hpp"

namespace cppbatch {

struct PgConnection::Impl {
  PGconn* conn = nullptr;
  std::string redacted;
  std::string password;  // scrubbed from every message, in case a server echoes it
  ~Impl() {
    if (conn != nullptr) PQfinish(conn);
  }
};

namespace {

std::string scrub(std::string message, const std::string& password) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (password.size() >= 1) {
    for (size_t at = message.find(password); at != std::string::npos; at = message.find(password, at + 3)) {
      message.replace(at, password.size(), "***");
    }
  }
  return message;
}

}  // namespace

PgConnection::PgConnection(std::string_view url) {
  auto parsed = parse_connection_url(url);
  if (!parsed) throw PgError(parsed.error().message(), "");
  *this = PgConnection(*parsed);
}

PgConnection::PgConnection(const ConnectionUrl& url) : impl_(std::make_unique<Impl>()) {
  impl_->redacted = url.redacted();
  if (url.kind != DatabaseKind::POSTGRESQL) {
    throw PgError("cannot connect to '" + impl_->redacted + "': not a postgresql:// URL", "");
  }
  impl_->password = url.password;
  std::vector<std::string> keys, values;
  auto add = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    keys.emplace_back(key);
    values.push_back(value);
  };
  add("host", url.host);
  add("port", url.port != 0 ? std::to_string(url.port) : std::string());
  add("dbname", url.database);
  add("user", url.user);
  if (url.has_password) add("password", url.password);
  for (const auto& [key, value] : url.options) {
    keys.push_back(key);
    values.push_back(value);
  }
  add("client_encoding", std::string("UTF8"));
  std::vector<const char*> key_ptrs, value_ptrs;
  for (size_t i = 0; i < keys.size(); ++i) {
    key_ptrs.push_back(keys[i].c_str());
    value_ptrs.push_back(values[i].c_str());
  }
  key_ptrs.push_back(nullptr);
  value_ptrs.push_back(nullptr);
  impl_->conn = PQconnectdbParams(key_ptrs.data(), value_ptrs.data(), 0);
  if (impl_->conn == nullptr) throw PgError("cannot connect to '" + impl_->redacted + "': out of memory", "");
  if (PQstatus(impl_->conn) != CONNECTION_OK) {
    std::string reason = scrub(PQerrorMessage(impl_->conn), impl_->password);
    std::string sqlstate;
    if (reason.find("password authentication failed") != std::string::npos) sqlstate = "28P01";
    throw PgError("cannot connect to '" + impl_->redacted + "': " + reason, sqlstate);
  }
}

PgConnection::~PgConnection() = default;
PgConnection::PgConnection(PgConnection&& other) noexcept = default;
PgConnection& PgConnection::operator=(PgConnection&& other) noexcept = default;

void PgConnection::execute(std::string_view sql) {
  PGresult* result = PQexec(impl_->conn, std::string(sql).c_str());
  ExecStatusType status = PQresultStatus(result);
  internal::PgResultPtr owned(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    internal::throw_pg_error(*this, result, "executing " + std::string(sql.substr(0, 200)));
  }
}

void PgConnection::execute(std::string_view sql, const std::vector<SqlValue>& parameters) {
  (void)internal::exec_params(*this, sql, parameters);
}

std::optional<int64_t> PgConnection::query_long(std::string_view sql, const std::vector<SqlValue>& parameters) {
  auto result = internal::exec_params(*this, sql, parameters);
  if (PQntuples(result.get()) == 0 || PQnfields(result.get()) == 0 || PQgetisnull(result.get(), 0, 0)) {
    return std::nullopt;
  }
  const char* text = PQgetvalue(result.get(), 0, 0);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text, text + std::strlen(text), value);
  if (ec != std::errc() || *end != '\0') {
    throw PgError("'" + impl_->redacted + "': not an integer: " + std::string(text), "");
  }
  return value;
}

std::optional<std::string> PgConnection::query_string(std::string_view sql, const std::vector<SqlValue>& parameters) {
  auto result = internal::exec_params(*this, sql, parameters);
  if (PQntuples(result.get()) == 0 || PQnfields(result.get()) == 0 || PQgetisnull(result.get(), 0, 0)) {
    return std::nullopt;
  }
  return std::string(PQgetvalue(result.get(), 0, 0), static_cast<size_t>(PQgetlength(result.get(), 0, 0)));
}

bool PgConnection::in_transaction() const {
  PGTransactionStatusType status = PQtransactionStatus(impl_->conn);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

const std::string& PgConnection::redacted_url() const { return impl_->redacted; }

void* PgConnection::native_handle() const { return impl_->conn; }

namespace internal {

void throw_pg_error(const PgConnection& connection, const PGresult* result, std::string_view context) {
  std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(pg(connection));
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  throw PgError("'" + connection.redacted_url() + "': " + std::string(context) + ": " + message,
                state != nullptr ? state : "");
}

PgResultPtr check(const PgConnection& connection, PGresult* result, ExecStatusType expected,
                  std::string_view context) {
  PgResultPtr owned(result);
  if (PQresultStatus(result) != expected) throw_pg_error(connection, result, context);
  return owned;
}

bool to_text(const SqlValue& value, std::string& out) {
  out.clear();
  if (const auto* i = std::get_if<int64_t>(&value)) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, *i);
    out.assign(buffer, end);
  } else if (const auto* d = std::get_if<double>(&value)) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, *d);
    out.assign(buffer, end);
    if (out == "inf") out = "Infinity";
    if (out == "-inf") out = "-Infinity";
    if (out == "nan" || out == "-nan") out = "NaN";
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    out = *s;
  } else {
    return false;
  }
  return true;
}

PgResultPtr exec_params(const PgConnection& connection, std::string_view sql, const std::vector<SqlValue>& parameters) {
  std::vector<std::string> texts(parameters.size());
  std::vector<const char*> values(parameters.size());
  for (size_t i = 0; i < parameters.size(); ++i) {
    values[i] = to_text(parameters[i], texts[i]) ? texts[i].c_str() : nullptr;
  }
  PGresult* result = PQexecParams(pg(connection), std::string(sql).c_str(), static_cast<int>(values.size()), nullptr,
                                  values.data(), nullptr, nullptr, 0);
  ExecStatusType status = PQresultStatus(result);
  PgResultPtr owned(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw_pg_error(connection, result, "executing " + std::string(sql.substr(0, 200)));
  }
  return owned;
}

namespace {

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::string rewrite_named_parameters(std::string_view sql, std::vector<std::string>& names, int first_number) {
  names.clear();
  std::string out;
  out.reserve(sql.size() + 16);
  size_t i = 0;
  const size_t n = sql.size();
  auto copy_until = [&](size_t end) {
    out.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < n) {
    char c = sql[i];
    if (c == '\'' || c == '"') {  // literal or quoted identifier ('' / "" escapes)
      size_t j = i + 1;
      while (j < n) {
        if (sql[j] == c) {
          if (j + 1 < n && sql[j + 1] == c) {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      copy_until(std::min(n, j + 1));
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      size_t j = sql.find('\n', i);
      copy_until(j == std::string_view::npos ? n : j);
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      size_t j = sql.find("*/", i + 2);
      copy_until(j == std::string_view::npos ? n : j + 2);
    } else if (c == '$' && (i == 0 || !ident_char(sql[i - 1]))) {  // $tag$...$tag$ (not $1)
      size_t j = i + 1;
      while (j < n && ident_char(sql[j]) && !std::isdigit(static_cast<unsigned char>(sql[i + 1]))) ++j;
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);
        size_t close = sql.find(tag, j + 1);
        copy_until(close == std::string_view::npos ? n : close + tag.size());
      } else {
        copy_until(i + 1);
      }
    } else if (c == ':' && i + 1 < n && sql[i + 1] == ':') {
      copy_until(i + 2);  // a cast
    } else if (c == ':' && i + 1 < n && ident_start(sql[i + 1]) && (i == 0 || sql[i - 1] != ':')) {
      size_t j = i + 1;
      while (j < n && ident_char(sql[j])) ++j;
      std::string name(sql.substr(i + 1, j - i - 1));
      size_t index = 0;
      while (index < names.size() && names[index] != name) ++index;
      if (index == names.size()) names.push_back(name);
      out += '$';
      out += std::to_string(first_number + static_cast<int>(index));
      i = j;
    } else {
      copy_until(i + 1);
    }
  }
  return out;
}

std::vector<SqlValue> order_bindings(const std::vector<SqlBinding>& bindings, const std::vector<std::string>& names,
                                     std::string_view sql) {
  std::vector<SqlValue> positional;
  std::vector<std::optional<SqlValue>> named(names.size());
  for (const SqlBinding& b : bindings) {
    if (b.name.empty()) {
      positional.push_back(b.value);
      continue;
    }
    std::string_view name = b.name;
    if (name.front() == ':' || name.front() == '@' || name.front() == '$') name.remove_prefix(1);
    size_t index = 0;
    while (index < names.size() && names[index] != name) ++index;
    if (index == names.size()) {
      throw std::invalid_argument("SQL parameter :" + std::string(name) + " does not exist in: " + std::string(sql));
    }
    named[index] = b.value;
  }
  std::vector<SqlValue> ordered = std::move(positional);
  for (size_t i = 0; i < names.size(); ++i) {
    if (!named[i]) throw std::invalid_argument("SQL parameter :" + names[i] + " has no value in: " + std::string(sql));
    ordered.push_back(std::move(*named[i]));
  }
  return ordered;
}

}  // namespace internal
}  // namespace cppbatch
