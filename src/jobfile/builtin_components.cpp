// The built-in components of job files: every reader and writer of the I/O
// library over Record, the record processors, the file utilities as
// tasklets, runId, defaultValidator, defaultJobParametersExtractor and
// threadPoolTaskExecutor. Property names are the fields of
// the C++ options structs (docs/job-files.md lists them all).
#include <cctype>
#include <charconv>

#include "cppbatch/core/fault_tolerance.hpp"
#include "cppbatch/core/job_step.hpp"
#include "cppbatch/core/task_executor.hpp"
#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/delimited_file_writer.hpp"
#include "cppbatch/infrastructure/file_merge.hpp"
#include "cppbatch/infrastructure/file_sort.hpp"
#include "cppbatch/infrastructure/file_split.hpp"
#include "cppbatch/infrastructure/fixed_length_file_writer.hpp"
#include "cppbatch/infrastructure/fixed_length_tokenizer.hpp"
#include "cppbatch/infrastructure/flat_file_reader.hpp"
#include "cppbatch/infrastructure/json_item_reader.hpp"
#include "cppbatch/infrastructure/json_item_writer.hpp"
#include "cppbatch/infrastructure/multi_resource_reader.hpp"
#include "cppbatch/infrastructure/multi_resource_writer.hpp"
#include "cppbatch/infrastructure/parse_error.hpp"
#include "cppbatch/infrastructure/pg_batch_writer.hpp"
#include "cppbatch/infrastructure/pg_connection.hpp"
#include "cppbatch/infrastructure/pg_copy_writer.hpp"
#include "cppbatch/infrastructure/pg_cursor_reader.hpp"
#include "cppbatch/infrastructure/pg_paging_reader.hpp"
#include "cppbatch/infrastructure/sort_key.hpp"
#include "cppbatch/infrastructure/sqlite_batch_writer.hpp"
#include "cppbatch/infrastructure/sqlite_cursor_reader.hpp"
#include "cppbatch/infrastructure/sqlite_paging_reader.hpp"
#include "cppbatch/infrastructure/validation_error.hpp"
#include "cppbatch/infrastructure/xml_element.hpp"
#include "cppbatch/infrastructure/xml_item_reader.hpp"
#include "cppbatch/infrastructure/xml_item_writer.hpp"
#include "cppbatch/jobfile/component_registry.hpp"
#include "cppbatch/jobfile/record_processors.hpp"

