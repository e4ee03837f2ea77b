// The expression language: a hand-written lexer and precedence-climbing
// parser building a tree of nodes, with these speed measures (the filter
// and compute processors evaluate once per record):
// - field names are resolved to value indexes once per record layout (the
//   Frame, shared by every node of one expression, caches them by layout
//   identity);
// - a field's text is converted to a number at most once per evaluation
//   (cached in its Frame slot);
// - sub-expressions whose operands are all literals are folded at parse time;
// - typed paths: number() evaluates arithmetic without building Values,
//   test() evaluates conditions without building Values, and a comparison
//   with a side that is always a number compares numbers directly;
// - a node returning a Value returns a reference (a literal, a field of the
//   record, a shared true/false, or its own result slot), so evaluating
//   fields, literals and comparisons allocates nothing.
#include "cppbatch/jobfile/expression.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <optional>

namespace cppbatch {

namespace internal {

struct Number {
  bool is_int = true;
  int64_t i = 0;
  double d = 0;
  double as_double() const { return is_int ? static_cast<double>(i) : d; }
};

// The fields one expression reads, resolved for the last record layout
// seen, with the per-evaluation number cache.
class Frame {
 public:
  struct Slot {
    std::string name;
    size_t index = kUnknown;       // in the current layout; kUnknown: no such field
    size_t uses = 0;               // field nodes reading it (one: no caching needed)
    uint64_t number_of = 0;        // the evaluation `number` was converted in (0: none)
    bool number_is_null = false;
    Number number{};
  };
  static constexpr size_t kUnknown = SIZE_MAX;

  size_t slot(const std::string& name) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].name == name) {
        ++slots_[i].uses;
        return i;
      }
    }
    slots_.push_back(Slot{name});
    slots_.back().uses = 1;
    return slots_.size() - 1;
  }
  // A copy with nothing resolved or cached.
  std::unique_ptr<Frame> fresh_copy() const {
    auto copy = std::make_unique<Frame>();
    for (const Slot& s : slots_) {
      copy->slots_.push_back(Slot{s.name});
      copy->slots_.back().uses = s.uses;
    }
    return copy;
  }
  // Called once per evaluation, before any node reads the record.
  void begin(const Record& record) {
    ++evaluation_;
    if (record.layout() == layout_ && resolved_) return;
    for (Slot& s : slots_) {
      auto index = record.layout() ? record.index_of(s.name) : std::nullopt;
      s.index = index ? *index : kUnknown;
      s.number_of = 0;
    }
    layout_ = record.layout();  // held, so its address cannot be reused by another layout
    resolved_ = true;
  }
  Slot& operator[](size_t slot) { return slots_[slot]; }
  uint64_t evaluation() const { return evaluation_; }

 private:
  std::vector<Slot> slots_;
  RecordLayout layout_;
  bool resolved_ = false;
  uint64_t evaluation_ = 0;
};

class ExpressionNode {
 public:
  explicit ExpressionNode(size_t column) : column_(column) {}
  virtual ~ExpressionNode() = default;
  ExpressionNode(const ExpressionNode&) = default;
  ExpressionNode& operator=(const ExpressionNode&) = delete;

  virtual const Value& eval(const Record& record) const = 0;
  // The value as a number into `out`; false for null; ExpressionError when
  // it is not a number.
  virtual bool number(const Record& record, Number& out) const;
  // The value as a condition: null is false; ExpressionError when it is
  // neither null nor a boolean.
  virtual bool test(const Record& record) const;
  // Whether the value is always a number or null (arithmetic, numeric
  // literals): a comparison with it compares numbers.
  virtual bool numeric() const { return false; }
  // Whether this is a literal (constant folding).
  virtual bool literal() const { return false; }
  // A deep copy whose fields use `frame`.
  virtual std::unique_ptr<ExpressionNode> clone(Frame& frame) const = 0;
  virtual void collect_fields(std::vector<std::string>&) const {}
  size_t column() const { return column_; }
  // "field 'x': " for a field (runtime type errors name it), else "".
  virtual std::string subject() const { return {}; }
  // eval() as a value of its own: moved out of this node's slot when the
  // result lives there (no copy of a computed string).
  Value take(const Record& record) const {
    const Value& v = eval(record);
    if (&v == &result_) return std::move(result_);
    return v;
  }
  [[noreturn]] void fail(const std::string& message) const { throw ExpressionError(message, column_); }
  const Value& set(Value value) const {
    result_ = std::move(value);
    return result_;
  }

