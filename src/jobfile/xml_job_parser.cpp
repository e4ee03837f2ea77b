// The XML front end: Spring Batch's XML namespace (<job>, <step>, <tasklet>,
// <chunk>, <next on to>, <decision>, <split>, <flow>, <listeners>...) plus
// Spring's <bean class><property name value/></bean> for component
// properties. libxml2 parses the document into a DOM (malformed XML is
// reported at libxml2's line and column); the start tags' exact line and
// column, which the DOM does not keep, come from a scan of the text that
// lists them in document order — the DOM's element order.
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <memory>

#include "cppbatch/jobfile/job_file_parser.hpp"

namespace cppbatch {

namespace {

struct XmlAttribute {
  std::string name;
  std::string value;
  SourceLocation location;
};

struct XmlNode {
  std::string name;  // local name
  SourceLocation location;
  std::vector<XmlAttribute> attributes;
  std::vector<XmlNode> children;  // elements only
  std::string text;               // text content (for <value>)

  const XmlAttribute* attribute(std::string_view n) const {
    for (const auto& a : attributes) {
      if (a.name == n) return &a;
    }
    return nullptr;
  }
};

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':' || c == '-' || c == '.' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Locations of the start tags of a well-formed document, in order.
class TagLocator {
 public:
  TagLocator(std::string_view text, std::string path) : text_(text), path_(std::move(path)) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
    size_t pos = 0;
    while ((pos = text.find('<', pos)) != std::string_view::npos) {
      std::string_view rest = text.substr(pos);
      if (rest.starts_with("<!--")) {
        pos = skip_to(pos, "-->");
      } else if (rest.starts_with("<![CDATA[")) {
        pos = skip_to(pos, "]]>");
      } else if (rest.starts_with("<?")) {
        pos = skip_to(pos, "?>");
      } else if (rest.starts_with("<!")) {
        pos = skip_to(pos, ">");
      } else if (rest.starts_with("</")) {
        pos = skip_to(pos, ">");
      } else {
        tags_.push_back(pos);
        pos = tag_end(pos);
      }
    }
  }

  size_t count() const { return tags_.size(); }
  size_t offset(size_t index) const { return index < tags_.size() ? tags_[index] : std::string_view::npos; }

  SourceLocation at(size_t offset) const {
    if (offset == std::string_view::npos) return {path_, 0, 0};
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const size_t line = static_cast<size_t>(it - line_starts_.begin());
    return {path_, static_cast<int64_t>(line), static_cast<int64_t>(offset - line_starts_[line - 1] + 1)};
  }

  // Where attribute `qname` is written in the start tag at `tag`.
  size_t attribute_offset(size_t tag, std::string_view qname) const {
    if (tag == std::string_view::npos) return tag;
    size_t pos = tag + 1;
    while (pos < text_.size() && is_name_char(text_[pos])) ++pos;  // element name
    while (pos < text_.size() && text_[pos] != '>') {
      if (text_[pos] == '"' || text_[pos] == '\'') {
        const size_t close = text_.find(text_[pos], pos + 1);
        if (close == std::string_view::npos) break;
        pos = close + 1;
        continue;
      }
      if (is_name_char(text_[pos])) {
        const size_t start = pos;
        while (pos < text_.size() && is_name_char(text_[pos])) ++pos;
        if (text_.substr(start, pos - start) == qname) return start;
        continue;
      }
      ++pos;
    }
    return tag;
  }

 private:
  size_t skip_to(size_t pos, std::string_view end) const {
    const size_t found = text_.find(end, pos);
    return found == std::string_view::npos ? text_.size() : found + end.size();
  }
  size_t tag_end(size_t pos) const {
    ++pos;
    while (pos < text_.size() && text_[pos] != '>') {
      if (text_[pos] == '"' || text_[pos] == '\'') {
        const size_t close = text_.find(text_[pos], pos + 1);
        if (close == std::string_view::npos) return text_.size();
        pos = close;
      }
      ++pos;
    }
    return pos;
  }