namespace cppbatch {

namespace {

using Reader = ItemReader<Record>;
using Writer = ItemWriter<Record>;
using Processor = ItemProcessor<Record, Record>;

Compression compression(PropertyReader& p) {
  return p.choice<Compression>("compression",
                               {{"auto", Compression::AUTO}, {"none", Compression::NONE},
                                {"gzip", Compression::GZIP}, {"zstd", Compression::ZSTD}},
                               Compression::AUTO);
}

JsonFormat json_format(PropertyReader& p) {
  return p.choice<JsonFormat>("format", {{"array", JsonFormat::ARRAY}, {"lines", JsonFormat::LINES}}, JsonFormat::ARRAY);
}

// How a delimited file is read (shared by the reader and the sort, merge
// and split tasklets); `path` is read by the caller.
DelimitedReaderOptions delimited_input(PropertyReader& p) {
  DelimitedReaderOptions o;
  o.compression = compression(p);
  o.delimiter = p.character("delimiter", o.delimiter);
  o.quote = p.character("quote", o.quote);
  o.escape = p.character("escape", o.escape);
  o.lines_to_skip = p.integer("lines_to_skip", o.lines_to_skip);
  o.header_as_names = p.boolean("header_as_names", o.header_as_names);
  o.names = p.strings("names");
  o.strict = p.boolean("strict", o.strict);
  o.comment_prefixes = p.strings("comment_prefixes");
  o.trim = p.boolean("trim", o.trim);
  return o;
}

// Parses `spec` with `parse` when bound; records its std::invalid_argument.
template <class Parse>
auto checked(PropertyReader& p, std::string_view key, const std::string& spec, Parse parse) -> decltype(parse(spec)) {
  if (spec.empty()) return {};
  try {
    return parse(spec);
  } catch (const std::invalid_argument& e) {
    p.error(key, "property '" + std::string(key) + "': " + e.what());
    return {};
  }
}

// SQL parameters: a map ":name" → value; a value that reads as an integer
// or a number is bound as one, anything else as text.
std::vector<SqlBinding> sql_parameters(PropertyReader& p) {
  std::vector<SqlBinding> out;
  for (auto& [name, text] : p.string_map("parameters")) {
    SqlBinding b{name, text};
    int64_t i = 0;
    double d = 0;
    const char* end = text.data() + text.size();
    if (auto [e, ec] = std::from_chars(text.data(), end, i); !text.empty() && ec == std::errc() && e == end) {
      b.value = i;
    } else if (auto [e2, ec2] = std::from_chars(text.data(), end, d); !text.empty() && ec2 == std::errc() && e2 == end) {
      b.value = d;
    }
    out.push_back(std::move(b));
  }
  return out;
}

// What every SQL reader's options have (SQLite and PostgreSQL, cursor and
// paging): sql, parameters, name, save_state.
template <class Options>
void sql_reader_options(PropertyReader& p, Options& o) {
  o.sql = p.required_string("sql");
  o.bindings = sql_parameters(p);
  o.name = p.name();
  o.save_state = p.boolean("save_state", true);
}

// The paging readers' options: the SQL ones plus sort_key and page_size.
template <class Options>
void paging_options(PropertyReader& p, Options& o) {
  sql_reader_options(p, o);
  o.sort_key = p.required_string("sort_key");
  o.page_size = static_cast<size_t>(p.integer("page_size", 1000));
}

// A nested component (multi-resource delegates): its factory is run with a
// `path` property added, now to validate and per file later.
template <class C>
class Delegate {
 public:
  Delegate(PropertyReader& p, const ComponentRegistry& registry, std::string_view kind) {
    const PropertyNode* node = p.node("delegate");
    if (node == nullptr) {
      p.error("delegate", "missing required property 'delegate'");
      return;
    }
    if (!node->is_map()) {
      p.error("delegate", "property 'delegate' must be a map with a type");
      return;
    }
    const PropertyNode* type = node->find("type");
    if (type == nullptr || !type->is_scalar()) {
      p.errors().push_back({node->location(), p.what() + ": the delegate needs a 'type'"});
      return;
    }
    configure_ = registry.find<C>(type->text());
    if (configure_ == nullptr) {
      std::string known;
      for (const auto& n : registry.names(internal::kind_of<C>())) known += (known.empty() ? "" : ", ") + n;
      p.errors().push_back({type->location(), p.what() + ": unknown " + std::string(kind) + " type '" + type->text() +
                                                  "' (known: " + known + ")"});
      return;
    }
    properties_ = PropertyNode::map(node->location());
    for (const auto& e : node->entries()) {
      if (e.key != "type" && e.key != "path") properties_.add_entry(e.key, e.key_location, e.value);
    }
    what_ = p.what() + " delegate (" + type->text() + ")";
    if (p.validating()) make("", nullptr, p.errors());
  }

  // The delegate's Creator for `path`; errors go to `errors`.
  Creator<C> make(const std::string& path, const LateBindingContext* binding, std::vector<DefinitionError>& errors) const {
    PropertyNode props = properties_;
    props.add_entry("path", properties_.location(), PropertyNode::scalar(path, properties_.location()));
    PropertyReader reader(props, errors, what_, binding, "delegate");
    Creator<C> creator = (*configure_)(reader);
    reader.finish();
    return creator;
  }
  // For a Creator called per file (after validation): throws on errors.
  std::unique_ptr<C> create(const std::string& path, const LateBindingContext* binding) const {
    std::vector<DefinitionError> errors;
    Creator<C> creator = make(path, binding, errors);
    if (!errors.empty()) throw std::invalid_argument(to_string(errors));
    return creator();
  }
  bool ok() const { return configure_ != nullptr; }