 protected:
  mutable Value result_;

 private:
  size_t column_;
};

}  // namespace internal

namespace {

using internal::ExpressionNode;
using internal::Frame;
using internal::Number;
using NodePtr = std::unique_ptr<ExpressionNode>;

const Value kTrue{true};
const Value kFalse{false};
const Value& boolean(bool b) { return b ? kTrue : kFalse; }

// --- values -----------------------------------------------------------------

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

// The common case of field text: an optional '-' and up to 18 digits.
// false for anything else (parse_number then decides).
inline bool parse_plain_integer(std::string_view text, int64_t& out) {
  const char* p = text.data();
  const char* end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  if (p == end || end - p > 18) return false;
  int64_t n = 0;
  for (; p != end; ++p) {
    const unsigned digit = static_cast<unsigned char>(*p) - '0';
    if (digit > 9) return false;
    n = n * 10 + digit;
  }
  out = negative ? -n : n;
  return true;
}

bool is_numeric(const Value& v) {
  return std::holds_alternative<int64_t>(v) || std::holds_alternative<double>(v);
}

// `v` (computed by `node`) as a number into `out`; false for null;
// ExpressionError (at `node`, naming it when it is a field) when it is not one.
bool to_number(const Value& v, const ExpressionNode& node, Number& out) {
  switch (v.index()) {
    case 0:
      return false;
    case 1:
      out = Number{true, std::get<bool>(v) ? 1 : 0, 0};
      return true;
    case 2:
      out = Number{true, std::get<int64_t>(v), 0};
      return true;
    case 3:
      out = Number{false, 0, std::get<double>(v)};
      return true;
    case 4: {
      const auto& s = std::get<std::string>(v);
      if (parse_plain_integer(s, out.i)) {
        out.is_int = true;
        return true;
      }
      if (auto n = parse_number(s)) {
        out = *n;
        return true;
      }
      node.fail(node.subject() + "'" + s + "' is not a number");
    }
    default:
      node.fail(node.subject() + "a " + std::string(value_type_name(v)) + " is not a number");
  }
}

std::optional<Number> to_number(const Value& v, const ExpressionNode& node) {
  Number n;
  if (!to_number(v, node, n)) return std::nullopt;
  return n;
}

bool truthy(const Value& v, const ExpressionNode& node) {
  if (auto* b = std::get_if<bool>(&v)) return *b;
  if (std::holds_alternative<std::monostate>(v)) return false;
  try {
    return value_to_bool(v, "");
  } catch (const RecordError&) {
    node.fail(node.subject() + "'" + value_to_string(v) + "' is not true or false");
  }
}

int three_way(const Number& x, const Number& y) {
  if (x.is_int && y.is_int) return x.i < y.i ? -1 : (x.i > y.i ? 1 : 0);
  const double dx = x.as_double(), dy = y.as_double();
  return dx < dy ? -1 : (dx > dy ? 1 : 0);
}

// <0, 0, >0; nullopt when either is null.
std::optional<int> compare(const Value& a, const Value& b, const ExpressionNode& left, const ExpressionNode& right) {
  if (value_is_null(a) || value_is_null(b)) return std::nullopt;
  if (is_numeric(a) || is_numeric(b)) {
    Number x, y;
    to_number(a, left, x);
    to_number(b, right, y);
    return three_way(x, y);
  }
  if (auto* sa = std::get_if<std::string>(&a)) {
    if (auto* sb = std::get_if<std::string>(&b)) {
      const int c = sa->compare(*sb);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
  }
  if (auto* ba = std::get_if<bool>(&a)) {
    if (auto* bb = std::get_if<bool>(&b)) return static_cast<int>(*ba) - static_cast<int>(*bb);
  }
  const std::string ta = value_to_string(a), tb = value_to_string(b);
  return ta < tb ? -1 : (ta == tb ? 0 : 1);
}

}  // namespace

bool internal::ExpressionNode::number(const Record& record, Number& out) const {
  return to_number(eval(record), *this, out);
}

bool internal::ExpressionNode::test(const Record& record) const { return truthy(eval(record), *this); }

namespace {

// --- nodes ------------------------------------------------------------------

class Literal final : public ExpressionNode {
 public:
  Literal(size_t column, Value value) : ExpressionNode(column), value_(std::move(value)) {
    if (is_numeric(value_)) number_ = to_number(value_, *this);
  }
  const Value& eval(const Record&) const override { return value_; }  // never the result slot: take() copies it
  bool number(const Record& record, Number& out) const override {
    if (!number_) return ExpressionNode::number(record, out);
    out = *number_;
    return true;
  }
  bool numeric() const override { return number_.has_value(); }
  bool literal() const override { return true; }
  NodePtr clone(Frame&) const override { return std::make_unique<Literal>(*this); }

