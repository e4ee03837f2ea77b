// The expression language: a hand-written lexer and precedence-climbing
// parser building a tree of nodes; each node evaluates into its own result
// slot, so evaluating fields, literals and comparisons allocates nothing.
#include "cppbatch/jobfile/expression.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <optional>

namespace cppbatch {

namespace internal {

class ExpressionNode {
 public:
  explicit ExpressionNode(size_t column) : column_(column) {}
  virtual ~ExpressionNode() = default;
  ExpressionNode(const ExpressionNode&) = default;
  ExpressionNode& operator=(const ExpressionNode&) = delete;

  virtual const Value& eval(const Record& record) const = 0;
  virtual std::unique_ptr<ExpressionNode> clone() const = 0;
  virtual void collect_fields(std::vector<std::string>&) const {}
  size_t column() const { return column_; }
  // eval() as a value of its own: moved out of this node's slot when the
  // result lives there (no copy of a computed string).
  Value take(const Record& record) const {
    const Value& v = eval(record);
    if (&v == &result_) return std::move(result_);
    return v;
  }

 protected:
  [[noreturn]] void fail(const std::string& message) const { throw ExpressionError(message, column_); }
  const Value& set(Value value) const {
    result_ = std::move(value);
    return result_;
  }
  mutable Value result_;

 private:
  size_t column_;
};

}  // namespace internal

namespace {

using internal::ExpressionNode;
using NodePtr = std::unique_ptr<ExpressionNode>;

// --- values -----------------------------------------------------------------

struct Number {
  bool is_int = true;
  int64_t i = 0;
  double d = 0;
  double as_double() const { return is_int ? static_cast<double>(i) : d; }
};

std::optional<Number> parse_number(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  Number n;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n.i);
  if (ec == std::errc() && end == text.data() + text.size()) return n;
  n.is_int = false;
  auto [dend, dec] = std::from_chars(text.data(), text.data() + text.size(), n.d);
  if (dec == std::errc() && dend == text.data() + text.size()) return n;
  return std::nullopt;
}

bool is_numeric(const Value& v) {
  return std::holds_alternative<int64_t>(v) || std::holds_alternative<double>(v);
}

// The value as a number; nullopt for null; ExpressionError (at `node`)
// when it is not one.
std::optional<Number> to_number(const Value& v, const ExpressionNode& node) {
  if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
  if (auto* i = std::get_if<int64_t>(&v)) return Number{true, *i, 0};
  if (auto* d = std::get_if<double>(&v)) return Number{false, 0, *d};
  if (auto* b = std::get_if<bool>(&v)) return Number{true, *b ? 1 : 0, 0};
  if (auto* s = std::get_if<std::string>(&v)) {
    if (auto n = parse_number(*s)) return n;
    throw ExpressionError("'" + *s + "' is not a number", node.column());
  }
  throw ExpressionError(std::string("a ") + std::string(value_type_name(v)) + " is not a number", node.column());
}

bool truthy(const Value& v, const ExpressionNode& node) {
  if (std::holds_alternative<std::monostate>(v)) return false;
  try {
    return value_to_bool(v, "");
  } catch (const RecordError&) {
    throw ExpressionError("'" + value_to_string(v) + "' is not true or false", node.column());
  }
}

// <0, 0, >0; nullopt when either is null.
std::optional<int> compare(const Value& a, const Value& b, const ExpressionNode& left, const ExpressionNode& right) {
  if (value_is_null(a) || value_is_null(b)) return std::nullopt;
  if (is_numeric(a) || is_numeric(b)) {
    Number x = *to_number(a, left);
    Number y = *to_number(b, right);
    if (x.is_int && y.is_int) return x.i < y.i ? -1 : (x.i > y.i ? 1 : 0);
    const double dx = x.as_double(), dy = y.as_double();
    return dx < dy ? -1 : (dx > dy ? 1 : 0);
  }
  if (auto* sa = std::get_if<std::string>(&a)) {
    if (auto* sb = std::get_if<std::string>(&b)) return sa->compare(*sb) < 0 ? -1 : (*sa == *sb ? 0 : 1);
  }
  if (auto* ba = std::get_if<bool>(&a)) {
    if (auto* bb = std::get_if<bool>(&b)) return static_cast<int>(*ba) - static_cast<int>(*bb);
  }
  const std::string ta = value_to_string(a), tb = value_to_string(b);
  return ta < tb ? -1 : (ta == tb ? 0 : 1);
}

// --- nodes ------------------------------------------------------------------

class Literal final : public ExpressionNode {
 public:
  Literal(size_t column, Value value) : ExpressionNode(column), value_(std::move(value)) {}
  const Value& eval(const Record&) const override { return value_; }  // never the result slot: take() copies it
  NodePtr clone() const override { return std::make_unique<Literal>(*this); }

