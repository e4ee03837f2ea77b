#include "cppbatch/infrastructure/xml_fragment_reader.hpp"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include <mutex>
#include <stdexcept>

#include "cppbatch/infrastructure/text_input.hpp"

namespace cppbatch {
namespace {

std::string_view text_of(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

// Line `line` (1-based) of the file (decompressed), cut to ~200 bytes: the
// raw context of a parse error (read only when one happens; empty when the
// file cannot be read again).
std::string line_of(const std::string& path, Compression compression, int64_t line) {
  try {
    TextInput in("xml");
    in.open(path, compression, 0);
    while (auto l = in.next_line(200)) {
      if (l->number == line) return std::string(l->text);
    }
  } catch (const std::exception&) {
  }
  return std::string();
}

}  // namespace

struct XmlFragmentReader::Impl {
  ~Impl() { release(); }
  void release() {
    if (reader != nullptr) {
      xmlFreeTextReader(reader);
      reader = nullptr;
    }
    input.reset();
  }

  static int read(void* context, char* buffer, int size) {
    auto* self = static_cast<Impl*>(context);
    try {
      return static_cast<int>(self->input->read(buffer, static_cast<size_t>(size)));
    } catch (...) {
      self->io_error = std::current_exception();
      return -1;
    }
  }
  static int close(void*) { return 0; }  // the source is closed by release()
  static void on_error(void* context, xmlErrorPtr error) {
    auto* self = static_cast<Impl*>(context);
    if (error == nullptr || error->level < XML_ERR_ERROR || self->has_error) return;
    self->has_error = true;
    self->message = error->message != nullptr ? error->message : "unknown error";
    while (!self->message.empty() && (self->message.back() == '\n' || self->message.back() == ' ')) {
      self->message.pop_back();
    }
    self->line = error->line;
    self->column = error->int2;
  }