 private:
  Value value_;
  std::optional<Number> number_;  // when value_ is a number
};

class Field final : public ExpressionNode {
 public:
  Field(size_t column, Frame& frame, size_t slot) : ExpressionNode(column), frame_(&frame), slot_(slot) {}
  const Value& eval(const Record& record) const override { return record[index(record)]; }
  bool number(const Record& record, Number& out) const override { return read_number(record, out); }
  // number() without the virtual call (comparisons with a constant).
  bool read_number(const Record& record, Number& out) const {
    Frame::Slot& s = (*frame_)[slot_];
    if (s.uses == 1) return convert(record[index(record)], out);
    if (s.number_of != frame_->evaluation()) {
      s.number_is_null = !convert(record[index(record)], s.number);
      s.number_of = frame_->evaluation();
    }
    out = s.number;
    return !s.number_is_null;
  }
  NodePtr clone(Frame& frame) const override { return std::make_unique<Field>(column(), frame, slot_); }
  void collect_fields(std::vector<std::string>& out) const override {
    const std::string& name = (*frame_)[slot_].name;
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  std::string subject() const override { return "field '" + (*frame_)[slot_].name + "': "; }

 private:
  size_t index(const Record& record) const {
    const size_t i = (*frame_)[slot_].index;
    if (i == Frame::kUnknown) {
      fail("unknown field '" + (*frame_)[slot_].name + "' (fields: " + (record.layout() ? record.layout()->joined() : "") + ")");
    }
    return i;
  }
  bool convert(const Value& v, Number& out) const {
    if (const auto* text = std::get_if<std::string>(&v); text != nullptr && parse_plain_integer(*text, out.i)) {
      out.is_int = true;
      return true;
    }
    return to_number(v, *this, out);
  }
  Frame* frame_;
  size_t slot_;
};

class WithChildren : public ExpressionNode {
 public:
  WithChildren(size_t column, std::vector<NodePtr> children) : ExpressionNode(column), children_(std::move(children)) {}
  WithChildren(const WithChildren& other, Frame& frame) : ExpressionNode(other) {
    for (const auto& c : other.children_) children_.push_back(c->clone(frame));
  }
  void collect_fields(std::vector<std::string>& out) const override {
    for (const auto& c : children_) c->collect_fields(out);
  }
  bool all_literal() const {
    return std::all_of(children_.begin(), children_.end(), [](const NodePtr& c) { return c->literal(); });
  }

 protected:
  static std::vector<NodePtr> list(NodePtr a, NodePtr b = nullptr) {
    std::vector<NodePtr> v;
    v.push_back(std::move(a));
    if (b) v.push_back(std::move(b));
    return v;
  }
  std::vector<NodePtr> children_;
};

enum class Op { ADD, SUB, MUL, DIV, MOD, EQ, NE, LT, LE, GT, GE, AND, OR, NEG, NOT };

class Unary final : public WithChildren {
 public:
  Unary(size_t column, Op op, NodePtr operand) : WithChildren(column, list(std::move(operand))), op_(op) {}
  Unary(const Unary& other, Frame& frame) : WithChildren(other, frame), op_(other.op_) {}
  const Value& eval(const Record& record) const override {
    if (op_ == Op::NOT) return boolean(test(record));
    Number n;
    if (!number(record, n)) return set(Value{});
    return n.is_int ? set(Value{n.i}) : set(Value{n.d});
  }
  bool number(const Record& record, Number& out) const override {
    if (op_ == Op::NOT) return ExpressionNode::number(record, out);
    if (!children_[0]->number(record, out)) return false;
    if (out.is_int) {
      if (out.i == INT64_MIN) fail("integer overflow");
      out.i = -out.i;
    } else {
      out.d = -out.d;
    }
    return true;
  }
  bool test(const Record& record) const override {
    if (op_ == Op::NOT) return !children_[0]->test(record);
    return ExpressionNode::test(record);
  }
  bool numeric() const override { return op_ == Op::NEG; }
  NodePtr clone(Frame& frame) const override { return std::make_unique<Unary>(*this, frame); }