 private:
  Value value_;
};

class Field final : public ExpressionNode {
 public:
  Field(size_t column, std::string name) : ExpressionNode(column), name_(std::move(name)) {}
  const Value& eval(const Record& record) const override {
    if (record.layout() != layout_) {
      auto index = record.layout() ? record.index_of(name_) : std::nullopt;
      if (!index) fail("unknown field '" + name_ + "' (fields: " + (record.layout() ? record.layout()->joined() : "") + ")");
      layout_ = record.layout();  // held, so its address cannot be reused by another layout
      index_ = *index;
    }
    return record[index_];
  }
  NodePtr clone() const override { return std::make_unique<Field>(column(), name_); }
  void collect_fields(std::vector<std::string>& out) const override {
    if (std::find(out.begin(), out.end(), name_) == out.end()) out.push_back(name_);
  }

 private:
  std::string name_;
  mutable RecordLayout layout_;  // the layout index_ is valid for
  mutable size_t index_ = 0;
};

class WithChildren : public ExpressionNode {
 public:
  WithChildren(size_t column, std::vector<NodePtr> children) : ExpressionNode(column), children_(std::move(children)) {}
  WithChildren(const WithChildren& other) : ExpressionNode(other) {
    for (const auto& c : other.children_) children_.push_back(c->clone());
  }
  void collect_fields(std::vector<std::string>& out) const override {
    for (const auto& c : children_) c->collect_fields(out);
  }

 protected:
  std::vector<NodePtr> children_;
};

enum class Op { ADD, SUB, MUL, DIV, MOD, EQ, NE, LT, LE, GT, GE, AND, OR, NEG, NOT };

class Unary final : public WithChildren {
 public:
  Unary(size_t column, Op op, NodePtr operand) : WithChildren(column, one(std::move(operand))), op_(op) {}
  const Value& eval(const Record& record) const override {
    const Value& v = children_[0]->eval(record);
    if (op_ == Op::NOT) return set(Value{!truthy(v, *children_[0])});
    auto n = to_number(v, *children_[0]);
    if (!n) return set(Value{});
    if (n->is_int) {
      if (n->i == INT64_MIN) fail("integer overflow");
      return set(Value{-n->i});
    }
    return set(Value{-n->d});
  }
  NodePtr clone() const override { return std::make_unique<Unary>(*this); }

 private:
  static std::vector<NodePtr> one(NodePtr n) {
    std::vector<NodePtr> v;
    v.push_back(std::move(n));
    return v;
  }
  Op op_;
};

class Binary final : public WithChildren {
 public:
  Binary(size_t column, Op op, NodePtr left, NodePtr right) : WithChildren(column, two(std::move(left), std::move(right))), op_(op) {}

  const Value& eval(const Record& record) const override {
    const ExpressionNode& l = *children_[0];
    const ExpressionNode& r = *children_[1];
    switch (op_) {
      case Op::AND:
        return set(Value{truthy(l.eval(record), l) && truthy(r.eval(record), r)});
      case Op::OR:
        return set(Value{truthy(l.eval(record), l) || truthy(r.eval(record), r)});
      case Op::EQ:
      case Op::NE: {
        const Value& a = l.eval(record);
        const Value& b = r.eval(record);
        bool equal;
        if (value_is_null(a) || value_is_null(b)) {
          equal = value_is_null(a) && value_is_null(b);
        } else {
          equal = *compare(a, b, l, r) == 0;
        }
        return set(Value{op_ == Op::EQ ? equal : !equal});
      }
      case Op::LT:
      case Op::LE:
      case Op::GT:
      case Op::GE: {
        const Value& a = l.eval(record);
        auto c = compare(a, r.eval(record), l, r);
        if (!c) return set(Value{false});
        const bool result = op_ == Op::LT ? *c < 0 : op_ == Op::LE ? *c <= 0 : op_ == Op::GT ? *c > 0 : *c >= 0;
        return set(Value{result});
      }
      default:
        return arithmetic(record, l, r);
    }
  }
  NodePtr clone() const override { return std::make_unique<Binary>(*this); }

