#include "cppbatch/infrastructure/xml_item_writer.hpp"

namespace cppbatch {

void write_record_xml(const Record& record, std::string_view element, XmlWriter& out) {
  out.start(element);
  for (size_t i = 0; i < record.size(); ++i) {
    if (value_is_null(record[i])) {
      out.start(record.name(i)).end();
    } else {
      out.element(record.name(i), value_to_string(record[i]));
    }
  }
  out.end();
}

}  // namespace cppbatch