  std::unique_ptr<ByteSource> input;
  xmlTextReaderPtr reader = nullptr;
  std::exception_ptr io_error;
  bool has_error = false;
  std::string message;
  int line = 0;
  int column = 0;
};

XmlFragmentReader::XmlFragmentReader(XmlReaderOptions options) : options_(std::move(options)) {
  who_ = "reader '" + options_.name + "'";
  if (options_.path.empty()) throw std::invalid_argument("XmlFragmentReader " + who_ + ": path is empty");
  if (options_.fragment.empty()) {
    throw std::invalid_argument("XmlFragmentReader " + who_ + ": the fragment element name is empty");
  }
  count_key_ = options_.name + ".read.count";
  impl_ = std::make_unique<Impl>();
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
}

XmlFragmentReader::~XmlFragmentReader() { close(); }

void XmlFragmentReader::open(ExecutionContext& context) {
  close();
  try {
    impl_->input = open_byte_source(options_.path, options_.compression);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(who_ + ": " + e.what());
  }
  impl_->has_error = false;
  impl_->io_error = nullptr;
  impl_->reader = xmlReaderForIO(&Impl::read, &Impl::close, impl_.get(), options_.path.c_str(), nullptr,
                                 XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
  if (impl_->reader == nullptr) {
    impl_->release();
    throw std::runtime_error(who_ + ": cannot create an XML parser for '" + options_.path + "'");
  }
  xmlTextReaderSetStructuredErrorHandler(impl_->reader, &Impl::on_error, impl_.get());
  open_ = true;
  done_ = false;
  positioned_ = false;
  fatal_ = nullptr;
  root_.reset();
  fragment_.clear();
  read_count_ = 0;
  const int64_t saved = options_.save_state ? context.get_long(count_key_).value_or(0) : 0;
  try {
    while (read_count_ < saved) {
      bool found = false;
      while (advance()) {
        if (at_fragment()) {
          found = true;
          break;
        }
      }
      if (!found) {
        throw std::runtime_error(who_ + ": input file '" + options_.path + "' has " +
                                 std::to_string(read_count_) + " <" + options_.fragment +
                                 "> fragments but the restart point is after " + std::to_string(saved) +
                                 " — was the file replaced?");
      }
      skip_fragment();
      ++read_count_;
    }
  } catch (...) {
    close();
    throw;
  }
}

void XmlFragmentReader::update(ExecutionContext& context) {
  if (options_.save_state) context.put_long(count_key_, read_count_);
}

void XmlFragmentReader::close() {
  impl_->release();
  open_ = false;
  root_.reset();
}

void XmlFragmentReader::fail() {
  if (impl_->io_error) {
    fatal_ = impl_->io_error;
    std::rethrow_exception(fatal_);
  }
  const int64_t line = impl_->has_error ? impl_->line : 0;
  ParseError error(options_.path, line, impl_->has_error ? impl_->column : 0, std::string(),
                   line > 0 ? line_of(options_.path, options_.compression, line) : std::string(),
                   "malformed XML: " + (impl_->has_error ? impl_->message : std::string("parser failure")));
  fatal_ = std::make_exception_ptr(error);
  throw error;
}

bool XmlFragmentReader::advance() {
  if (positioned_) {
    positioned_ = false;
    return true;
  }
  const int r = xmlTextReaderRead(impl_->reader);
  if (r == 1) return true;
  if (r == 0 && !impl_->has_error && !impl_->io_error) return false;
  fail();
}

bool XmlFragmentReader::at_fragment() const {
  xmlTextReaderPtr r = impl_->reader;
  if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) return false;
  if (text_of(xmlTextReaderConstLocalName(r)) != options_.fragment) return false;
  return options_.fragment_namespace.empty() ||
         text_of(xmlTextReaderConstNamespaceUri(r)) == options_.fragment_namespace;
}

void XmlFragmentReader::skip_fragment() {
  xmlTextReaderPtr r = impl_->reader;
  if (xmlTextReaderIsEmptyElement(r) == 1) return;
  const int rc = xmlTextReaderNext(r);
  if (rc == 1) {
    positioned_ = true;
  } else if (rc < 0 || impl_->has_error || impl_->io_error) {
    fail();
  }
}

void XmlFragmentReader::build_fragment() {
  xmlTextReaderPtr r = impl_->reader;
  fragment_.clear();
  auto start = [&] {
    const bool empty = xmlTextReaderIsEmptyElement(r) == 1;
    fragment_.start_element(text_of(xmlTextReaderConstName(r)), text_of(xmlTextReaderConstLocalName(r)),
                            text_of(xmlTextReaderConstNamespaceUri(r)),
                            xmlGetLineNo(xmlTextReaderCurrentNode(r)));
    if (xmlTextReaderHasAttributes(r) == 1) {
      while (xmlTextReaderMoveToNextAttribute(r) == 1) {
        if (xmlTextReaderIsNamespaceDecl(r) == 1) continue;
        fragment_.add_attribute(text_of(xmlTextReaderConstName(r)), text_of(xmlTextReaderConstLocalName(r)),
                                text_of(xmlTextReaderConstValue(r)));
      }
      xmlTextReaderMoveToElement(r);
    }
    if (empty) fragment_.end_element();
  };
  start();
  while (fragment_.depth() > 0) {
    if (!advance()) {
      impl_->has_error = true;
      impl_->message = "unexpected end of input inside <" + options_.fragment + ">";
      fail();
    }
    switch (xmlTextReaderNodeType(r)) {
      case XML_READER_TYPE_ELEMENT:
        start();
        break;
      case XML_READER_TYPE_TEXT:
      case XML_READER_TYPE_CDATA:
      case XML_READER_TYPE_WHITESPACE:
      case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        fragment_.append_text(text_of(xmlTextReaderConstValue(r)));
        break;
      case XML_READER_TYPE_END_ELEMENT:
        fragment_.end_element();
        break;
      default:  // comments, processing instructions, entity references
        break;
    }
  }
  root_.emplace(fragment_.root());
}

const XmlElement* XmlFragmentReader::next() {
  if (!open_) throw std::logic_error(who_ + ": next() called before open()");
  if (fatal_) std::rethrow_exception(fatal_);
  if (done_) return nullptr;
  for (;;) {
    if (!advance()) {
      done_ = true;
      return nullptr;
    }
    if (at_fragment()) break;
  }
  build_fragment();
  ++read_count_;
  return &*root_;
}

}  // namespace cppbatch