 private:
  static std::vector<NodePtr> two(NodePtr a, NodePtr b) {
    std::vector<NodePtr> v;
    v.push_back(std::move(a));
    v.push_back(std::move(b));
    return v;
  }

  const Value& arithmetic(const Record& record, const ExpressionNode& l, const ExpressionNode& r) const {
    auto x = to_number(l.eval(record), l);
    auto y = to_number(r.eval(record), r);
    if (!x || !y) return set(Value{});
    if (x->is_int && y->is_int) {
      int64_t out = 0;
      bool overflow = false;
      switch (op_) {
        case Op::ADD:
          overflow = __builtin_add_overflow(x->i, y->i, &out);
          break;
        case Op::SUB:
          overflow = __builtin_sub_overflow(x->i, y->i, &out);
          break;
        case Op::MUL:
          overflow = __builtin_mul_overflow(x->i, y->i, &out);
          break;
        case Op::DIV:
        case Op::MOD:
          if (y->i == 0) fail("division by zero");
          if (x->i == INT64_MIN && y->i == -1) fail("integer overflow");
          out = op_ == Op::DIV ? x->i / y->i : x->i % y->i;
          break;
        default:
          break;
      }
      if (overflow) fail("integer overflow");
      return set(Value{out});
    }
    const double a = x->as_double(), b = y->as_double();
    switch (op_) {
      case Op::ADD:
        return set(Value{a + b});
      case Op::SUB:
        return set(Value{a - b});
      case Op::MUL:
        return set(Value{a * b});
      case Op::DIV:
        if (b == 0) fail("division by zero");
        return set(Value{a / b});
      case Op::MOD:
        if (b == 0) fail("division by zero");
        return set(Value{std::fmod(a, b)});
      default:
        fail("internal: not arithmetic");
    }
  }

  Op op_;
};

// --- functions --------------------------------------------------------------

class Call;
using Function = const Value& (*)(const Call& call, const Record& record);

struct FunctionSpec {
  std::string_view name;
  size_t min_args;
  size_t max_args;  // SIZE_MAX: any
  Function function;
};

class Call final : public WithChildren {
 public:
  Call(size_t column, const FunctionSpec& spec, std::vector<NodePtr> args)
      : WithChildren(column, std::move(args)), spec_(&spec) {}
  const Value& eval(const Record& record) const override { return spec_->function(*this, record); }
  NodePtr clone() const override { return std::make_unique<Call>(*this); }

  size_t arity() const { return children_.size(); }
  const Value& arg(size_t i, const Record& record) const { return children_[i]->eval(record); }
  const ExpressionNode& node(size_t i) const { return *children_[i]; }
  // Argument i as text (null → nullopt).
  std::optional<std::string> text(size_t i, const Record& record) const {
    const Value& v = arg(i, record);
    if (value_is_null(v)) return std::nullopt;
    if (auto* s = std::get_if<std::string>(&v)) return *s;
    return value_to_string(v);
  }
  std::optional<Number> number(size_t i, const Record& record) const { return to_number(arg(i, record), node(i)); }
  using ExpressionNode::fail;
  using ExpressionNode::set;

