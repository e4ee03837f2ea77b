#include "cppbatch/infrastructure/flat_file_output.hpp"

namespace cppbatch {

FlatFileOutput::FlatFileOutput(std::string path, std::string name, bool append,
                               bool sync_on_commit, std::string line_separator,
                               std::string header, HeaderCallback header_callback,
                               FooterCallback footer_callback)
    : output_(std::move(path), std::move(name), append, sync_on_commit),
      line_separator_(std::move(line_separator)),
      header_(std::move(header)),
      header_callback_(std::move(header_callback)),
      footer_callback_(std::move(footer_callback)) {}

void FlatFileOutput::end_line() {
  if (!buffer_.empty() && buffer_.back() != '\n') buffer_ += line_separator_;
}

void FlatFileOutput::open(ExecutionContext& context) {
  if (!output_.open(context)) return;
  buffer_.assign(header_);
  if (header_callback_) header_callback_(buffer_);
  if (buffer_.empty()) return;
  end_line();
  output_.write(buffer_, 0);
  buffer_.clear();
  output_.update(context);
}

void FlatFileOutput::write_buffer(int64_t records) {
  output_.write(buffer_, records);
  buffer_.clear();
}

void FlatFileOutput::close() {
  if (!output_.is_open()) return;
  if (footer_callback_) {
    try {
      buffer_.clear();
      footer_callback_(buffer_, output_.records());
      end_line();
      if (!buffer_.empty()) output_.write(buffer_, 0);
      buffer_.clear();
    } catch (...) {
      output_.close();
      throw;
    }
  }
  output_.close();
}

}  // namespace cppbatch