  std::string_view text_;
  std::string path_;
  std::vector<size_t> line_starts_;
  std::vector<size_t> tags_;
};

std::string utf8(const xmlChar* text) { return text != nullptr ? reinterpret_cast<const char*>(text) : ""; }

XmlNode convert(xmlNode* element, const TagLocator& tags, size_t& index) {
  XmlNode out;
  out.name = utf8(element->name);
  const size_t tag = tags.offset(index++);
  out.location = tags.at(tag);
  for (xmlAttr* a = element->properties; a != nullptr; a = a->next) {
    if (a->ns != nullptr) continue;  // xsi:schemaLocation and the like
    XmlAttribute attribute;
    attribute.name = utf8(a->name);
    xmlChar* value = xmlNodeListGetString(element->doc, a->children, 1);
    attribute.value = utf8(value);
    xmlFree(value);
    attribute.location = tags.at(tags.attribute_offset(tag, attribute.name));
    out.attributes.push_back(std::move(attribute));
  }
  for (xmlNode* child = element->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) {
      out.children.push_back(convert(child, tags, index));
    } else if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      out.text += utf8(child->content);
    }
  }
  return out;
}

std::string join(std::initializer_list<std::string_view> names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

class Interpreter {
 public:
  explicit Interpreter(ParsedJobFile& out) : out_(out) {}

  void document(const XmlNode& root) {
    if (root.name == "job") {
      job(root);
      return;
    }
    if (root.name != "beans") {
      error(root.location, "the root element is <beans> (or one <job>), not <" + root.name + ">");
      return;
    }
    allow_attributes(root, {}, "<beans>");
    for (const XmlNode& child : root.children) {
      if (child.name == "job") {
        job(child);
      } else if (child.name == "flow") {
        FlowDefinition flow;
        flow.location = child.location;
        allow_attributes(child, {"id"}, "<flow>");
        flow.id = required(child, "id", "<flow>");
        states(child, "flow '" + flow.id + "'", flow, {});
        out_.file.flows.push_back(std::move(flow));
      } else if (child.name == "bean") {
        allow_attributes(child, {"id", "class"}, "<bean>");
        std::string id = required(child, "id", "<bean>");
        if (auto c = bean(child, "bean '" + id + "'")) out_.file.components.push_back({id, std::move(*c)});
      } else {
        unknown_element(child, "<beans>", {"job", "flow", "bean"});
      }
    }
    if (out_.file.jobs.empty()) error(root.location, "the job file declares no <job>");
  }

 private:
  void error(const SourceLocation& at, std::string message) { out_.errors.push_back({at, std::move(message)}); }

  void unknown_element(const XmlNode& node, std::string_view parent, std::initializer_list<std::string_view> allowed) {
    error(node.location, "unknown element <" + node.name + "> in " + std::string(parent) + " (allowed: " + join(allowed) + ")");
  }

  void allow_attributes(const XmlNode& node, std::initializer_list<std::string_view> allowed, std::string_view what) {
    for (const auto& a : node.attributes) {
      if (std::find(allowed.begin(), allowed.end(), a.name) != allowed.end()) continue;
      error(a.location, "unknown attribute '" + a.name + "' of " + std::string(what) +
                            (allowed.size() == 0 ? " (it takes none)" : " (allowed: " + join(allowed) + ")"));
    }
  }

  std::string required(const XmlNode& node, std::string_view name, std::string_view what) {
    const XmlAttribute* a = node.attribute(name);
    if (a == nullptr) {
      error(node.location, std::string(what) + ": missing required attribute '" + std::string(name) + "'");
      return {};
    }
    if (a->value.empty()) error(a->location, std::string(what) + ": attribute '" + std::string(name) + "' must not be empty");
    return a->value;
  }

  std::optional<NameRef> name_ref(const XmlNode& node, std::string_view name) {
    const XmlAttribute* a = node.attribute(name);
    if (a == nullptr) return std::nullopt;
    return NameRef{a->value, a->location};
  }

  std::optional<int64_t> integer(const XmlNode& node, std::string_view name, std::string_view what) {
    const XmlAttribute* a = node.attribute(name);
    if (a == nullptr) return std::nullopt;
    int64_t value = 0;
    auto [end, ec] = std::from_chars(a->value.data(), a->value.data() + a->value.size(), value);
    if (ec != std::errc() || end != a->value.data() + a->value.size() || a->value.empty()) {
      error(a->location, std::string(what) + ": attribute '" + std::string(name) + "' must be an integer, not '" + a->value + "'");
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> boolean(const XmlNode& node, std::string_view name, std::string_view what) {
    const XmlAttribute* a = node.attribute(name);
    if (a == nullptr) return std::nullopt;
    if (a->value == "true") return true;
    if (a->value == "false") return false;
    error(a->location, std::string(what) + ": attribute '" + std::string(name) + "' must be true or false, not '" + a->value + "'");
    return std::nullopt;
  }

  // A reference written as an attribute (reader="players").
  std::optional<ComponentDefinition> reference(const XmlNode& node, std::string_view name) {
    const XmlAttribute* a = node.attribute(name);
    if (a == nullptr) return std::nullopt;
    ComponentDefinition c;
    c.location = a->location;
    c.ref = a->value;
    return c;
  }

  // <bean class="type"> with <property> children → a component.
  std::optional<ComponentDefinition> bean(const XmlNode& node, const std::string& what) {
    ComponentDefinition c;
    c.location = node.location;
    c.type = required(node, "class", what);
    c.properties = PropertyNode::map(node.location);
    properties(node, what, c.properties);
    if (c.type.empty()) return std::nullopt;
    return c;
  }

  void properties(const XmlNode& node, const std::string& what, PropertyNode& map) {
    for (const XmlNode& p : node.children) {
      if (p.name != "property") {
        unknown_element(p, "<" + node.name + ">", {"property"});
        continue;
      }
      allow_attributes(p, {"name", "value"}, "<property>");
      const std::string name = required(p, "name", what + ": <property>");
      if (name.empty()) continue;
      if (map.find(name) != nullptr) {
        error(p.location, what + ": duplicate property '" + name + "'");
        continue;
      }
      const XmlAttribute* value = p.attribute("value");
      if (value != nullptr) {
        if (!p.children.empty()) error(p.children.front().location, what + ": property '" + name + "' has both a value attribute and content");
        map.add_entry(name, p.location, PropertyNode::scalar(value->value, value->location));
        continue;
      }
      if (p.children.size() != 1) {
        error(p.location, what + ": property '" + name + "' needs a value attribute or one of <value>, <list>, <map>, <bean>");
        continue;
      }
      if (auto v = property_value(p.children.front(), what)) map.add_entry(name, p.location, std::move(*v));
    }
  }

  std::optional<PropertyNode> property_value(const XmlNode& v, const std::string& what) {
    if (v.name == "value") {
      allow_attributes(v, {}, "<value>");
      return PropertyNode::scalar(v.text, v.location);
    }
    if (v.name == "list") {
      allow_attributes(v, {}, "<list>");
      PropertyNode list = PropertyNode::list(v.location);
      for (const XmlNode& item : v.children) {
        if (auto p = property_value(item, what)) list.add_item(std::move(*p));
      }
      return list;
    }
    if (v.name == "map") {
      allow_attributes(v, {}, "<map>");
      PropertyNode map = PropertyNode::map(v.location);
      for (const XmlNode& entry : v.children) {
        if (entry.name != "entry") {
          unknown_element(entry, "<map>", {"entry"});
          continue;
        }
        allow_attributes(entry, {"key", "value"}, "<entry>");
        const std::string key = required(entry, "key", what + ": <entry>");
        const XmlAttribute* value = entry.attribute("value");
        if (value != nullptr) {
          map.add_entry(key, entry.location, PropertyNode::scalar(value->value, value->location));
        } else if (entry.children.size() == 1) {
          if (auto p = property_value(entry.children.front(), what)) map.add_entry(key, entry.location, std::move(*p));
        } else {
          error(entry.location, what + ": <entry key='" + key + "'> needs a value attribute or one value element");
        }
      }
      return map;
    }
    if (v.name == "bean") {  // a nested component: a map with its type
      allow_attributes(v, {"class"}, "<bean>");
      PropertyNode map = PropertyNode::map(v.location);
      const XmlAttribute* type = v.attribute("class");
      if (type == nullptr) {
        error(v.location, what + ": a nested <bean> needs a class");
        return std::nullopt;
      }
      map.add_entry("type", type->location, PropertyNode::scalar(type->value, type->location));
      properties(v, what, map);
      return map;
    }
    unknown_element(v, "<property>", {"value", "list", "map", "bean"});
    return std::nullopt;
  }

  // <reader>, <writer>, <validator>... holding one <bean> (or, for
  // <processor>, several: a chain).
  void nested_beans(const XmlNode& node, const std::string& what, std::vector<ComponentDefinition>& out, bool many) {
    allow_attributes(node, {}, "<" + node.name + ">");
    size_t count = 0;
    for (const XmlNode& b : node.children) {
      if (b.name != "bean") {
        unknown_element(b, "<" + node.name + ">", {"bean"});
        continue;
      }
      allow_attributes(b, {"class"}, "<bean>");
      ++count;
      if (auto c = bean(b, what)) out.push_back(std::move(*c));
    }
    if (count == 0) error(node.location, what + ": <" + node.name + "> needs a <bean class=...>");
    if (count > 1 && !many) error(node.location, what + ": <" + node.name + "> takes one <bean>");
  }

  void listeners(const XmlNode& node, const std::string& what, std::vector<ComponentDefinition>& out) {
    allow_attributes(node, {}, "<listeners>");
    for (const XmlNode& l : node.children) {
      if (l.name != "listener") {
        unknown_element(l, "<listeners>", {"listener"});
        continue;
      }
      allow_attributes(l, {"ref", "class"}, "<listener>");
      if (l.attribute("ref") != nullptr) {
        if (l.attribute("class") != nullptr) error(l.location, what + ": a <listener> has ref or class, not both");
        out.push_back(*reference(l, "ref"));
      } else if (l.attribute("class") != nullptr) {
        if (auto c = bean(l, what + ": listener")) out.push_back(std::move(*c));
      } else {
        error(l.location, what + ": a <listener> needs ref or class");
      }
    }
  }

  void job(const XmlNode& node) {
    allow_attributes(node, {"id", "restartable", "incrementer"}, "<job>");
    JobDefinition job;
    job.location = node.location;
    job.id = required(node, "id", "<job>");
    const std::string what = "job '" + job.id + "'";
    job.restartable = boolean(node, "restartable", what).value_or(true);
    job.incrementer = reference(node, "incrementer");
    job.flow.id = job.id;
    job.flow.location = node.location;
    states(node, what, job.flow, [&](const XmlNode& child) {
      if (child.name == "validator") {
        allow_attributes(child, {"ref"}, "<validator>");
        if (child.attribute("ref") != nullptr) {
          job.validator = reference(child, "ref");
        } else {
          std::vector<ComponentDefinition> beans;
          nested_beans(child, what + ": validator", beans, false);
          if (!beans.empty()) job.validator = std::move(beans.front());
        }
        return true;
      }
      if (child.name == "listeners") {
        listeners(child, what, job.listeners);
        return true;
      }
      return false;
    });
    out_.file.jobs.push_back(std::move(job));
  }

  // The state elements of a job or flow; `other` handles further children
  // (returns false for unknown ones).
  void states(const XmlNode& node, const std::string& what, FlowDefinition& flow,
              const std::function<bool(const XmlNode&)>& other) {
    for (const XmlNode& child : node.children) {
      if (child.name == "step" || child.name == "decision" || child.name == "split" || child.name == "flow") {
        flow.states.push_back(state(child));
      } else if (!other || !other(child)) {
        if (other) {
          unknown_element(child, "<" + node.name + ">", {"step", "decision", "split", "flow", "validator", "listeners"});
        } else {
          unknown_element(child, "<" + node.name + ">", {"step", "decision", "split", "flow"});
        }
      }
    }
    if (flow.states.empty()) error(node.location, what + ": no <step>, <decision>, <split> or <flow>");
  }

  StateDefinition state(const XmlNode& node) {
    StateDefinition s;
    s.location = node.location;
    if (node.name == "step") {
      s.kind = StateDefinition::Kind::STEP;
      allow_attributes(node, {"id", "next"}, "<step>");
    } else if (node.name == "decision") {
      s.kind = StateDefinition::Kind::DECISION;
      allow_attributes(node, {"id", "decider"}, "<decision>");
    } else if (node.name == "split") {
      s.kind = StateDefinition::Kind::SPLIT;
      allow_attributes(node, {"id", "next", "task-executor"}, "<split>");
      s.task_executor = reference(node, "task-executor");
    } else {
      s.kind = StateDefinition::Kind::FLOW;
      allow_attributes(node, {"id", "parent", "next"}, "<flow>");
    }
    s.id = required(node, "id", "<" + node.name + ">");
    const std::string what = node.name + " '" + s.id + "'";
    s.next = name_ref(node, "next");
    if (s.kind == StateDefinition::Kind::DECISION) {
      s.decider = reference(node, "decider");
      if (!s.decider) error(node.location, what + ": missing required attribute 'decider'");
    }
    if (s.kind == StateDefinition::Kind::FLOW) {
      s.parent = name_ref(node, "parent");
      if (!s.parent) error(node.location, what + ": missing required attribute 'parent'");
    }
    int bodies = 0;  // of a step: <tasklet>, <job>, <flow>
    for (const XmlNode& child : node.children) {
      if (transition(child, what, s)) continue;
      const bool body = s.kind == StateDefinition::Kind::STEP &&
                        (child.name == "tasklet" || child.name == "job" || child.name == "flow");
      if (body && ++bodies > 1) error(child.location, what + ": a step has one of <tasklet>, <job> and <flow>");
      if (body && child.name == "tasklet") {
        tasklet(child, what, s);
      } else if (body && child.name == "job") {
        allow_attributes(child, {"ref", "job-parameters-extractor"}, "<job> in a step");
        s.job = name_ref(child, "ref");
        if (!s.job) error(child.location, what + ": <job> needs attribute 'ref' (a job of this file)");
        s.job_parameters_extractor = reference(child, "job-parameters-extractor");
        for (const XmlNode& c : child.children) unknown_element(c, "<job ref>", {});
      } else if (body && child.name == "flow") {
        allow_attributes(child, {"parent"}, "<flow> in a step");
        s.parent = name_ref(child, "parent");
        if (!s.parent) error(child.location, what + ": <flow> needs attribute 'parent' (a top-level flow)");
        for (const XmlNode& c : child.children) unknown_element(c, "<flow parent>", {});
      } else if (s.kind == StateDefinition::Kind::SPLIT && child.name == "flow") {
        s.flows.push_back(split_flow(child, what));
      } else {
        switch (s.kind) {
          case StateDefinition::Kind::STEP:
            unknown_element(child, "<step>", {"tasklet", "job", "flow", "next", "end", "fail", "stop"});
            break;
          case StateDefinition::Kind::SPLIT:
            unknown_element(child, "<split>", {"flow", "next", "end", "fail", "stop"});
            break;
          default:
            unknown_element(child, "<" + node.name + ">", {"next", "end", "fail", "stop"});
        }
      }
    }
    if (s.kind == StateDefinition::Kind::STEP && bodies == 0) error(node.location, what + ": missing <tasklet>, <job> or <flow>");
    if (s.kind == StateDefinition::Kind::SPLIT && s.flows.empty()) error(node.location, what + ": a split needs <flow> elements");
    return s;
  }

  FlowDefinition split_flow(const XmlNode& node, const std::string& what) {
    FlowDefinition flow;
    flow.location = node.location;
    allow_attributes(node, {"parent"}, "<flow> in a split");
    if (auto parent = name_ref(node, "parent")) {
      StateDefinition ref;
      ref.kind = StateDefinition::Kind::FLOW;
      ref.location = node.location;
      ref.id = parent->name;
      ref.parent = parent;
      flow.states.push_back(std::move(ref));
      for (const XmlNode& child : node.children) unknown_element(child, "<flow parent>", {});
      return flow;
    }
    states(node, what + ": a flow", flow, {});
    return flow;
  }

  bool transition(const XmlNode& node, const std::string& what, StateDefinition& s) {
    TransitionDefinition t;
    t.location = node.location;
    const std::string tw = what + ": <" + node.name + ">";
    if (node.name == "next") {
      t.kind = TransitionDefinition::Kind::NEXT;
      allow_attributes(node, {"on", "to"}, "<next>");
      t.to = NameRef{required(node, "to", tw), node.attribute("to") ? node.attribute("to")->location : node.location};
    } else if (node.name == "end" || node.name == "fail") {
      t.kind = node.name == "end" ? TransitionDefinition::Kind::END : TransitionDefinition::Kind::FAIL;
      allow_attributes(node, {"on", "exit-code"}, "<" + node.name + ">");
    } else if (node.name == "stop") {
      t.kind = TransitionDefinition::Kind::STOP;
      allow_attributes(node, {"on", "restart", "exit-code"}, "<stop>");
      if (auto r = name_ref(node, "restart")) t.to = *r;
    } else {
      return false;
    }
    t.on = required(node, "on", tw);
    if (const XmlAttribute* code = node.attribute("exit-code")) t.exit_code = code->value;
    for (const XmlNode& child : node.children) unknown_element(child, "<" + node.name + ">", {});
    s.transitions.push_back(std::move(t));
    return true;
  }

  void tasklet(const XmlNode& node, const std::string& what, StateDefinition& s) {
    allow_attributes(node, {"ref", "allow-start-if-complete", "start-limit"}, "<tasklet>");
    s.allow_start_if_complete = boolean(node, "allow-start-if-complete", what).value_or(false);
    s.start_limit = integer(node, "start-limit", what);
    if (auto ref = reference(node, "ref")) s.tasklet = std::move(ref);
    for (const XmlNode& child : node.children) {
      if (child.name == "chunk") {
        if (s.chunk) error(child.location, what + ": a tasklet has one <chunk>");
        s.chunk = chunk(child, what);
      } else if (child.name == "listeners") {
        listeners(child, what, s.listeners);
      } else if (child.name == "bean") {
        if (s.tasklet) error(child.location, what + ": a tasklet is a ref or one <bean>");
        allow_attributes(child, {"class"}, "<bean>");
        s.tasklet = bean(child, what + ": tasklet");
      } else {
        unknown_element(child, "<tasklet>", {"chunk", "bean", "listeners"});
      }
    }
    if (s.tasklet.has_value() == s.chunk.has_value()) {
      error(node.location, what + ": a <tasklet> has exactly one of ref (or a <bean>) and <chunk>");
    }
  }

  ChunkDefinition chunk(const XmlNode& node, const std::string& step) {
    const std::string what = step + ": chunk";
    allow_attributes(
        node, {"reader", "processor", "writer", "commit-interval", "skip-limit", "retry-limit", "dead-letters",
               "read-ahead"},
        "<chunk>");
    ChunkDefinition c;
    c.location = node.location;
    c.reader = reference(node, "reader");
    if (auto p = reference(node, "processor")) c.processors.push_back(std::move(*p));
    c.writer = reference(node, "writer");
    if (node.attribute("commit-interval") == nullptr) error(node.location, what + ": missing required attribute 'commit-interval'");
    if (auto n = integer(node, "commit-interval", what)) {
      if (*n <= 0) error(node.attribute("commit-interval")->location, what + ": 'commit-interval' must be > 0");
      c.commit_interval = *n;
    }
    c.skip_limit = integer(node, "skip-limit", what);
    c.retry_limit = integer(node, "retry-limit", what);
    c.dead_letters = boolean(node, "dead-letters", what).value_or(false);
    c.read_ahead = boolean(node, "read-ahead", what).value_or(false);
    for (const XmlNode& child : node.children) {
      if (child.name == "reader" || child.name == "writer" || child.name == "processor") {
        if (node.attribute(child.name) != nullptr) {
          error(child.location, what + ": the " + child.name + " is given both as an attribute and as <" + child.name + ">");
        }
        std::vector<ComponentDefinition> beans;
        nested_beans(child, what + ": " + child.name, beans, child.name == "processor");
        if (child.name == "processor") {
          for (auto& b : beans) c.processors.push_back(std::move(b));
        } else if (!beans.empty()) {
          (child.name == "reader" ? c.reader : c.writer) = std::move(beans.front());
        }
      } else if (child.name == "skippable-exception-classes") {
        exceptions(child, what, c.skippable);
      } else if (child.name == "retryable-exception-classes") {
        exceptions(child, what, c.retryable);
      } else if (child.name == "no-rollback-exception-classes") {
        exceptions(child, what, c.no_rollback);
      } else {
        unknown_element(child, "<chunk>", {"reader", "processor", "writer", "skippable-exception-classes",
                                           "retryable-exception-classes", "no-rollback-exception-classes"});
      }
    }
    if (!c.reader) error(node.location, what + ": missing reader (attribute or <reader>)");
    if (!c.writer) error(node.location, what + ": missing writer (attribute or <writer>)");
    return c;
  }

  void exceptions(const XmlNode& node, const std::string& what, ExceptionKinds& kinds) {
    allow_attributes(node, {}, "<" + node.name + ">");
    for (const XmlNode& child : node.children) {
      if (child.name != "include" && child.name != "exclude") {
        unknown_element(child, "<" + node.name + ">", {"include", "exclude"});
        continue;
      }
      allow_attributes(child, {"class"}, "<" + child.name + ">");
      const std::string name = required(child, "class", what + ": <" + child.name + ">");
      const XmlAttribute* a = child.attribute("class");
      (child.name == "include" ? kinds.include : kinds.exclude).push_back({name, a ? a->location : child.location});
    }
  }

  ParsedJobFile& out_;
};

}  // namespace

ParsedJobFile parse_xml_job_file(std::string_view text, std::string path) {
  ParsedJobFile parsed;
  parsed.file.path = path;
  std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> context(xmlNewParserCtxt(), xmlFreeParserCtxt);
  if (!context) {
    parsed.errors.push_back({{path, 0, 0}, "cannot create an XML parser"});
    return parsed;
  }
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlCtxtReadMemory(context.get(), text.data(), static_cast<int>(text.size()), path.c_str(), nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
      xmlFreeDoc);
  if (!doc || !context->wellFormed) {
    const xmlError* error = xmlCtxtGetLastError(context.get());
    std::string message = error != nullptr && error->message != nullptr ? error->message : "not well-formed";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    parsed.errors.push_back({{path, error != nullptr ? error->line : 0, error != nullptr ? error->int2 : 0},
                             "malformed XML: " + message});
    return parsed;
  }
  TagLocator tags(text, path);
  size_t index = 0;
  XmlNode root = convert(xmlDocGetRootElement(doc.get()), tags, index);
  Interpreter(parsed).document(root);
  return parsed;
}

}  // namespace cppbatch