 private:
  const FunctionSpec* spec_;
};

template <class F>
const Value& on_text(const Call& c, const Record& r, F f) {
  auto s = c.text(0, r);
  if (!s) return c.set(Value{});
  return c.set(Value{f(std::move(*s))});
}

const Value& fn_upper(const Call& c, const Record& r) {
  return on_text(c, r, [](std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
  });
}
const Value& fn_lower(const Call& c, const Record& r) {
  return on_text(c, r, [](std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  });
}
const Value& fn_trim(const Call& c, const Record& r) {
  return on_text(c, r, [](std::string s) {
    s.erase(0, s.find_first_not_of(" \t\r\n"));
    s.erase(s.find_last_not_of(" \t\r\n") + 1);
    return s;
  });
}
const Value& fn_length(const Call& c, const Record& r) {
  auto s = c.text(0, r);
  if (!s) return c.set(Value{});
  return c.set(Value{static_cast<int64_t>(s->size())});
}
const Value& fn_substr(const Call& c, const Record& r) {
  auto s = c.text(0, r);
  auto start = c.number(1, r);
  if (!s || !start) return c.set(Value{});
  if (!start->is_int || start->i < 1) c.fail("substr: start must be an integer >= 1");
  const size_t from = std::min(static_cast<size_t>(start->i - 1), s->size());
  size_t count = std::string::npos;
  if (c.arity() == 3) {
    auto n = c.number(2, r);
    if (!n) return c.set(Value{});
    if (!n->is_int || n->i < 0) c.fail("substr: length must be an integer >= 0");
    count = static_cast<size_t>(n->i);
  }
  return c.set(Value{s->substr(from, count)});
}
const Value& fn_concat(const Call& c, const Record& r) {
  std::string out;
  for (size_t i = 0; i < c.arity(); ++i) {
    if (auto s = c.text(i, r)) out += *s;
  }
  return c.set(Value{std::move(out)});
}
template <class Test>
const Value& text_test(const Call& c, const Record& r, Test test) {
  auto a = c.text(0, r);
  auto b = c.text(1, r);
  if (!a || !b) return c.set(Value{false});
  return c.set(Value{test(*a, *b)});
}
const Value& fn_contains(const Call& c, const Record& r) {
  return text_test(c, r, [](const std::string& a, const std::string& b) { return a.find(b) != std::string::npos; });
}
const Value& fn_starts_with(const Call& c, const Record& r) {
  return text_test(c, r, [](const std::string& a, const std::string& b) { return a.starts_with(b); });
}
const Value& fn_ends_with(const Call& c, const Record& r) {
  return text_test(c, r, [](const std::string& a, const std::string& b) { return a.ends_with(b); });
}
const Value& fn_replace(const Call& c, const Record& r) {
  auto s = c.text(0, r);
  auto from = c.text(1, r);
  auto to = c.text(2, r);
  if (!s || !from || !to) return c.set(Value{});
  if (from->empty()) return c.set(Value{std::move(*s)});
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = s->find(*from, pos)) != std::string::npos; pos = hit + from->size()) {
    out.append(*s, pos, hit - pos);
    out += *to;
  }
  out.append(*s, pos);
  return c.set(Value{std::move(out)});
}
const Value& fn_coalesce(const Call& c, const Record& r) {
  for (size_t i = 0; i < c.arity(); ++i) {
    const Value& v = c.arg(i, r);
    if (!value_is_null(v)) return v;
  }
  return c.set(Value{});
}
const Value& fn_if(const Call& c, const Record& r) {
  return truthy(c.arg(0, r), c.node(0)) ? c.arg(1, r) : c.arg(2, r);
}
const Value& fn_is_null(const Call& c, const Record& r) {
  const Value& v = c.arg(0, r);
  const auto* s = std::get_if<std::string>(&v);
  return c.set(Value{value_is_null(v) || (s != nullptr && s->empty())});
}
const Value& fn_int(const Call& c, const Record& r) {
  auto n = c.number(0, r);
  if (!n) return c.set(Value{});
  if (n->is_int) return c.set(Value{n->i});
  if (!std::isfinite(n->d) || std::fabs(n->d) > 9.2e18) c.fail("int: out of range");
  return c.set(Value{static_cast<int64_t>(n->d)});
}
const Value& fn_double(const Call& c, const Record& r) {
  auto n = c.number(0, r);
  if (!n) return c.set(Value{});
  return c.set(Value{n->as_double()});
}
const Value& fn_string(const Call& c, const Record& r) {
  auto s = c.text(0, r);
  return c.set(s ? Value{std::move(*s)} : Value{});
}
const Value& fn_abs(const Call& c, const Record& r) {
  auto n = c.number(0, r);
  if (!n) return c.set(Value{});
  if (n->is_int) {
    if (n->i == INT64_MIN) c.fail("integer overflow");
    return c.set(Value{n->i < 0 ? -n->i : n->i});
  }
  return c.set(Value{std::fabs(n->d)});
}
const Value& fn_round(const Call& c, const Record& r) {
  auto n = c.number(0, r);
  if (!n) return c.set(Value{});
  int64_t digits = 0;
  if (c.arity() == 2) {
    auto d = c.number(1, r);
    if (!d || !d->is_int || d->i < 0 || d->i > 15) c.fail("round: digits must be an integer 0..15");
    digits = d->i;
  }
  if (n->is_int) return c.set(Value{n->i});
  if (digits == 0) return c.set(Value{static_cast<double>(std::llround(n->d))});
  const double scale = std::pow(10.0, static_cast<double>(digits));
  return c.set(Value{std::round(n->d * scale) / scale});
}
template <bool Min>
const Value& fn_extreme(const Call& c, const Record& r) {
  const Value& a = c.arg(0, r);
  const Value& b = c.arg(1, r);
  auto cmp = compare(a, b, c.node(0), c.node(1));
  if (!cmp) return c.set(Value{});
  return c.set(Min ? (*cmp <= 0 ? a : b) : (*cmp >= 0 ? a : b));
}