 private:
  Op op_;
};

class Binary final : public WithChildren {
 public:
  Binary(size_t column, Op op, NodePtr left, NodePtr right)
      : WithChildren(column, list(std::move(left), std::move(right))), op_(op) {
    numeric_compare_ = children_[0]->numeric() || children_[1]->numeric();
    typed_paths();
  }
  Binary(const Binary& other, Frame& frame)
      : WithChildren(other, frame), op_(other.op_), numeric_compare_(other.numeric_compare_) {
    typed_paths();
  }

  const Value& eval(const Record& record) const override {
    if (is_arithmetic()) {
      Number n;
      if (!number(record, n)) return set(Value{});
      if (n.is_int) {
        result_.emplace<int64_t>(n.i);
      } else {
        result_.emplace<double>(n.d);
      }
      return result_;
    }
    return boolean(test(record));
  }

  bool test(const Record& record) const override {
    const ExpressionNode& l = *children_[0];
    const ExpressionNode& r = *children_[1];
    switch (op_) {
      case Op::AND:
        return l.test(record) && r.test(record);
      case Op::OR:
        return l.test(record) || r.test(record);
      case Op::EQ:
      case Op::NE:
      case Op::LT:
      case Op::LE:
      case Op::GT:
      case Op::GE:
        if (field_ != nullptr) {  // a field against a number literal
          Number x;
          if (!field_->read_number(record, x)) return with_null(false);
          return outcome(field_left_ ? three_way(x, constant_) : three_way(constant_, x));
        }
        return comparison(record, l, r);
      default:
        return ExpressionNode::test(record);
    }
  }

  bool number(const Record& record, Number& out) const override {
    if (!is_arithmetic()) return ExpressionNode::number(record, out);
    Number x, y;
    const bool left = children_[0]->number(record, x);
    const bool right = children_[1]->number(record, y);
    if (!left || !right) return false;
    if (x.is_int && y.is_int) {
      out.is_int = true;
      bool overflow = false;
      switch (op_) {
        case Op::ADD:
          overflow = __builtin_add_overflow(x.i, y.i, &out.i);
          break;
        case Op::SUB:
          overflow = __builtin_sub_overflow(x.i, y.i, &out.i);
          break;
        case Op::MUL:
          overflow = __builtin_mul_overflow(x.i, y.i, &out.i);
          break;
        default:  // DIV, MOD
          if (y.i == 0) fail("division by zero");
          if (x.i == INT64_MIN && y.i == -1) fail("integer overflow");
          out.i = op_ == Op::DIV ? x.i / y.i : x.i % y.i;
          break;
      }
      if (overflow) fail("integer overflow");
      return true;
    }
    const double a = x.as_double(), b = y.as_double();
    out.is_int = false;
    switch (op_) {
      case Op::ADD:
        out.d = a + b;
        break;
      case Op::SUB:
        out.d = a - b;
        break;
      case Op::MUL:
        out.d = a * b;
        break;
      default:  // DIV, MOD
        if (b == 0) fail("division by zero");
        out.d = op_ == Op::DIV ? a / b : std::fmod(a, b);
        break;
    }
    return true;
  }

  bool numeric() const override { return is_arithmetic(); }
  NodePtr clone(Frame& frame) const override { return std::make_unique<Binary>(*this, frame); }

 private:
  bool is_arithmetic() const { return op_ <= Op::MOD; }

  // A comparison of a field with a number literal reads the field's number
  // and compares it with the constant, without virtual calls.
  void typed_paths() {
    if (op_ < Op::EQ || op_ > Op::GE) return;
    for (size_t i = 0; i < 2; ++i) {
      const auto* field = dynamic_cast<const Field*>(children_[i].get());
      const ExpressionNode& other = *children_[1 - i];
      Number constant;
      static const Record kNoRecord;
      if (field != nullptr && other.literal() && other.numeric() && other.number(kNoRecord, constant)) {
        field_ = field;
        field_left_ = i == 0;
        constant_ = constant;
      }
    }
  }