 private:
  const Configure<C>* configure_ = nullptr;
  PropertyNode properties_;
  std::string what_;
};

void add_readers(ComponentRegistry& r) {
  r.add<Reader>("delimitedFileReader", [](PropertyReader& p) -> Creator<Reader> {
    DelimitedReaderOptions o = delimited_input(p);
    o.path = p.required_string("path");
    o.name = p.name();
    o.save_state = p.boolean("save_state", true);
    return [o] { return std::make_unique<DelimitedFileReader<Record>>(o, RecordMapper()); };
  }, "delimited (CSV) file, one Record per line; field names from a header or `names`");

  r.add<Reader>("fixedLengthFileReader", [](PropertyReader& p) -> Creator<Reader> {
    FlatFileReaderOptions o;
    o.path = p.required_string("path");
    o.name = p.name();
    o.compression = compression(p);
    o.lines_to_skip = p.integer("lines_to_skip", 0);
    o.comment_prefixes = p.strings("comment_prefixes");
    o.save_state = p.boolean("save_state", true);
    FixedLengthTokenizerOptions t;
    t.columns = checked(p, "columns", p.required_string("columns"), parse_column_ranges);
    t.names = p.strings("names");
    t.strict = p.boolean("strict", true);
    t.trim = p.boolean("trim", true);
    return [o, t] {
      return std::make_unique<FlatFileReader<Record>>(o, std::make_unique<FixedLengthTokenizer>(t), RecordMapper());
    };
  }, "fixed-width columns (Spring's range syntax: \"1-12, 13-15, 16-\")");

  r.add<Reader>("jsonFileReader", [](PropertyReader& p) -> Creator<Reader> {
    JsonReaderOptions o;
    o.path = p.required_string("path");
    o.name = p.name();
    o.format = json_format(p);
    o.compression = compression(p);
    o.save_state = p.boolean("save_state", true);
    return [o] { return std::make_unique<JsonItemReader<Record>>(o, JsonRecordMapper{}); };
  }, "JSON array or JSON Lines of objects, one Record per object");

  r.add<Reader>("xmlFileReader", [](PropertyReader& p) -> Creator<Reader> {
    XmlReaderOptions o;
    o.path = p.required_string("path");
    o.name = p.name();
    o.fragment = p.required_string("fragment");
    o.fragment_namespace = p.string("fragment_namespace");
    o.compression = compression(p);
    o.save_state = p.boolean("save_state", true);
    return [o] { return std::make_unique<XmlItemReader<Record>>(o, XmlRecordMapper{}); };
  }, "XML fragments by element name; a field per attribute and child element");

  r.add<Reader>("sqliteCursorReader", [](PropertyReader& p) -> Creator<Reader> {
    SqliteReaderOptions o;
    o.database_path = p.required_string("database");
    sql_reader_options(p, o);
    o.restart_key_column = p.string("restart_key_column");
    return [o] { return std::make_unique<SqliteCursorReader<Record>>(o, SqliteRecordMapper()); };
  }, "SQLite SELECT, row by row; a field per column");

  r.add<Reader>("sqlitePagingReader", [](PropertyReader& p) -> Creator<Reader> {
    SqlitePagingOptions o;
    o.database_path = p.required_string("database");
    paging_options(p, o);
    return [o] { return std::make_unique<SqlitePagingReader<Record>>(o, SqliteRecordMapper()); };
  }, "SQLite SELECT in keyset pages ordered by sort_key");

  r.add<Reader>("pgCursorReader", [](PropertyReader& p) -> Creator<Reader> {
    PgReaderOptions o;
    o.url = p.required_string("url");
    sql_reader_options(p, o);
    o.restart_key_column = p.string("restart_key_column");
    o.fetch_size = static_cast<int>(p.integer("fetch_size", 1000));
    return [o] { return std::make_unique<PgCursorReader<Record>>(o, PgRecordMapper()); };
  }, "PostgreSQL SELECT through a cursor");

  r.add<Reader>("pgPagingReader", [](PropertyReader& p) -> Creator<Reader> {
    PgPagingOptions o;
    o.url = p.required_string("url");
    paging_options(p, o);
    return [o] { return std::make_unique<PgPagingReader<Record>>(o, PgRecordMapper()); };
  }, "PostgreSQL SELECT in keyset pages ordered by sort_key");

  r.add<Reader>("multiResourceReader", [&r](PropertyReader& p) -> Creator<Reader> {
    MultiResourceReaderOptions o;
    o.paths = p.strings("paths");
    o.pattern = p.string("pattern");
    o.name = p.name();
    o.strict = p.boolean("strict", true);
    o.save_state = p.boolean("save_state", true);
    if (!p.has("paths") && !p.has("pattern")) p.error("pattern", "needs 'paths' or 'pattern'");
    auto delegate = std::make_shared<Delegate<Reader>>(p, r, "reader");
    if (!delegate->ok() || p.validating()) return {};
    const LateBindingContext binding = *p.binding();
    return [o, delegate, binding] {
      return std::make_unique<MultiResourceReader<Record>>(
          o, [delegate, binding](const std::string& path) { return delegate->create(path, &binding); });
    };
  }, "several files (paths or a glob) through a delegate reader");
}

void add_writers(ComponentRegistry& r) {
  r.add<Writer>("delimitedFileWriter", [](PropertyReader& p) -> Creator<Writer> {
    DelimitedWriterOptions o;
    o.path = p.required_string("path");
    o.name = p.name();
    o.delimiter = p.character("delimiter", o.delimiter);
    o.quote = p.character("quote", o.quote);
    o.header = p.string("header");
    o.append = p.boolean("append", false);
    o.sync_on_commit = p.boolean("sync_on_commit", false);
    std::vector<std::string> fields = p.strings("fields");
    return [o, fields] {
      if (fields.empty()) {
        return std::make_unique<DelimitedFileWriter<Record>>(
            o, [](const Record& record, FieldWriter& out) { write_record(record, out); });
      }
      return std::make_unique<DelimitedFileWriter<Record>>(
          o, [fields](const Record& record, FieldWriter& out) { write_record(record, fields, out); });
    };
  }, "delimited (CSV) file: every field, or `fields` in that order");

  r.add<Writer>("fixedLengthFileWriter", [](PropertyReader& p) -> Creator<Writer> {
    FixedLengthWriterOptions o;
    o.path = p.required_string("path");
    o.name = p.name();
    o.header = p.string("header");
    o.append = p.boolean("append", false);
    o.sync_on_commit = p.boolean("sync_on_commit", false);
    const PropertyNode* columns = p.node("columns");
    if (columns == nullptr) {
      p.error("columns", "missing required property 'columns'");
    } else if (!columns->is_list()) {
      p.error("columns", "property 'columns' must be a list of {name, width, align, pad}");
    } else {
      for (const PropertyNode& c : columns->items()) {
        std::vector<DefinitionError>& errors = p.errors();
        PropertyReader column(c.is_map() ? c : PropertyNode::map(c.location()), errors, p.what() + " column", p.binding());
        if (!c.is_map()) {
          errors.push_back({c.location(), p.what() + ": a column is a map {name, width, align, pad}"});
          continue;
        }
        FixedColumn fc;
        fc.name = column.string("name");
        fc.width = static_cast<size_t>(column.integer("width", 0));
        if (!column.has("width")) column.error("width", "missing required property 'width'");
        fc.align = column.choice<Align>("align", {{"left", Align::LEFT}, {"right", Align::RIGHT}}, Align::LEFT);
        fc.pad = column.character("pad", ' ');
        column.finish();
        o.columns.push_back(std::move(fc));
      }
    }
    return [o] {
      return std::make_unique<FixedLengthFileWriter<Record>>(
          o, [](const Record& record, FixedLengthFieldWriter& out) { write_record(record, out); });
    };
  }, "fixed-width columns; a value wider than its column fails the chunk");

  r.add<Writer>("jsonFileWriter", [](PropertyReader& p) -> Creator<Writer> {
    JsonWriterOptions o;
    o.path = p.required_string("path");
    o.name = p.name();
    o.format = json_format(p);
    o.append = p.boolean("append", false);
    o.sync_on_commit = p.boolean("sync_on_commit", false);
    return [o] { return std::make_unique<JsonItemWriter<Record>>(o, append_record_json); };
  }, "JSON array or JSON Lines, one object per Record");

  r.add<Writer>("xmlFileWriter", [](PropertyReader& p) -> Creator<Writer> {
    XmlWriterOptions o;
    o.path = p.required_string("path");
    o.name = p.name();
    o.root = p.required_string("root");
    o.xml_declaration = p.boolean("xml_declaration", true);
    o.sync_on_commit = p.boolean("sync_on_commit", false);
    std::string element = p.required_string("element");
    return [o, element] {
      return std::make_unique<XmlItemWriter<Record>>(
          o, [element](const Record& record, XmlWriter& out) { write_record_xml(record, element, out); });
    };
  }, "XML document: <root> with an <element> per Record, a child per field");

  r.add<Writer>("sqliteBatchWriter", [](PropertyReader& p) -> Creator<Writer> {
    SqliteWriterOptions o;
    o.database_path = p.required_string("database");
    o.sql = p.required_string("sql");
    o.init_sql = p.string("init_sql");
    o.name = p.name();
    o.synchronous = p.string("synchronous", o.synchronous);
    return [o] { return std::make_unique<SqliteBatchWriter<Record>>(o, sqlite_record_binder()); };
  }, "SQLite INSERT/upsert per Record (:name parameters bound from fields), one transaction per chunk");

  r.add<Writer>("pgBatchWriter", [](PropertyReader& p) -> Creator<Writer> {
    PgWriterOptions o;
    o.url = p.required_string("url");
    o.sql = p.required_string("sql");
    o.name = p.name();
    return [o] { return std::make_unique<PgBatchWriter<Record>>(o, record_binder()); };
  }, "PostgreSQL statement per Record (:name parameters bound from fields)");

  r.add<Writer>("pgCopyWriter", [](PropertyReader& p) -> Creator<Writer> {
    PgCopyOptions o;
    o.url = p.required_string("url");
    o.table = p.required_string("table");
    o.columns = p.strings("columns");
    if (!p.has("columns")) p.error("columns", "missing required property 'columns'");
    o.name = p.name();
    return [o] { return std::make_unique<PgCopyWriter<Record>>(o, record_copy_formatter(o.columns)); };
  }, "PostgreSQL COPY of the fields named like `columns`");

  r.add<Writer>("multiResourceWriter", [&r](PropertyReader& p) -> Creator<Writer> {
    MultiResourceWriterOptions o;
    o.path_pattern = p.required_string("path_pattern");
    o.items_per_resource = p.integer("items_per_resource", 0);
    if (!p.has("items_per_resource")) p.error("items_per_resource", "missing required property 'items_per_resource'");
    o.name = p.name();
    auto delegate = std::make_shared<Delegate<Writer>>(p, r, "writer");
    if (!delegate->ok() || p.validating()) return {};
    const LateBindingContext binding = *p.binding();
    return [o, delegate, binding] {
      return std::make_unique<MultiResourceWriter<Record>>(
          o, [delegate, binding](const std::string& path) { return delegate->create(path, &binding); });
    };
  }, "a new file every items_per_resource items, through a delegate writer");
}

void add_processors(ComponentRegistry& r) {
  auto expression = [](PropertyReader& p, std::string_view key, const std::string& text) -> std::optional<Expression> {
    if (text.empty()) return std::nullopt;
    try {
      return Expression::parse(text);
    } catch (const ExpressionError& e) {
      p.error(key, "property '" + std::string(key) + "': " + e.what());
      return std::nullopt;
    }
  };

  r.add<Processor>("filter", [expression](PropertyReader& p) -> Creator<Processor> {
    auto keep = expression(p, "expression", p.required_string("expression"));
    if (!keep) return {};
    return [keep = *keep] { return std::make_unique<FilterRecordProcessor>(keep); };
  }, "keeps the Records for which `expression` is true, filters the others");

  r.add<Processor>("compute", [expression](PropertyReader& p) -> Creator<Processor> {
    std::vector<std::pair<std::string, Expression>> fields;
    if (!p.has("fields")) p.error("fields", "missing required property 'fields'");
    bool ok = true;
    for (auto& [name, text] : p.string_map("fields")) {
      auto e = expression(p, "fields", text);
      if (e) {
        fields.emplace_back(name, std::move(*e));
      } else {
        ok = false;
      }
    }
    if (!ok) return {};
    return [fields] { return std::make_unique<ComputeFieldsProcessor>(fields); };
  }, "sets each field of `fields` (name: expression), in order");

  r.add<Processor>("mapFields", [](PropertyReader& p) -> Creator<Processor> {
    FieldMapping m;
    m.select = p.strings("select");
    m.drop = p.strings("drop");
    m.rename = p.string_map("rename");
    if (!m.select.empty() && !m.drop.empty()) p.error("drop", "use either 'select' or 'drop'");
    return [m] { return std::make_unique<MapFieldsProcessor>(m); };
  }, "selects (in order) or drops fields, and renames them");
}

void add_tasklets(ComponentRegistry& r) {
  r.add<Tasklet>("sortFile", [](PropertyReader& p) -> Creator<Tasklet> {
    SortOptions o;
    o.input = delimited_input(p);
    o.input.path = p.required_string("input");
    o.output = p.required_string("output");
    o.keys = checked(p, "keys", p.required_string("keys"), parse_sort_keys);
    o.memory_budget = static_cast<size_t>(p.integer("memory_budget", static_cast<int64_t>(o.memory_budget)));
    o.temp_directory = p.string("temp_directory");
    return [o] { return std::make_unique<SortTasklet>(o); };
  }, "external sort of a delimited file by keys (\"team,year:numeric:desc\")");

  r.add<Tasklet>("mergeFiles", [](PropertyReader& p) -> Creator<Tasklet> {
    MergeOptions o;
    o.input = delimited_input(p);
    o.inputs = p.strings("inputs");
    if (!p.has("inputs")) p.error("inputs", "missing required property 'inputs'");
    o.output = p.required_string("output");
    o.keys = checked(p, "keys", p.required_string("keys"), parse_sort_keys);
    return [o] { return std::make_unique<MergeTasklet>(o); };
  }, "k-way merge of delimited files sorted by the same keys");

  r.add<Tasklet>("splitFile", [](PropertyReader& p) -> Creator<Tasklet> {
    SplitOptions o;
    o.input = delimited_input(p);
    o.input.path = p.required_string("input");
    o.field = p.string("field");
    if (auto column = p.optional_integer("column")) o.column = static_cast<size_t>(*column);
    o.output_directory = p.required_string("output_directory");
    o.file_name_pattern = p.string("file_name_pattern", o.file_name_pattern);
    o.max_open_files = static_cast<size_t>(p.integer("max_open_files", static_cast<int64_t>(o.max_open_files)));
    o.name = p.name();
    return [o] { return std::make_unique<SplitTasklet>(o); };
  }, "splits a delimited file into one file per value of a field");
}

void add_job_components(ComponentRegistry& r) {
  r.add<JobParametersIncrementer>("runId", [](PropertyReader& p) -> Creator<JobParametersIncrementer> {
    std::string key = p.string("key", "run.id");
    return [key] { return std::make_unique<RunIdIncrementer>(key); };
  }, "adds run.id = last + 1 (`--next`)");

  r.add<JobParametersValidator>("defaultValidator", [](PropertyReader& p) -> Creator<JobParametersValidator> {
    std::vector<std::string> required = p.strings("required_keys");
    std::vector<std::string> optional = p.strings("optional_keys");
    return [required, optional] { return std::make_unique<DefaultJobParametersValidator>(required, optional); };
  }, "required_keys must be present; with optional_keys, no other key is allowed");

  r.add<JobParametersExtractor>("defaultJobParametersExtractor", [](PropertyReader& p) -> Creator<JobParametersExtractor> {
    std::vector<std::string> keys = p.strings("keys");
    const bool all = p.boolean("use_all_parent_parameters", true);
    return [keys, all] { return std::make_unique<DefaultJobParametersExtractor>(keys, all); };
  }, "the parent's parameters (unless use_all_parent_parameters is false), then `keys` from the step's context or the parent");

  r.add<TaskExecutor>("threadPoolTaskExecutor", [](PropertyReader& p) -> Creator<TaskExecutor> {
    const int64_t threads = p.integer("threads", 0);
    if (threads < 0) p.error("threads", "'threads' must be >= 0 (0: one per hardware thread)");
    return [threads] { return std::make_unique<ThreadPoolTaskExecutor>(static_cast<size_t>(threads < 0 ? 0 : threads)); };
  }, "a pool of `threads` threads (0: one per hardware thread) for a split's flows");
}

void add_exceptions(ComponentRegistry& r) {
  r.exception<std::exception>("std::exception");
  r.exception<std::runtime_error>("std::runtime_error");
  r.exception<std::logic_error>("std::logic_error");
  r.exception<std::invalid_argument>("std::invalid_argument");
  r.exception<ParseError>("ParseError");
  r.exception<ParseError>("FlatFileParseException");  // Spring's name
  r.exception<RecordError>("RecordError");
  r.exception<ExpressionError>("ExpressionError");
  r.exception<ValidationError>("ValidationError");
  r.exception<ValidationError>("ValidationException");  // Spring's name
  r.exception<FixedLengthFormatError>("FixedLengthFormatError");
  r.exception<SqliteWriteError>("SqliteWriteError");
  r.exception<PgError>("PgError");
  r.exception<PgWriteError>("PgWriteError");
}

}  // namespace

void add_builtin_components(ComponentRegistry& registry) {
  add_readers(registry);
  add_writers(registry);
  add_processors(registry);
  add_tasklets(registry);
  add_job_components(registry);
  add_exceptions(registry);
}

}  // namespace cppbatch