constexpr size_t kAny = SIZE_MAX;
const FunctionSpec kFunctions[] = {
    {"upper", 1, 1, fn_upper},          {"lower", 1, 1, fn_lower},
    {"trim", 1, 1, fn_trim},            {"length", 1, 1, fn_length},
    {"substr", 2, 3, fn_substr},        {"concat", 1, kAny, fn_concat},
    {"contains", 2, 2, fn_contains},    {"starts_with", 2, 2, fn_starts_with},
    {"ends_with", 2, 2, fn_ends_with},  {"replace", 3, 3, fn_replace},
    {"coalesce", 1, kAny, fn_coalesce}, {"if", 3, 3, fn_if},
    {"is_null", 1, 1, fn_is_null},      {"int", 1, 1, fn_int},
    {"double", 1, 1, fn_double},        {"string", 1, 1, fn_string},
    {"abs", 1, 1, fn_abs},              {"round", 1, 2, fn_round},
    {"min", 2, 2, fn_extreme<true>},    {"max", 2, 2, fn_extreme<false>},
};

// --- lexer and parser -------------------------------------------------------

enum class Tok { END, NUMBER, STRING, IDENT, QUOTED_IDENT, OP, LPAREN, RPAREN, COMMA };

struct Token {
  Tok kind = Tok::END;
  std::string text;
  size_t column = 0;  // 1-based
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) { advance(); }

  NodePtr parse() {
    NodePtr root = parse_or();
    if (token_.kind != Tok::END) fail_at(token_.column, "unexpected '" + token_.text + "'");
    return root;
  }

 private:
  [[noreturn]] static void fail_at(size_t column, const std::string& message) { throw ExpressionError(message, column); }

  void advance() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) ++pos_;
    token_ = Token{};
    token_.column = pos_ + 1;
    if (pos_ >= text_.size()) {
      token_.text = "end of expression";
      return;
    }
    const char c = text_[pos_];
    const size_t start = pos_;
    if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
        (c == '.' && pos_ + 1 < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])) != 0)) {
      while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '.')) ++pos_;
      token_.kind = Tok::NUMBER;
    } else if (std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_') {
      while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '_' || text_[pos_] == '.')) ++pos_;
      token_.kind = Tok::IDENT;
    } else if (c == '\'' || c == '"' || c == '`') {
      ++pos_;
      std::string value;
      for (;;) {
        if (pos_ >= text_.size()) fail_at(start + 1, c == '`' ? "unterminated field name" : "unterminated string");
        if (text_[pos_] == c) {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == c) {  // doubled quote
            value += c;
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        value += text_[pos_++];
      }
      token_.kind = c == '`' ? Tok::QUOTED_IDENT : Tok::STRING;
      token_.text = std::move(value);
      return;
    } else if (c == '(' || c == ')' || c == ',') {
      ++pos_;
      token_.kind = c == '(' ? Tok::LPAREN : c == ')' ? Tok::RPAREN : Tok::COMMA;
    } else {
      static constexpr std::string_view kOps[] = {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "%", "!", "="};
      for (std::string_view op : kOps) {
        if (text_.substr(pos_, op.size()) == op) {
          pos_ += op.size();
          token_.kind = Tok::OP;
          break;
        }
      }
      if (token_.kind != Tok::OP) fail_at(start + 1, std::string("unexpected character '") + c + "'");
      if (text_.substr(start, pos_ - start) == "=") fail_at(start + 1, "'=' is not an operator (use '==')");
    }
    token_.text = std::string(text_.substr(start, pos_ - start));
  }

  bool accept_op(std::string_view op) {
    if ((token_.kind == Tok::OP && token_.text == op)) {
      advance();
      return true;
    }
    return false;
  }
  bool accept_word(std::string_view word) {
    if (token_.kind == Tok::IDENT && token_.text == word) {
      advance();
      return true;
    }
    return false;
  }

  NodePtr parse_or() {
    NodePtr left = parse_and();
    for (;;) {
      const size_t column = token_.column;
      if (!accept_word("or") && !accept_op("||")) return left;
      left = std::make_unique<Binary>(column, Op::OR, std::move(left), parse_and());
    }
  }
  NodePtr parse_and() {
    NodePtr left = parse_not();
    for (;;) {
      const size_t column = token_.column;
      if (!accept_word("and") && !accept_op("&&")) return left;
      left = std::make_unique<Binary>(column, Op::AND, std::move(left), parse_not());
    }
  }
  NodePtr parse_not() {
    const size_t column = token_.column;
    if (accept_word("not") || accept_op("!")) return std::make_unique<Unary>(column, Op::NOT, parse_not());
    return parse_comparison();
  }
  NodePtr parse_comparison() {
    NodePtr left = parse_additive();
    static constexpr std::pair<std::string_view, Op> kComparisons[] = {
        {"==", Op::EQ}, {"!=", Op::NE}, {"<=", Op::LE}, {">=", Op::GE}, {"<", Op::LT}, {">", Op::GT}};
    for (const auto& [text, op] : kComparisons) {
      const size_t column = token_.column;
      if (accept_op(text)) return std::make_unique<Binary>(column, op, std::move(left), parse_additive());
    }
    return left;
  }
  NodePtr parse_additive() {
    NodePtr left = parse_multiplicative();
    for (;;) {
      const size_t column = token_.column;
      if (accept_op("+")) {
        left = std::make_unique<Binary>(column, Op::ADD, std::move(left), parse_multiplicative());
      } else if (accept_op("-")) {
        left = std::make_unique<Binary>(column, Op::SUB, std::move(left), parse_multiplicative());
      } else {
        return left;
      }
    }
  }
  NodePtr parse_multiplicative() {
    NodePtr left = parse_unary();
    for (;;) {
      const size_t column = token_.column;
      Op op;
      if (accept_op("*")) {
        op = Op::MUL;
      } else if (accept_op("/")) {
        op = Op::DIV;
      } else if (accept_op("%")) {
        op = Op::MOD;
      } else {
        return left;
      }
      left = std::make_unique<Binary>(column, op, std::move(left), parse_unary());
    }
  }
  NodePtr parse_unary() {
    const size_t column = token_.column;
    if (accept_op("-")) return std::make_unique<Unary>(column, Op::NEG, parse_unary());
    return parse_primary();
  }
  NodePtr parse_primary() {
    const Token t = token_;
    switch (t.kind) {
      case Tok::NUMBER: {
        auto n = parse_number(t.text);
        if (!n) fail_at(t.column, "bad number '" + t.text + "'");
        advance();
        return std::make_unique<Literal>(t.column, n->is_int ? Value{n->i} : Value{n->d});
      }
      case Tok::STRING:
        advance();
        return std::make_unique<Literal>(t.column, Value{t.text});
      case Tok::QUOTED_IDENT:
        advance();
        return std::make_unique<Field>(t.column, t.text);
      case Tok::LPAREN: {
        advance();
        NodePtr inner = parse_or();
        if (token_.kind != Tok::RPAREN) fail_at(token_.column, "expected ')' but found '" + token_.text + "'");
        advance();
        return inner;
      }
      case Tok::IDENT: {
        if (t.text == "true" || t.text == "false") {
          advance();
          return std::make_unique<Literal>(t.column, Value{t.text == "true"});
        }
        if (t.text == "null") {
          advance();
          return std::make_unique<Literal>(t.column, Value{});
        }
        if (t.text == "and" || t.text == "or" || t.text == "not") fail_at(t.column, "expected an operand but found '" + t.text + "'");
        advance();
        if (token_.kind != Tok::LPAREN) return std::make_unique<Field>(t.column, t.text);
        return parse_call(t);
      }
      default:
        fail_at(t.column, "expected an operand but found '" + t.text + "'");
    }
  }
  NodePtr parse_call(const Token& name) {
    const FunctionSpec* spec = nullptr;
    for (const FunctionSpec& f : kFunctions) {
      if (f.name == name.text) spec = &f;
    }
    if (spec == nullptr) {
      std::string known;
      for (const FunctionSpec& f : kFunctions) known += (known.empty() ? "" : ", ") + std::string(f.name);
      fail_at(name.column, "unknown function '" + name.text + "' (known: " + known + ")");
    }
    advance();  // (
    std::vector<NodePtr> args;
    if (token_.kind != Tok::RPAREN) {
      for (;;) {
        args.push_back(parse_or());
        if (token_.kind == Tok::COMMA) {
          advance();
          continue;
        }
        break;
      }
    }
    if (token_.kind != Tok::RPAREN) fail_at(token_.column, "expected ',' or ')' but found '" + token_.text + "'");
    advance();
    if (args.size() < spec->min_args || args.size() > spec->max_args) {
      std::string expected = spec->min_args == spec->max_args ? std::to_string(spec->min_args)
                             : spec->max_args == kAny        ? "at least " + std::to_string(spec->min_args)
                                                             : std::to_string(spec->min_args) + " to " + std::to_string(spec->max_args);
      fail_at(name.column, name.text + "() takes " + expected + " argument(s), not " + std::to_string(args.size()));
    }
    return std::make_unique<Call>(name.column, *spec, std::move(args));
  }

  std::string_view text_;
  size_t pos_ = 0;
  Token token_;
};

}  // namespace