  bool outcome(int c) const {
    switch (op_) {
      case Op::EQ:
        return c == 0;
      case Op::NE:
        return c != 0;
      case Op::LT:
        return c < 0;
      case Op::LE:
        return c <= 0;
      case Op::GT:
        return c > 0;
      default:
        return c >= 0;
    }
  }

  // Null: == holds only between two nulls, != is its negation, an ordering
  // is false.
  bool with_null(bool both_null) const {
    if (op_ == Op::EQ) return both_null;
    if (op_ == Op::NE) return !both_null;
    return false;
  }

  bool comparison(const Record& record, const ExpressionNode& l, const ExpressionNode& r) const {
    if (numeric_compare_) {
      // One side is always a number: compare numbers, no Value built. The
      // numeric side first, so a null there spares converting the other.
      const bool left_first = l.numeric();
      const ExpressionNode& first = left_first ? l : r;
      const ExpressionNode& second = left_first ? r : l;
      Number a, b;
      if (!first.number(record, a)) return with_null(value_is_null(second.eval(record)));
      if (!second.number(record, b)) return with_null(false);
      return outcome(left_first ? three_way(a, b) : three_way(b, a));
    }
    const Value& a = l.eval(record);
    const Value& b = r.eval(record);
    auto c = compare(a, b, l, r);
    if (!c) return with_null(value_is_null(a) && value_is_null(b));
    return outcome(*c);
  }

  Op op_;
  bool numeric_compare_ = false;
  const Field* field_ = nullptr;  // typed path: this child (a field) against constant_
  bool field_left_ = false;
  Number constant_{};
};

// --- functions --------------------------------------------------------------

class Call;
using Function = const Value& (*)(const Call& call, const Record& record);

struct FunctionSpec {
  std::string_view name;
  size_t min_args;
  size_t max_args;  // SIZE_MAX: any
  Function function;
  bool numeric = false;  // always returns a number or null
};

class Call final : public WithChildren {
 public:
  Call(size_t column, const FunctionSpec& spec, std::vector<NodePtr> args)
      : WithChildren(column, std::move(args)), spec_(&spec) {}
  Call(const Call& other, Frame& frame) : WithChildren(other, frame), spec_(other.spec_) {}
  const Value& eval(const Record& record) const override { return spec_->function(*this, record); }
  NodePtr clone(Frame& frame) const override { return std::make_unique<Call>(*this, frame); }
  bool numeric() const override { return spec_->numeric; }

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
  // Argument i as text without copying a text value (`scratch` holds the
  // text form of another value); null → nullopt.
  std::optional<std::string_view> view(size_t i, const Record& record, std::string& scratch) const {
    const Value& v = arg(i, record);
    if (value_is_null(v)) return std::nullopt;
    if (auto* s = std::get_if<std::string>(&v)) return std::string_view(*s);
    scratch = value_to_string(v);
    return std::string_view(scratch);
  }
  std::optional<Number> number_arg(size_t i, const Record& record) const {
    Number n;
    if (!children_[i]->number(record, n)) return std::nullopt;
    return n;
  }

