#include "cppbatch/infrastructure/delimited_line_tokenizer.hpp"

#include <stdexcept>

#include "delimited_scanner.hpp"

namespace cppbatch {

DelimitedLineTokenizer::DelimitedLineTokenizer(DelimitedTokenizerOptions options)
    : options_(std::move(options)), names_(options_.names) {
  const char d = options_.delimiter, q = options_.quote, e = options_.escape;
  if (d == '\n' || d == '\r' || q == '\n' || q == '\r' || e == '\n' || e == '\r') {
    throw std::invalid_argument("DelimitedLineTokenizer: delimiter, quote and escape cannot be line breaks");
  }
  if ((q != '\0' && q == d) || (e != '\0' && (e == d || e == q))) {
    throw std::invalid_argument("DelimitedLineTokenizer: delimiter, quote and escape must differ");
  }
  scanner_ = std::make_unique<internal::DelimitedScanner>(
      internal::DelimitedSyntax{d, q, e, options_.trim});
}

DelimitedLineTokenizer::~DelimitedLineTokenizer() = default;

void DelimitedLineTokenizer::tokenize(std::string_view line, FieldSet& fields) {
  fields.set_names(names_.empty() ? nullptr : &names_);
  if (scanner_->needs_scan(line.data(), line.size())) {
    auto scan = scanner_->scan(line.data(), line.size(), /*eof=*/true, fields);
    if (scan.error != nullptr) {
      throw ParseError(std::string(fields.resource()), fields.line_number(),
                       static_cast<int64_t>(scan.error_pos) + 1, std::string(),
                       std::string(fields.raw_line()), scan.error);
    }
  } else {
    scanner_->split(line.data(), line.size(), fields);
  }
  fields.fit_to_names(options_.strict);
}

}  // namespace cppbatch