Expression::Expression(std::string text, std::unique_ptr<internal::ExpressionNode> root)
    : text_(std::move(text)), root_(std::move(root)) {}

Expression Expression::parse(std::string_view text) {
  try {
    return Expression(std::string(text), Parser(text).parse());
  } catch (const ExpressionError& e) {
    throw ExpressionError("column " + std::to_string(e.column()) + ": " + e.what(), e.column());
  }
}

Expression::Expression(const Expression& other) : text_(other.text_), root_(other.root_->clone()) {}
Expression& Expression::operator=(const Expression& other) {
  if (this != &other) {
    text_ = other.text_;
    root_ = other.root_->clone();
  }
  return *this;
}
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

const Value& Expression::evaluate(const Record& record) const {
  try {
    return root_->eval(record);
  } catch (const ExpressionError& e) {
    throw ExpressionError("expression '" + text_ + "', column " + std::to_string(e.column()) + ": " + e.what(),
                          e.column());
  }
}

Value Expression::evaluate_value(const Record& record) const {
  try {
    return root_->take(record);
  } catch (const ExpressionError& e) {
    throw ExpressionError("expression '" + text_ + "', column " + std::to_string(e.column()) + ": " + e.what(),
                          e.column());
  }
}

bool Expression::test(const Record& record) const {
  const Value& v = evaluate(record);
  try {
    return truthy(v, *root_);
  } catch (const ExpressionError& e) {
    throw ExpressionError("expression '" + text_ + "': " + e.what(), e.column());
  }
}

std::vector<std::string> Expression::fields() const {
  std::vector<std::string> out;
  root_->collect_fields(out);
  return out;
}

}  // namespace cppbatch