 private:
  const FunctionSpec* spec_;
};

// Argument 0 as text, changed in place by f(std::string&), in the call's slot.
template <class F>
const Value& on_text(const Call& c, const Record& r, F f) {
  std::string scratch;
  auto s = c.view(0, r, scratch);
  if (!s) return c.set(Value{});
  std::string out(*s);
  f(out);
  return c.set(Value{std::move(out)});
}

const Value& fn_upper(const Call& c, const Record& r) {
  return on_text(c, r, [](std::string& s) {
    for (char& ch : s) {
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');  // ASCII, as the C locale
    }
  });
}
const Value& fn_lower(const Call& c, const Record& r) {
  return on_text(c, r, [](std::string& s) {
    for (char& ch : s) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
  });
}
const Value& fn_trim(const Call& c, const Record& r) {
  return on_text(c, r, [](std::string& s) {
    s.erase(0, s.find_first_not_of(" \t\r\n"));
    s.erase(s.find_last_not_of(" \t\r\n") + 1);
  });
}
const Value& fn_length(const Call& c, const Record& r) {
  std::string scratch;
  auto s = c.view(0, r, scratch);
  if (!s) return c.set(Value{});
  return c.set(Value{static_cast<int64_t>(s->size())});
}
const Value& fn_substr(const Call& c, const Record& r) {
  auto s = c.text(0, r);
  auto start = c.number_arg(1, r);
  if (!s || !start) return c.set(Value{});
  if (!start->is_int || start->i < 1) c.fail("substr: start must be an integer >= 1");
  const size_t from = std::min(static_cast<size_t>(start->i - 1), s->size());
  size_t count = std::string::npos;
  if (c.arity() == 3) {
    auto n = c.number_arg(2, r);
    if (!n) return c.set(Value{});
    if (!n->is_int || n->i < 0) c.fail("substr: length must be an integer >= 0");
    count = static_cast<size_t>(n->i);
  }
  return c.set(Value{s->substr(from, count)});
}
const Value& fn_concat(const Call& c, const Record& r) {
  std::string out, scratch;
  for (size_t i = 0; i < c.arity(); ++i) {
    if (auto s = c.view(i, r, scratch)) out += *s;
  }
  return c.set(Value{std::move(out)});
}
template <class Test>
const Value& text_test(const Call& c, const Record& r, Test test) {
  std::string scratch_a, scratch_b;
  auto a = c.view(0, r, scratch_a);
  auto b = c.view(1, r, scratch_b);
  if (!a || !b) return kFalse;
  return boolean(test(*a, *b));
}
const Value& fn_contains(const Call& c, const Record& r) {
  return text_test(c, r, [](std::string_view a, std::string_view b) { return a.find(b) != std::string::npos; });
}
const Value& fn_starts_with(const Call& c, const Record& r) {
  return text_test(c, r, [](std::string_view a, std::string_view b) { return a.starts_with(b); });
}
const Value& fn_ends_with(const Call& c, const Record& r) {
  return text_test(c, r, [](std::string_view a, std::string_view b) { return a.ends_with(b); });
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
  return boolean(value_is_null(v) || (s != nullptr && s->empty()));
}
const Value& fn_int(const Call& c, const Record& r) {
  auto n = c.number_arg(0, r);
  if (!n) return c.set(Value{});
  if (n->is_int) return c.set(Value{n->i});
  if (!std::isfinite(n->d) || std::fabs(n->d) > 9.2e18) c.fail("int: out of range");
  return c.set(Value{static_cast<int64_t>(n->d)});
}
const Value& fn_double(const Call& c, const Record& r) {
  auto n = c.number_arg(0, r);
  if (!n) return c.set(Value{});
  return c.set(Value{n->as_double()});
}
const Value& fn_string(const Call& c, const Record& r) {
  auto s = c.text(0, r);
  return c.set(s ? Value{std::move(*s)} : Value{});
}
const Value& fn_abs(const Call& c, const Record& r) {
  auto n = c.number_arg(0, r);
  if (!n) return c.set(Value{});
  if (n->is_int) {
    if (n->i == INT64_MIN) c.fail("integer overflow");
    return c.set(Value{n->i < 0 ? -n->i : n->i});
  }
  return c.set(Value{std::fabs(n->d)});
}
const Value& fn_round(const Call& c, const Record& r) {
  auto n = c.number_arg(0, r);
  if (!n) return c.set(Value{});
  int64_t digits = 0;
  if (c.arity() == 2) {
    auto d = c.number_arg(1, r);
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
    {"trim", 1, 1, fn_trim},            {"length", 1, 1, fn_length, true},
    {"substr", 2, 3, fn_substr},        {"concat", 1, kAny, fn_concat},
    {"contains", 2, 2, fn_contains},    {"starts_with", 2, 2, fn_starts_with},
    {"ends_with", 2, 2, fn_ends_with},  {"replace", 3, 3, fn_replace},
    {"coalesce", 1, kAny, fn_coalesce}, {"if", 3, 3, fn_if},
    {"is_null", 1, 1, fn_is_null},      {"int", 1, 1, fn_int, true},
    {"double", 1, 1, fn_double, true},        {"string", 1, 1, fn_string},
    {"abs", 1, 1, fn_abs, true},              {"round", 1, 2, fn_round, true},
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
  Parser(std::string_view text, Frame& frame) : text_(text), frame_(frame) { advance(); }

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
      left = make<Binary>(column, Op::OR, std::move(left), parse_and());
    }
  }
  NodePtr parse_and() {
    NodePtr left = parse_not();
    for (;;) {
      const size_t column = token_.column;
      if (!accept_word("and") && !accept_op("&&")) return left;
      left = make<Binary>(column, Op::AND, std::move(left), parse_not());
    }
  }
  NodePtr parse_not() {
    const size_t column = token_.column;
    if (accept_word("not") || accept_op("!")) return make<Unary>(column, Op::NOT, parse_not());
    return parse_comparison();
  }
  NodePtr parse_comparison() {
    NodePtr left = parse_additive();
    static constexpr std::pair<std::string_view, Op> kComparisons[] = {
        {"==", Op::EQ}, {"!=", Op::NE}, {"<=", Op::LE}, {">=", Op::GE}, {"<", Op::LT}, {">", Op::GT}};
    for (const auto& [text, op] : kComparisons) {
      const size_t column = token_.column;
      if (accept_op(text)) return make<Binary>(column, op, std::move(left), parse_additive());
    }
    return left;
  }
  NodePtr parse_additive() {
    NodePtr left = parse_multiplicative();
    for (;;) {
      const size_t column = token_.column;
      if (accept_op("+")) {
        left = make<Binary>(column, Op::ADD, std::move(left), parse_multiplicative());
      } else if (accept_op("-")) {
        left = make<Binary>(column, Op::SUB, std::move(left), parse_multiplicative());
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
      left = make<Binary>(column, op, std::move(left), parse_unary());
    }
  }
  NodePtr parse_unary() {
    const size_t column = token_.column;
    if (accept_op("-")) return make<Unary>(column, Op::NEG, parse_unary());
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
        return field(t.column, t.text);
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
        if (token_.kind != Tok::LPAREN) return field(t.column, t.text);
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
    return make<Call>(name.column, *spec, std::move(args));
  }

  // A node whose operands are all literals becomes the literal of its value
  // (unless evaluating it fails: the error is then reported at run time).
  static NodePtr fold(std::unique_ptr<WithChildren> node) {
    if (!node->all_literal()) return node;
    try {
      static const Record kNoRecord;
      return std::make_unique<Literal>(node->column(), node->take(kNoRecord));
    } catch (const ExpressionError&) {
      return node;
    }
  }
  template <class N, class... Args>
  static NodePtr make(Args&&... args) {
    return fold(std::make_unique<N>(std::forward<Args>(args)...));
  }
  NodePtr field(size_t column, const std::string& name) { return std::make_unique<Field>(column, frame_, frame_.slot(name)); }

  std::string_view text_;
  Frame& frame_;
  size_t pos_ = 0;
  Token token_;
};

}  // namespace

Expression::Expression(std::string text, std::unique_ptr<internal::Frame> frame,
                       std::unique_ptr<internal::ExpressionNode> root)
    : text_(std::move(text)), frame_(std::move(frame)), root_(std::move(root)) {}

Expression Expression::parse(std::string_view text) {
  try {
    auto frame = std::make_unique<Frame>();
    NodePtr root = Parser(text, *frame).parse();
    return Expression(std::string(text), std::move(frame), std::move(root));
  } catch (const ExpressionError& e) {
    throw ExpressionError("column " + std::to_string(e.column()) + ": " + e.what(), e.column());
  }
}

Expression::Expression(const Expression& other)
    : text_(other.text_), frame_(other.frame_->fresh_copy()), root_(other.root_->clone(*frame_)) {}
Expression& Expression::operator=(const Expression& other) {
  if (this != &other) *this = Expression(other);
  return *this;
}
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

const Value& Expression::evaluate(const Record& record) const {
  try {
    frame_->begin(record);
    return root_->eval(record);
  } catch (const ExpressionError& e) {
    throw ExpressionError("expression '" + text_ + "', column " + std::to_string(e.column()) + ": " + e.what(),
                          e.column());
  }
}

Value Expression::evaluate_value(const Record& record) const {
  try {
    frame_->begin(record);
    return root_->take(record);
  } catch (const ExpressionError& e) {
    throw ExpressionError("expression '" + text_ + "', column " + std::to_string(e.column()) + ": " + e.what(),
                          e.column());
  }
}

bool Expression::test(const Record& record) const {
  try {
    frame_->begin(record);
    return root_->test(record);
  } catch (const ExpressionError& e) {
    throw ExpressionError("expression '" + text_ + "', column " + std::to_string(e.column()) + ": " + e.what(),
                          e.column());
  }
}

std::vector<std::string> Expression::fields() const {
  std::vector<std::string> out;
  root_->collect_fields(out);
  return out;
}

}  // namespace cppbatch
